"""Steps every product's @smoke scenarios share: who signs in, signing in, and the schema drift
check. They only read: in smoke mode (run.mode=smoke) they run against a deployed app and its
production databases, as the settings' account (harness/smoke.py)."""

from __future__ import annotations

import allure
from behave import given, then, when

from harness.products import REPO_ROOT
from harness.smoke import smoke_account
from pages.shared.login import LoginScreen
from spanner.live_schema import read_shape
from spanner.schema_drift import compare, describe, expected_shapes, scratch_instance


def _sign_in(context) -> None:
    account = context.smoke_account
    LoginScreen(context.page).open().log_in(account.email, account.password)


@given("{who} who has an account with the {product}")
def step_smoke_account(context, who, product):
    """The person a @smoke scenario signs in as: the settings' account in smoke mode, the
    `smoke:` account of the feature's accounts.yaml otherwise."""
    context.smoke_account = smoke_account(
        context.settings, context.product.product, context.accounts
    )


@when("they sign in")
def step_sign_in(context):
    """The shared sign-in page, with the account's email and password."""
    _sign_in(context)


@given("they have signed in")
def step_have_signed_in(context):
    """As `they sign in`, for a scenario that starts signed in."""
    _sign_in(context)


def _shown(path) -> str:
    try:
        return f"{path.relative_to(REPO_ROOT)}/"
    except ValueError:
        return f"{path}/"


@then("the live databases have the shape the product was built for")
def step_no_schema_drift(context):
    """Every database of the product, read through INFORMATION_SCHEMA, against its schema files
    applied on a private emulator: tables, columns (type, nullability), keys, interleaving,
    indexes and foreign keys; any drift told table by table."""
    product, settings = context.product.product, context.settings
    with scratch_instance(settings.spanner_emulator_binary, settings.log_dir) as instance:
        expected = expected_shapes(instance, list(product.databases), product.schema_root)
    reports, drifted = [], False
    for name in product.databases:
        handle = context.db[name]
        drifts = compare(expected[name], read_shape(handle))
        drifted = drifted or bool(drifts)
        reports.append(describe(handle.database_id, _shown(product.schema_root / name), drifts))
    report = "\n\n".join(reports)
    allure.attach(report, name="schema drift", attachment_type=allure.attachment_type.TEXT)
    assert not drifted, (
        f"the live databases of the {product.title} are not the shape it was built for:\n{report}"
    )
