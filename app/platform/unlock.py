"""Lifting a sign-in lock, for an operator: ``unlock_sign_in`` for a product's own console or
command, and ``main`` for a product's ``python -m app.<product>.unlock EMAIL``. Whether and
how a product lets someone unlock is its own rule; this is the platform's call."""

from __future__ import annotations

import argparse
import sys

from app.platform.db import Databases, connect
from app.platform.product import AppProduct
from app.platform.settings import SettingsError, load_settings
from app.platform.sign_in_records import login_name


def unlock_sign_in(product: AppProduct, databases: Databases, email: str) -> bool:
    """Lift the lock on ``email`` (and forget its wrong passwords); whether there was any."""
    return product.sign_in_records(databases).unlock(login_name(email))


def main(product: AppProduct, prog: str, argv: list[str] | None = None) -> int:
    """Unlock the email given on the command line; settings come from the environment."""
    parser = argparse.ArgumentParser(
        prog=prog, description=f"Lift the sign-in lock of an account of {product.title}."
    )
    parser.add_argument("email")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(product)
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    databases = connect(settings)
    try:
        lifted = unlock_sign_in(product, databases, args.email)
    finally:
        databases.close()
    print(f"{args.email}: {'lock lifted' if lifted else 'no lock and no wrong passwords held'}")
    return 0
