"""The signed-in tenant's screens: dashboard, billing settings with upgrades, usage."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages.base import Screen
from pages.saas.upgrades import answered


class SuspensionNotice(Screen):
    """What the sign-in page tells a user of a suspended tenant."""

    path = "/login"

    @property
    def account_suspended(self) -> Locator:
        return self.page.locator(".account-suspended")

    @property
    def contact_support(self) -> Locator:
        return self.page.locator(".contact-support")


class DashboardScreen(Screen):
    path = "/dashboard"

    @property
    def dashboard(self) -> Locator:
        return self.part("dashboard")

    def open_settings(self) -> None:
        self.part("settings").click()

    def sign_out(self) -> None:
        self.part("logout").click()


class BillingSettingsScreen(Screen):
    path = "/settings"

    def open_billing_tab(self) -> None:
        self.part("billing-tab").click()

    @property
    def current_plan(self) -> Locator:
        return self.part("current-plan")

    def choose_upgrade(self, plan_id: str) -> None:
        self.part("upgrade-plan").click()
        self.part(f"select-{plan_id}").click()

    def ask_to_upgrade(self) -> None:
        self.part("upgrade-plan").click()

    @property
    def upgrade_button(self) -> Locator:
        return self.part("upgrade-plan")

    @property
    def admins_only_hint(self) -> Locator:
        return self.page.locator(".hint").filter(has_text="Only administrators")

    @property
    def offered_plans(self) -> Locator:
        return self.page.locator(".plan-options li strong")

    def go_straight_to_upgrade(self, plan_id: str) -> int:
        """The address of the upgrade to this plan, typed in, without going through the list;
        the status the app answered."""
        path = f"/settings/billing/upgrade/{plan_id}"
        return answered(self.page.goto(path), path)

    @property
    def upgrade_refusal(self) -> Locator:
        return self.page.locator(".upgrade-error")

    @property
    def upgrade_summary(self) -> Locator:
        return self.part("upgrade-summary")

    @property
    def prorated_amount(self) -> Locator:
        return self.part("prorated-amount")

    @property
    def prorated_currency(self) -> Locator:
        return self.part("prorated-currency")

    def confirm_upgrade(self) -> None:
        self.part("confirm-upgrade").click()

    def try_to_confirm_upgrade(self) -> int:
        """Presses Confirm upgrade; the status of the page the app answered with (after its
        redirects), whether it took the upgrade or not."""
        sent_from = self.page.url
        with self.page.expect_navigation() as navigation:
            self.part("confirm-upgrade").click()
        return answered(navigation.value, f"the confirmation sent from {sent_from}")

    @property
    def upgrade_success(self) -> Locator:
        return self.page.locator(".upgrade-success")


class UsageScreen(Screen):
    path = "/billing/usage"

    @property
    def api_calls_today(self) -> Locator:
        return self.part("api-calls-today")

    @property
    def storage_current(self) -> Locator:
        return self.part("storage-current")

    @property
    def active_users_peak(self) -> Locator:
        return self.part("active-users-peak")
