"""What starting things costs, measured with the harness's own pieces: the emulator, each
product's databases, each product's app (and its parts), the browser."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence

from playwright.sync_api import sync_playwright

from base.timing import Timings
from benchmarks.table import Row, median_row
from harness.app_server import start_app
from harness.browser import launch_browser
from harness.config import Settings
from harness.mail_sink import MailSink
from harness.products import Product
from harness.runtime import app_launch
from spanner.service import SpannerService

IMPORT_SECONDS = 120.0  # a child that only imports an app: far more than it ever takes


def emulator_starts(settings: Settings, tries: int) -> list[float]:
    """The emulator (or whichever backend the settings name) started and stopped `tries` times."""
    samples = []
    for _ in range(tries):
        timings = Timings()
        service = SpannerService(settings.spanner, timings)
        try:
            service.start()
        finally:
            service.stop()
        samples.extend(timings.samples["emulator start"])
    return samples


def database_creations(service: SpannerService, product: Product, tries: int) -> list[float]:
    """A product's databases (re)created with their schemas, `tries` times."""
    samples = []
    for _ in range(tries):
        started = time.perf_counter()
        service.databases(product.databases, product.aliases, product.schema_root)
        samples.append(time.perf_counter() - started)
    return samples


def import_seconds(module: str) -> float:
    """A fresh Python that imports the app's entry module without running it: the part of an
    app's start that is process spawn and imports."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}.__main__"],
        capture_output=True,
        text=True,
        timeout=IMPORT_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"importing {module}.__main__ failed: {done.stderr.strip()[-500:]}")
    return time.perf_counter() - started


def app_rows(
    service: SpannerService, products: Sequence[Product], settings: Settings, tries: int
) -> list[Row]:
    """Each product's app: time to its first health answer, process spawn + imports, the rest."""
    rows: list[Row] = []
    sink = MailSink().start()
    try:
        for product in products:
            if not product.starts_an_app:
                continue
            databases = service.databases(product.databases, product.aliases, product.schema_root)
            launch = app_launch(product, databases, settings, service, sink.host, sink.port)
            healthy: list[float] = []
            for _ in range(tries):
                started = time.perf_counter()
                app = start_app(launch)
                healthy.append(time.perf_counter() - started)
                app.stop()
            rows.append(
                median_row("Starts", f"app {product.name}: to first health answer", healthy)
            )
            if product.app_module:
                imports = [import_seconds(product.app_module) for _ in range(tries)]
                rows.append(median_row("Starts", f"app {product.name}: spawn + imports", imports))
                rest = [
                    max(0.0, h - i) for h, i in zip(sorted(healthy), sorted(imports), strict=True)
                ]
                rows.append(
                    median_row("Starts", f"app {product.name}: serving to health answer", rest)
                )
    finally:
        sink.stop()
    return rows


def browser_launches(settings: Settings, tries: int) -> list[float]:
    """Playwright started and the browser launched as before_all does, then closed."""
    samples = []
    for _ in range(tries):
        started = time.perf_counter()
        playwright = sync_playwright().start()
        try:
            browser = launch_browser(playwright, settings)
            samples.append(time.perf_counter() - started)
            browser.close()
        finally:
            playwright.stop()
    return samples
