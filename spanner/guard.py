"""Refuse destructive work on real Cloud Spanner unless it was asked for, on test databases."""

from __future__ import annotations

from harness.config import Settings

TEST_PREFIXES = ("test-", "test_", "acc-", "e2e-")


class DestructiveActionRefused(RuntimeError):
    pass


def check_destructive_allowed(settings: Settings, on_emulator: bool, action: str) -> None:
    if on_emulator:
        return
    if not settings.spanner_allow_destructive:
        raise DestructiveActionRefused(
            f"refusing to {action} on real Cloud Spanner (project {settings.spanner_project}, "
            f"instance {settings.spanner_instance}): pass -D spanner.allow_destructive=true "
            "(or SPANNER_ALLOW_DESTRUCTIVE=true) to allow it on test databases"
        )
    if not settings.spanner_database_prefix.startswith(TEST_PREFIXES):
        raise DestructiveActionRefused(
            f"refusing to {action} on real Cloud Spanner: database ids must carry a test prefix "
            f"({', '.join(TEST_PREFIXES)}); setting spanner.database_prefix is "
            f"{settings.spanner_database_prefix!r}"
        )
