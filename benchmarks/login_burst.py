"""Fire a burst of simultaneous logins at the SaaS reference app; print what it cost.

    .venv/bin/python -m benchmarks.login_burst [--logins 40] [--known 20]   (make bench-login)

The app runs as the suite starts it (its own emulator, databases and mail sink). ``--known``
of the logins are seeded users with their right password, the rest unknown emails; every
login has its own thread and connection, and a barrier releases them together. Meanwhile one
more thread asks for GET /login again and again. Printed: the logins' p50/p95/max latency and
statuses, the app's resident memory before the burst and its peak (VmHWM), and the latency of
those GET /login. Figures only: nothing here passes or fails on a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from google.cloud import spanner
from google.cloud.spanner_v1.database import Database

from app.platform import security
from app.platform.security import hash_password
from base.timing import Timings
from harness.app_server import start_reference_app
from harness.config import load_settings
from harness.mail_sink import MailSink
from harness.runtime import reference_app_launch
from products import PRODUCTS
from spanner.service import SpannerService

REQUEST_SECONDS = 600.0  # one request, however long the line; the issue saw seconds
PASSWORD = "Burst-Login-2026!"
APP_MODULE = "app.saas"


@dataclass
class Timed:
    seconds: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)


def _seed_users(users: Database, count: int, password_hash: str) -> list[str]:
    """One active tenant with ``count`` active users, all with PASSWORD (hashed by the app's
    own hash_password, so with the parameters of the tree being measured)."""
    if count == 0:
        return []
    tenant_id, run = str(uuid.uuid4()), uuid.uuid4().hex[:8]
    emails = [f"user{i}@burst-{run}.example.com" for i in range(count)]
    now = spanner.COMMIT_TIMESTAMP
    ids = [str(uuid.uuid4()) for _ in emails]
    with users.batch() as batch:
        batch.insert(
            "Tenants",
            columns=("TenantID", "Name", "Domain", "Plan", "Status", "CreatedAt", "UpdatedAt"),
            values=[(tenant_id, "Burst Co", f"burst-{run}.example.com", "basic", "active", now,
                     now)],
        )  # fmt: skip
        batch.insert(
            "Users",
            columns=("TenantID", "UserID", "Email", "Role", "Status", "CreatedAt"),
            values=[
                (tenant_id, i, e, "member", "active", now) for i, e in zip(ids, emails, strict=True)
            ],
        )
        batch.insert(
            "UserCredentials",
            columns=("TenantID", "UserID", "PasswordHash", "UpdatedAt"),
            values=[(tenant_id, i, password_hash, now) for i in ids],
        )
    return emails


def _app_pid(port: int) -> int:
    """The pid of ``python -m app.saas ... --port <port>`` (the app the harness started)."""
    wanted = ["-m", APP_MODULE, "--host", "127.0.0.1", "--port", str(port)]
    found = []
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().decode().split("\0")
        except (OSError, ValueError):
            continue
        if proc.name.isdigit() and args[1:-1] == wanted:
            found.append(int(proc.name))
    if len(found) != 1:
        raise RuntimeError(f"expected one app process on port {port}, found {found}")
    return found[0]


def _memory_kib(pid: int, field_name: str) -> int:
    """VmRSS (resident now) or VmHWM (resident at its peak) of the process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no {field_name}")


def _burst(url: str, forms: list[dict[str, str]]) -> tuple[Timed, Timed]:
    """POST every form to /login from its own thread, all released by one barrier with one more
    thread that asks for GET /login again and again until the last login is answered."""
    barrier = threading.Barrier(len(forms) + 1, timeout=REQUEST_SECONDS)
    logins, probes = Timed(), Timed()
    lock = threading.Lock()
    done = threading.Event()

    def log_in(form: dict[str, str]) -> None:
        with httpx.Client(base_url=url, timeout=REQUEST_SECONDS, trust_env=False) as client:
            barrier.wait()
            started = time.perf_counter()
            try:
                status = str(client.post("/login", data=form).status_code)
            except httpx.HTTPError as error:
                status = type(error).__name__
            with lock:
                logins.seconds.append(time.perf_counter() - started)
                logins.statuses[status] += 1

    def probe() -> None:
        with httpx.Client(base_url=url, timeout=REQUEST_SECONDS, trust_env=False) as client:
            barrier.wait()
            while not done.is_set():
                started = time.perf_counter()
                status = str(client.get("/login").status_code)
                probes.seconds.append(time.perf_counter() - started)
                probes.statuses[status] += 1

    threads = [threading.Thread(target=log_in, args=(form,)) for form in forms]
    prober = threading.Thread(target=probe)
    for thread in [*threads, prober]:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_SECONDS + 10)
    done.set()
    prober.join(REQUEST_SECONDS + 10)
    return logins, probes


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _figures(name: str, timed: Timed) -> str:
    values = timed.seconds
    if not values:
        return f"{name}: none answered"
    return (
        f"{name}: {len(values)}, p50 {_percentile(values, 0.5):.2f} s, "
        f"p95 {_percentile(values, 0.95):.2f} s, max {max(values):.2f} s "
        f"(mean {statistics.fmean(values):.2f} s), statuses {dict(timed.statuses)}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.login_burst")
    parser.add_argument("--logins", type=int, default=40, help="simultaneous logins (40)")
    parser.add_argument("--known", type=int, help="of them, seeded users (default: half)")
    args = parser.parse_args(argv)
    known = args.logins // 2 if args.known is None else args.known
    if args.logins < 1 or not 0 <= known <= args.logins:
        parser.error(f"--known must be 0..--logins ({args.logins}), got {known}")
    output = Path(tempfile.mkdtemp(prefix="login-burst-"))
    settings = load_settings({"output": str(output)}, environ={})
    service = SpannerService(settings.spanner, Timings()).start()
    sink = MailSink().start()
    app = None
    try:
        product = next(p for p in PRODUCTS if p.app_module == APP_MODULE)
        databases = service.databases(product.databases, product.aliases, product.schema_root)
        password_hash = hash_password(PASSWORD)
        emails = _seed_users(databases.handles["users"], known, password_hash)
        unknown = [f"nobody{i}@burst-unknown.example.com" for i in range(args.logins - known)]
        app = start_reference_app(
            reference_app_launch(
                product, databases, settings, service, sink.host, sink.port, name="login-burst"
            )
        )
        pid = _app_pid(int(app.base_url.rsplit(":", 1)[1]))
        rss_before = _memory_kib(pid, "VmRSS")
        forms = [{"email": e, "password": PASSWORD} for e in emails]
        forms += [{"email": e, "password": PASSWORD} for e in unknown]
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        logins, probes = _burst(app.base_url, forms)
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()[0]
        peak = _memory_kib(pid, "VmHWM")
    finally:
        if app is not None:
            app.stop()
        sink.stop()
        service.stop()
    print(f"{args.logins} simultaneous logins ({known} known users, "
          f"{args.logins - known} unknown emails), all answered in {elapsed:.2f} s")  # fmt: skip
    print(f"the app's hash_password ({security.__file__}) made {password_hash[:30]}...")
    print(_figures("logins", logins))
    print(_figures("GET /login meanwhile", probes))
    print(f"app memory: {rss_before / 1024:.0f} MB resident before the burst, "
          f"peak {peak / 1024:.0f} MB (VmHWM); app log in {settings.log_dir}")  # fmt: skip
    print(f"machine: {os.cpu_count()} cores, load average (1 min) {load_before:.1f} before the "
          f"burst, {load_after:.1f} after")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
