"""The SaaS platform's business rules that are settings, read once from the environment when
the app starts: APP_PENDING_SIGNUP_HOURS, how long an unconfirmed sign-up holds its domain and
its admin's address (the lifetime of its emailed link; default 24, at most 720)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from app.platform.settings import SettingsError

PENDING_HOURS_VARIABLE = "APP_PENDING_SIGNUP_HOURS"
DEFAULT_PENDING_HOURS = 24
MAX_PENDING_HOURS = 24 * 30


@dataclass(frozen=True)
class SignupRules:
    """The sign-up rules' numbers (a service on app.state, read once at start)."""

    pending_hours: int = DEFAULT_PENDING_HOURS

    @property
    def pending_lifetime(self) -> timedelta:
        return timedelta(hours=self.pending_hours)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SignupRules:
        env = os.environ if env is None else env
        raw = env.get(PENDING_HOURS_VARIABLE, str(DEFAULT_PENDING_HOURS))
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PENDING_HOURS:
            raise SettingsError(
                f"{PENDING_HOURS_VARIABLE} must be a whole number of hours, 1 to "
                f"{MAX_PENDING_HOURS}, got {raw!r}"
            )
        return cls(int(raw))
