"""Requests sent straight to the operators' console, as a hand-made form or a replayed request
would send them, and what a browser of a tenant's person shows afterwards."""

from __future__ import annotations

from playwright.sync_api import Page

_SEND_FORM = """([action, fields]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  // the CSRF token of the page open (app/platform/csrf.py), first, as the app's forms send it
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) fields = {csrf_token: token.content, ...fields};
  for (const [name, value] of Object.entries(fields)) {
    const field = document.createElement("textarea");
    field.name = name;
    field.value = value;
    form.appendChild(field);
  }
  document.body.appendChild(form);
  form.submit();
}"""

CONSOLE_PATH = "/admin/tenants"
CONSOLE_HOME = "/admin"  # the console's short address, which opens its list of tenants


def send_form(page: Page, action: str, fields: dict[str, str]) -> None:
    """Posts the fields to the action from whatever page is open, and waits for the answer."""
    with page.expect_navigation():
        page.evaluate(_SEND_FORM, [action, fields])


def send_suspension(page: Page, tenant_id: str, reason: str) -> None:
    send_form(page, f"{CONSOLE_PATH}/{tenant_id}/suspend", {"suspension_reason": reason})


def send_reinstatement(page: Page, tenant_id: str) -> None:
    send_form(page, f"{CONSOLE_PATH}/{tenant_id}/reinstate", {})


def open_suspension_form(page: Page, tenant_id: str) -> None:
    page.goto(f"{CONSOLE_PATH}/{tenant_id}/suspend")


def open_locked_sign_ins(page: Page, tenant_id: str) -> None:
    page.goto(f"{CONSOLE_PATH}/{tenant_id}/sign-ins")


def go_to_console(page: Page) -> None:
    page.goto(CONSOLE_PATH)


def go_to_console_home(page: Page) -> None:
    page.goto(CONSOLE_HOME)
