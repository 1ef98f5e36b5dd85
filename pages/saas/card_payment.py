"""The setup wizard's last step: the card the platform bills, and what it answers."""

from __future__ import annotations

from playwright.sync_api import Locator, expect

from pages.saas.account import DashboardScreen
from pages.saas.signup import SetupWizard


class CardPaymentStep(SetupWizard):
    """The billing step of the setup wizard (its form, its error, its welcome afterwards)."""

    @property
    def card_number(self) -> Locator:
        return self.part("card-number")

    @property
    def dashboard(self) -> Locator:
        return DashboardScreen(self.page).dashboard

    def refusal(self) -> str | None:
        """Waits for the step's answer: None when the card was taken (the welcome shows), else
        the error the admin is shown."""
        expect(self.onboarding_complete.or_(self.payment_error)).to_be_visible()
        if self.onboarding_complete.is_visible():
            return None
        return self.payment_error.inner_text().strip()
