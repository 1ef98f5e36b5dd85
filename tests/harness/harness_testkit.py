"""Shared constants and helpers of the harness tests (conftest.py holds the fixtures)."""

from __future__ import annotations

import uuid
from pathlib import Path

SCHEMA_ROOT = Path(__file__).resolve().parent / "data" / "schema"
PROJECT, INSTANCE = "harness-tests", "harness-instance"


def unique_database_id() -> str:
    """A fresh Spanner database id: lowercase, starts with a letter, 21 characters."""
    return f"t{uuid.uuid4().hex[:20]}"


def write_fixture(root: Path, set_name: str, table: str, text: str, suffix: str = ".yaml") -> Path:
    """Write root/<set>/main/<table><suffix>, the layout spanner.fixtures reads."""
    path = root / set_name / "main" / f"{table}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def lifecycle_environment(products_module: str, products: str = "PRODUCTS") -> str:
    """The environment.py of a small behave project: the suite's hooks bound to the products
    that `products_module` lists under the name `products`, as the repository's own binds its."""
    return f"""
from harness.lifecycle import Lifecycle
from {products_module} import {products}

_lifecycle = Lifecycle({products})
before_all = _lifecycle.before_all
before_feature = _lifecycle.before_feature
before_scenario = _lifecycle.before_scenario
after_step = _lifecycle.after_step
after_scenario = _lifecycle.after_scenario
after_all = _lifecycle.after_all
"""
