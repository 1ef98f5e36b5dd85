"""What a signed-in tenant user reaches: their organisation's pages, the setup wizard's steps
typed in by address, and a second browser for a second session of the same person."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.base import Screen
from pages.saas.signup import SetupWizard
from pages.shared.security import csrf_header
from products.saas.words import ORGANISATION_PAGES, WIZARD_FORMS, WIZARD_PAGES


class OrganisationPage(Screen):
    """Any page of the signed-in tenant; what it shows is read by data-testid or as text."""

    def open_named(self, name: str) -> None:
        self.page.goto(ORGANISATION_PAGES[name])

    def text(self) -> str:
        return self.page.locator("main, body").first.inner_text()

    @property
    def tenant_name(self) -> Locator:
        return self.part("tenant-name")

    @property
    def plan(self) -> Locator:
        return self.part("dashboard-plan")

    @property
    def current_plan(self) -> Locator:
        return self.part("current-plan")

    @property
    def next_billing_date(self) -> Locator:
        return self.part("next-billing-date")

    @property
    def api_calls_today(self) -> Locator:
        return self.part("api-calls-today")

    @property
    def storage_current(self) -> Locator:
        return self.part("storage-current")

    @property
    def active_users_peak(self) -> Locator:
        return self.part("active-users-peak")


class StartPage(Screen):
    """The platform's own address, with no page named: it leads a signed-in person on."""

    path = "/"


class AnyDevice(Screen):
    """Whatever page a signed-in person of any kind has open: tenant user or operator."""

    def open_at(self, path: str) -> None:
        self.page.goto(path)

    def sign_out(self) -> None:
        self.page.locator("[data-testid=logout], [data-testid=admin-logout]").first.click()


class WizardByAddress(Screen):
    """The setup wizard reached by typing addresses, as a user skipping ahead would."""

    def type_address(self, name: str) -> None:
        self.page.goto(WIZARD_PAGES[name])

    def send_form(self, name: str) -> int:
        """Sends the form's answers straight to its address, with the browser's cookies;
        returns the status of the answer after redirects."""
        path, answers = WIZARD_FORMS[name]
        # with the CSRF token of the page open, as the app's own forms send it
        response = self.page.request.post(path, form=answers, headers=csrf_header(self.page))
        return response.status

    @property
    def organisation_form(self) -> Locator:
        return self.part("company-size")

    @property
    def profile_form(self) -> Locator:
        return self.part("create-account")

    @property
    def card_form(self) -> Locator:
        return self.part("card-number")

    def form_of(self, step: str) -> Locator:
        return {
            "organisation": self.organisation_form,
            "profile": self.profile_form,
            "card": self.card_form,
        }[step]


class OrganisationStep(SetupWizard):
    """The wizard's first step: the company's size (the box offers the listed sizes, but takes
    any text) and industry (describe_organisation)."""

    path = "/onboarding/organisation"

    @property
    def company_size_error(self) -> Locator:
        return self.page.locator("#company_size-error")


class ProfileStep(Screen):
    """The wizard's profile step: the admin's name and password."""

    path = "/onboarding/profile"

    def create_admin(self, first: str, last: str, password: str, confirmation: str) -> None:
        self.part("first-name").fill(first)
        self.part("last-name").fill(last)
        self.part("password").fill(password)
        self.part("confirm-password").fill(confirmation)
        self.part("create-account").click()

    @property
    def password_error(self) -> Locator:
        return self.page.locator("#password-error")

    def name_error(self, which: str) -> Locator:
        """The message under the first or the last name."""
        return self.page.locator(f"#{which}_name-error")

    @property
    def card_form(self) -> Locator:
        return self.part("card-number")


def add_session_cookie(page: Page, base_url: str, cookie: str, token: str) -> None:
    """Gives the browser a session the app issued (as signing in or a verification link would)."""
    page.context.add_cookies([{"name": cookie, "value": token, "url": base_url}])


def session_token_of(page: Page, cookie: str) -> str | None:
    """The browser's session cookie of this kind, if it holds one."""
    for held in page.context.cookies():
        if held["name"] == cookie:
            return held["value"]
    return None
