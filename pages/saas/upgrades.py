"""The upgrade screens' parts that tell a new billing cycle, and the upgrade addresses typed
or sent straight, without going through the billing settings."""

from __future__ import annotations

from playwright.sync_api import Locator, Response

from pages.base import Screen

_SEND_FORM = """([action, amount]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  // the CSRF token of the page open (app/platform/csrf.py), first, as the app's forms send it
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) {
    const tokenField = document.createElement("input");
    tokenField.name = "csrf_token";
    tokenField.value = token.content;
    form.appendChild(tokenField);
  }
  const field = document.createElement("input");
  field.name = "expected_amount";
  field.value = amount;
  form.appendChild(field);
  document.body.appendChild(form);
  form.submit();
}"""


# Under this name in context.learned, the steps keep the status of the last upgrade request
# sent straight (typed in, or a hand-made form), for the step that judges the answer.
ANSWER_STATUS = "upgrade answer status"


def answered(response: Response | None, path: str) -> int:
    """The HTTP status of the page the browser was given for path."""
    assert response is not None, f"the browser got no answer from {path}"
    return response.status


class UpgradeScreen(Screen):
    path = "/settings/billing/upgrade"

    def go_straight_to_list(self) -> int:
        """The address of the list of upgrades, typed in; the status the app answered."""
        return answered(self.page.goto(self.path), self.path)

    def confirm_straight(self, plan_id: str, amount: str) -> int:
        """Sends the confirmation of the upgrade to this plan, for this amount, from whatever
        page is open: what a hand-made form or a replayed request would send. The status the
        app answered (after its redirects)."""
        path = f"{self.path}/{plan_id}"
        with self.page.expect_navigation() as navigation:
            self.page.evaluate(_SEND_FORM, [path, amount])
        return answered(navigation.value, path)

    @property
    def new_renewal_date(self) -> Locator:
        return self.part("new-renewal-date")

    @property
    def new_billing_cycle(self) -> Locator:
        return self.part("new-billing-cycle")

    @property
    def unused_credit(self) -> Locator:
        return self.part("unused-credit")
