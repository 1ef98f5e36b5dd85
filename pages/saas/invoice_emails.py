"""The billing settings' choice of invoice emails, sent straight to its address as a
hand-made form would send it, and the refusal the settings then show."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.saas.console import send_form

INVOICE_EMAILS_PATH = "/settings/billing/invoice-emails"


def send_invoice_choice(page: Page, emailed: bool) -> None:
    """A check box sends its value only when ticked: no field is the choice to stop."""
    send_form(page, INVOICE_EMAILS_PATH, {"email_invoices": "yes"} if emailed else {})


def refusal(page: Page) -> Locator:
    return page.get_by_role("alert")
