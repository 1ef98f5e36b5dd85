"""Signing up: the sign-up form, the emailed verification link and the setup wizard."""

from __future__ import annotations

from playwright.sync_api import Locator, expect

from pages.base import Screen


class SignupScreen(Screen):
    path = "/signup"

    def sign_up(self, company: str, domain: str, admin_email: str, plan: str) -> None:
        self.part("company-name").fill(company)
        self.part("domain").fill(domain)
        self.part("admin-email").fill(admin_email)
        self.part("plan").select_option(plan)
        self.part("start-trial").click()

    @property
    def plan_options(self) -> Locator:
        """The plans the form offers, in its order."""
        return self.part("plan").locator("option")

    @property
    def verification_notice(self) -> Locator:
        return self.page.locator(".email-verification-notice")

    def field_error(self, text: str) -> Locator:
        """The message under a field of the form that says this."""
        return self.page.locator(".field-error").filter(has_text=text)


class VerificationScreen(Screen):
    def follow(self, link: str) -> None:
        self.page.goto(link)

    @property
    def success(self) -> Locator:
        return self.page.locator(".verification-success")

    @property
    def error(self) -> Locator:
        return self.page.locator(".verification-error")

    def continue_setup(self) -> None:
        self.part("continue-setup").click()


class SetupWizard(Screen):
    def describe_organisation(self, company_size: str, industry: str) -> None:
        self.part("company-size").fill(company_size)
        self.part("industry").select_option(industry)
        self.part("next-step").click()

    def create_admin_profile(self, first_name: str, last_name: str, password: str) -> None:
        self.part("first-name").fill(first_name)
        self.part("last-name").fill(last_name)
        self.part("password").fill(password)
        self.part("confirm-password").fill(password)
        self.part("create-account").click()

    def save_billing(self, card_number: str, expiry: str, cvc: str, address: str) -> None:
        expect(self.part("card-number")).to_be_visible()
        self.part("card-number").fill(card_number)
        self.part("expiry").fill(expiry)
        self.part("cvc").fill(cvc)
        self.part("billing-address").fill(address)
        self.part("save-billing").click()

    @property
    def payment_error(self) -> Locator:
        return self.part("payment-error")

    @property
    def onboarding_complete(self) -> Locator:
        return self.page.locator(".onboarding-complete")
