"""The clinic's security rules in numbers, read once from environment variables (defaults are
the business rules the features tell):

- CLINIC_SIGNING_MAX_WRONG_PASSWORDS (5) wrong passwords in a row at the signing form lock
  signing for CLINIC_SIGNING_LOCK_MINUTES (15).

The idle timeout is the platform's (AppProduct.session_idle_minutes: 15 for the clinic,
APP_SESSION_IDLE_MINUTES overrides it). The second factor's numbers (5 wrong codes, 15
minutes, blocked at the 2nd lock) are in app/clinic/mfa.py: its messages name them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import cache


class PolicyError(ValueError):
    """A clinic setting is malformed; the message names its variable."""


@dataclass(frozen=True)
class ClinicPolicy:
    signing_max_wrong_passwords: int
    signing_lock: timedelta


def _whole(env: Mapping[str, str], name: str, default: int, most: int) -> int:
    value = env.get(name, "") or str(default)
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise PolicyError(f"{name} must be a whole number from 1 to {most}, got {value!r}")
    return int(value)


def load_policy(env: Mapping[str, str] | None = None) -> ClinicPolicy:
    env = os.environ if env is None else env
    return ClinicPolicy(
        signing_max_wrong_passwords=_whole(env, "CLINIC_SIGNING_MAX_WRONG_PASSWORDS", 5, 100),
        signing_lock=timedelta(minutes=_whole(env, "CLINIC_SIGNING_LOCK_MINUTES", 15, 24 * 60)),
    )


@cache
def policy() -> ClinicPolicy:
    """The running app's policy (read on first use)."""
    return load_policy()
