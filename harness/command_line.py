"""What the harness's commands (harness.serve, harness.prepare_databases) share on their
command line: the suite's settings as -D key=value, and the module that declares the products."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterable

from harness.config import SettingsError
from harness.products import Registry


def add_suite_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-D",
        dest="userdata",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a suite setting, as for behave (the environment variable still wins)",
    )
    parser.add_argument(
        "--products-module",
        default="products",
        help="module whose PRODUCTS lists the product declarations (default: products)",
    )


def userdata_of(pairs: Iterable[str]) -> dict[str, str]:
    userdata = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise SettingsError(f"-D {pair!r}: expected key=value")
        userdata[key.strip()] = value
    return userdata


def load_registry(module_name: str, error: type[Exception]) -> Registry:
    """The products the module declares; `error` (the command's own) names what is wrong."""
    try:
        module = importlib.import_module(module_name)
    except ImportError as cause:
        raise error(f"cannot import the products module {module_name!r}: {cause}") from None
    declared = getattr(module, "PRODUCTS", None)
    if declared is None:
        raise error(f"the module {module_name!r} has no PRODUCTS list")
    return Registry.of(declared)
