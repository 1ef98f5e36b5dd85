"""Shared constants and helpers of the harness tests (conftest.py holds the fixtures)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from harness.browser import BrowserLaunchError, launch_browser
from harness.config import Settings

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


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """The handler served on a free loopback port, in a thread, until the block ends: its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def launched_browser(settings: Settings) -> Iterator[Browser]:
    """The suite's browser as the settings launch it, closed after the block; the test is
    skipped where this machine has no Chromium."""
    with sync_playwright() as playwright:
        try:
            browser = launch_browser(playwright, settings)
        except BrowserLaunchError as error:
            pytest.skip(f"no Chromium on this machine: {error}")
        try:
            yield browser
        finally:
            browser.close()
