"""Refuse destructive work on real Cloud Spanner unless it was asked for, on test databases."""

from __future__ import annotations

from spanner.settings import SpannerSettings

TEST_PREFIXES = ("test-", "test_", "acc-", "e2e-")


class DestructiveActionRefused(RuntimeError):
    pass


def check_destructive_allowed(settings: SpannerSettings, on_emulator: bool, action: str) -> None:
    if on_emulator:
        return
    if not settings.allow_destructive:
        raise DestructiveActionRefused(
            f"refusing to {action} on real Cloud Spanner (project {settings.project}, "
            f"instance {settings.instance}): pass -D spanner.allow_destructive=true "
            "(or SPANNER_ALLOW_DESTRUCTIVE=true) to allow it on test databases"
        )
    if not settings.database_prefix.startswith(TEST_PREFIXES):
        raise DestructiveActionRefused(
            f"refusing to {action} on real Cloud Spanner: database ids must carry a test prefix "
            f"({', '.join(TEST_PREFIXES)}); setting spanner.database_prefix is "
            f"{settings.database_prefix!r}"
        )
