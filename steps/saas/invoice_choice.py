"""SaaS platform: only someone who manages the organisation's billing changes whether its
invoices are emailed, even with a request sent by hand (the form is not shown to anyone else:
features/generic_steps_invoice_emails.feature)."""

from __future__ import annotations

from behave import then, when
from playwright.sync_api import expect

from harness.page_answers import assert_page_answered
from pages.saas.invoice_emails import refusal, send_invoice_choice
from queries.saas import tenant_by_domain
from queries.saas.invoice_emails import invoice_choices_of

INVOICE_RULE = (
    "only an administrator of the organisation changes whether its invoices are emailed "
    "(app/saas/invoice_emails.py save_invoice_emails, POST /settings/billing/invoice-emails)"
)


@when("they send straight the choice to stop invoice emails")
def step_send_stop(context):
    """The billing settings' form, unticked, posted by hand from the page open."""
    send_invoice_choice(context.page, emailed=False)


@then("they are told that only administrators can change whether invoices are emailed")
def step_told_admins_only(context):
    """The billing settings answer with the refusal: 403 Forbidden."""
    expect(refusal(context.page), INVOICE_RULE).to_contain_text(
        "Only administrators can change whether invoices are emailed"
    )
    assert_page_answered(context, 403, INVOICE_RULE)


@then('"{domain}" still has its invoices emailed, as no one chose otherwise')
def step_still_emailed(context, domain):
    """No InvoicePreferences row for the tenant: the choice was never stored."""
    tenant = tenant_by_domain(context.db.users, domain)
    assert tenant is not None, f"no tenant has the domain {domain}"
    stored = invoice_choices_of(context.db.billing, tenant["TenantID"])
    assert stored == [], f"{INVOICE_RULE}: a choice of {domain} was stored: {stored}"
