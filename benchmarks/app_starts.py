"""Start a product's reference app many times in a row; count the starts that fail.

    .venv/bin/python -m benchmarks.app_starts [--product saas] [--starts 200]

The runner keeps a Spanner client busy between starts, as a behave run does, so that gRPC's
threads are running whenever a child is started (the condition of the old fork crash).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from base.timing import Timings
from harness.app_server import AppStartError, start_reference_app
from harness.config import load_settings
from harness.mail_sink import MailSink
from harness.products import Registry
from harness.runtime import reference_app_launch
from products import PRODUCTS
from spanner.query import query
from spanner.service import SpannerService


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.app_starts")
    parser.add_argument("--product", default=PRODUCTS[0].name)
    parser.add_argument("--starts", type=int, default=200)
    args = parser.parse_args(argv)
    product = Registry.of(PRODUCTS).products[args.product]
    output = Path(tempfile.mkdtemp(prefix="app-starts-"))
    settings = load_settings({"output": str(output)}, environ={})
    service = SpannerService(settings.spanner, Timings()).start()
    sink = MailSink().start()
    failures: list[str] = []
    seconds: list[float] = []
    try:
        databases = service.databases(product.databases, product.aliases, product.schema_root)
        for number in range(1, args.starts + 1):
            for database in databases.handles.values():
                query(database, "SELECT 1 AS one", attach=False)
            launch = reference_app_launch(
                product, databases, settings, service, sink.host, sink.port,
                name=f"{product.name}-{number}",
            )  # fmt: skip
            started = time.perf_counter()
            try:
                app = start_reference_app(launch)
            except AppStartError as error:
                failures.append(f"start {number}: {error}")
                continue
            seconds.append(time.perf_counter() - started)
            app.stop()
    finally:
        sink.stop()
        service.stop()
    print(f"{args.starts} starts of {product.title}: {len(failures)} failed")
    if seconds:
        print(
            f"time to healthy: median {statistics.median(seconds):.2f} s, "
            f"worst {max(seconds):.2f} s; logs in {settings.log_dir}"
        )
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
