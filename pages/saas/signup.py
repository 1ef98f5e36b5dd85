"""Signing up: the sign-up form, the emailed verification link and the setup wizard."""

from __future__ import annotations

from typing import Any

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


def verification_link(mailbox: Any, email: str) -> str:
    """The link of the verification email the app sent to this address."""
    mail = mailbox.wait_for(email)
    links = [link for link in mail.links() if "/verify" in link]
    assert links, f"the email to {email} ({mail.subject!r}) has no verification link:\n{mail.body}"
    return links[0]


class VerificationScreen(Screen):
    """The emailed link's page: opening it changes nothing; its button confirms the address."""

    def open_link(self, link: str) -> None:
        self.page.goto(link)

    @property
    def confirm_button(self) -> Locator:
        return self.part("confirm-email")

    def confirm_from(self, link: str) -> None:
        """Opens the emailed link and presses its button."""
        self.open_link(link)
        self.confirm_button.click()

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
