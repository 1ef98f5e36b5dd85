"""Validators for sign-up form fields; each returns a cleaned value or raises FieldError."""

from __future__ import annotations

import re

_LABEL_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_LOCAL_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def company_name(raw: str) -> str:
    value = " ".join(raw.split())
    if not 2 <= len(value) <= 200:
        raise FieldError("company_name", "Company name must be 2 to 200 characters.")
    return value


def hostname(raw: str, field: str = "domain", max_length: int = 100) -> str:
    """A lower-cased DNS host name with at least two labels and a non-numeric TLD."""
    value = raw.strip().lower().rstrip(".")
    labels = value.split(".")
    if (
        not value
        or len(value) > max_length
        or len(labels) < 2
        or not all(_LABEL_RE.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise FieldError(field, "Enter a valid domain name, e.g. acme.example.com.")
    return value


def email(raw: str, field: str = "admin_email") -> str:
    value = raw.strip()
    local, sep, domain = value.rpartition("@")
    valid = bool(sep) and 1 <= len(local) <= 64 and len(value) <= 254
    valid = valid and bool(_LOCAL_RE.match(local)) and ".." not in local
    valid = valid and not local.startswith(".") and not local.endswith(".")
    if valid:
        try:
            domain = hostname(domain, field, max_length=253)
        except FieldError:
            valid = False
    if not valid:
        raise FieldError(field, "Enter a valid email address, e.g. admin@acme.example.com.")
    return f"{local}@{domain}"
