"""The clinic's placeholders in step patterns: each parse type's allowed values are in its
docstring (`make steps` prints them). products/step_types.py registers TYPES with behave."""

from __future__ import annotations

from collections.abc import Callable

import parse

from products.clinic import words


@parse.with_pattern(words.PATIENT)
def parse_patient(text: str) -> str:
    """A patient by full name, each word capitalised: `John Patient`."""
    return text


@parse.with_pattern(words.PROVIDER)
def parse_provider(text: str) -> str:
    """A provider by full name after `Dr.`: `Dr. Alice Smith`."""
    return text


@parse.with_pattern(words.CODE)
def parse_code(text: str) -> words.CodeChoice:
    """`a wrong code`, `the current code of their authenticator app`, `the code of the previous
    step`, `the code of the next step`, `the code of 2 steps ago`, `the code of 2 steps ahead`,
    `the code they signed in with earlier`, `the code "123456"`, `the code of the next step in
    Arabic-Indic digits`."""
    return words.code_choice(text)


@parse.with_pattern(words.PAGE)
def parse_page(text: str) -> words.TypedPage:
    """A page by the address a provider types: `the patient search`, `John Patient's record`,
    `a new visit for John Patient`."""
    return words.typed_page(text)


@parse.with_pattern(words.ACTION)
def parse_action(text: str) -> str:
    return words.AUDIT_ACTIONS[text]


@parse.with_pattern(words.PLACE)
def parse_place(text: str) -> str:
    return text


@parse.with_pattern(r"active|disabled")
def parse_account_state(text: str) -> str:
    return text


@parse.with_pattern(r"their password|a wrong password")
def parse_password_choice(text: str) -> str:
    return text


TYPES: dict[str, Callable[[str], object]] = {
    "ClinicPatient": parse_patient,
    "ClinicProvider": parse_provider,
    "SecondFactorCode": parse_code,
    "ClinicPage": parse_page,
    "ClinicPlace": parse_place,
    "AuditAction": parse_action,
    "ClinicAccountState": parse_account_state,
    "ClinicPassword": parse_password_choice,
}
