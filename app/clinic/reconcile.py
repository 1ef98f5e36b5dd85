"""Settle the clinic's pending audit entries by hand (app/clinic/settling.py; the app also does
it when it starts), in the same environment as the app:

    python -m app.clinic.reconcile [--older-than-seconds 60]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import timedelta

from app.clinic.product import PRODUCT
from app.clinic.settling import SETTLE_AFTER, reconcile
from app.platform.db import connect
from app.platform.settings import SettingsError, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.clinic.reconcile",
        description="Settle the clinic's pending audit entries; settings from the environment.",
    )
    parser.add_argument("--older-than-seconds", type=int, default=int(SETTLE_AFTER.total_seconds()))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    try:
        settings = load_settings(PRODUCT)
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    databases = connect(settings)
    try:
        settled = reconcile(databases, timedelta(seconds=args.older_than_seconds))
    finally:
        databases.close()
    print(
        f"completed {settled.completed}, abandoned {settled.abandoned}, skipped {settled.skipped}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
