"""What starting things costs, measured with the harness's own pieces: the emulator, each
product's databases, each product's app (and its parts), the browser."""

from __future__ import annotations

import time
from collections.abc import Sequence

from playwright.sync_api import sync_playwright

from base.timing import Timings
from benchmarks.table import Row, app_log_moments, median_row
from harness.app_server import start_app
from harness.browser import launch_browser
from harness.config import Settings
from harness.mail_sink import MailSink
from harness.products import Product
from harness.runtime import app_launch
from spanner.service import SpannerService


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


def app_rows(
    service: SpannerService, products: Sequence[Product], settings: Settings, tries: int
) -> list[Row]:
    """Each product's app to its first health answer, and for a reference app its parts from its
    log: spawn + imports (to uvicorn's "Started server process"), the app's start-up (to
    "Uvicorn running on") and the rest (the health poll seeing it)."""
    rows: list[Row] = []
    sink = MailSink().start()
    try:
        for product in products:
            if not product.starts_an_app:
                continue
            databases = service.databases(product.databases, product.aliases, product.schema_root)
            parts: dict[str, list[float]] = {
                "to first health answer": [],
                "spawn + imports": [],
                "app start-up": [],
                "listening to health answer": [],
            }
            for number in range(tries):
                name = f"{product.name}-bench-{number}"
                launch = app_launch(
                    product, databases, settings, service, sink.host, sink.port, name
                )
                spawned, started = time.time(), time.perf_counter()
                app = start_app(launch)
                healthy = time.perf_counter() - started
                app.stop()
                parts["to first health answer"].append(healthy)
                moments = app_log_moments(app.log_since(0))
                if "process" in moments and "listening" in moments:
                    parts["spawn + imports"].append(moments["process"] - spawned)
                    parts["app start-up"].append(moments["listening"] - moments["process"])
                    parts["listening to health answer"].append(
                        spawned + healthy - moments["listening"]
                    )
            rows.extend(
                median_row("Starts", f"app {product.name}: {part}", samples)
                for part, samples in parts.items()
                if samples
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
