"""The clinic's @smoke steps: a provider's two factors against the deployed clinic (reads only;
the clinic itself records the sign-in: a session, the code's step, its audit lines)."""

from __future__ import annotations

import re
import time

from behave import then, when
from playwright.sync_api import expect

from pages.clinic.patients import PatientSearchScreen
from pages.clinic.sign_in import SecondFactorScreen
from products.clinic.rules import code_of_step, step_of

AT_SECOND_FACTOR = re.compile(re.escape(SecondFactorScreen.path) + r"/?(\?.*)?$")
AT_PATIENT_SEARCH = re.compile(re.escape(PatientSearchScreen.path) + r"/?(\?.*)?$")


@then("the clinic asks for the current code of their authenticator app, and shows no patient")
def step_asks_for_code(context):
    """The password alone leads to the second factor's form."""
    rule = "every patient page needs both factors: the password alone leads to the second factor"
    expect(context.page, rule).to_have_url(AT_SECOND_FACTOR)
    expect(SecondFactorScreen(context.page).part("mfa-code"), rule).to_be_visible()


@when("they give the current code of their authenticator app")
def step_give_current_code(context):
    """The code of this 30-second step, from the account's authenticator secret (a code
    computed just before a step ends is still accepted after it: one step of drift). A code is
    accepted once: in smoke mode, when an earlier run in this same step already used it, the
    next step's code, which the clinic also accepts, is given once (on fixtures, never)."""
    secret = context.smoke_account.secret("totp_secret")
    screen = SecondFactorScreen(context.page).reach()
    step = step_of(time.time())
    landed = screen.enter_code(code_of_step(secret, step))
    if context.settings.smoke and AT_SECOND_FACTOR.search(landed):
        screen.enter_code(code_of_step(secret, step + 1))


@then("they reach the patient search")
def step_reach_patient_search(context):
    """Both factors open the patient search."""
    rule = "the password and the current code open the patient search"
    expect(context.page, rule).to_have_url(AT_PATIENT_SEARCH)
    expect(PatientSearchScreen(context.page).search_box, rule).to_be_visible()
