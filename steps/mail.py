"""Generic mail steps: an email arrives, what it says, and its links (harness/mail_words.py)."""

from __future__ import annotations

import allure
from behave import then, when

from base.placeholders import resolve
from harness.mail_words import Email, wait_for_email


def _wait_seconds(context) -> float:
    return context.settings.mail_wait_timeout


def _the_email(context) -> Email:
    email = getattr(context, "email", None)
    if email is None:
        raise AssertionError(
            "no email has arrived in this scenario yet: say which one first, e.g. Then an email "
            'to "someone@example.com" arrives with the subject "Verify your email"'
        )
    return email


@then('an email to "{address}" arrives with the subject "{subject}"')
def step_email_arrives(context, address, subject):
    """An email to that address with exactly that subject arrives; it becomes "the email".
    Waits up to mail.wait_timeout seconds (10 unless set).
    Example: Then an email to "founder@northwind.example.com" arrives with the subject "Verify your email"
    """
    address, subject = resolve(address, context.learned), resolve(subject, context.learned)
    context.email = wait_for_email(context.mail, address, subject, _wait_seconds(context))
    allure.attach(
        context.email.shown(), name=f"email: {subject}", attachment_type=allure.attachment_type.TEXT
    )


@then('the email says "{words}"')
def step_email_says(context, words):
    """The email's text holds these words (white space as a person reads it).
    Example: Then the email says "Confirm your email address"
    """
    email = _the_email(context)
    words = resolve(words, context.learned)
    assert email.says(words), f'the email does not say "{words}"; it is {email.shown()}'


@when('I follow the link "{text}" in the email')
def step_follow_email_link(context, text):
    """Opens the email's link with this text in the browser.
    A link's text: its <a>'s text, or in a plain-text email the words that introduce its
    address; its address, or the address's path (/verify), names it too. An email with an
    HTML and a text part is read by its HTML part first.
    Example: When I follow the link "Confirm your email address to finish setting up your organisation" in the email
    """
    link = _the_email(context).link(resolve(text, context.learned))
    context.page.goto(link.url)


@when('I remember the link "{text}" in the email as {{{name:w}}}')
def step_remember_email_link(context, text, name):
    """Remembers the address of the email's link with this text as {name}.
    Example: When I remember the link "/verify" in the email as {confirmation_link}
    """
    context.learned[name] = _the_email(context).link(resolve(text, context.learned)).url
