"""`python -m harness.serve`: a real subprocess on the shared emulator, read as the suite would.

It must print where everything is, seed the product's fixtures, run the reference app with
its mail going to the sink's Mailpit API, point a suite at the same databases, and leave
nothing running after SIGTERM.
"""

from __future__ import annotations

import os
import queue
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import yaml

from base.ports import free_port
from harness.config import load_settings
from harness.mailpit import MailpitMailbox
from harness.products import Product
from harness.serve import READY_LINE
from products import PRODUCTS
from products.saas import PRODUCT
from spanner.emulator import Backend
from spanner.fixture_layout import FixtureLayout
from spanner.query import query_value
from spanner.service import SpannerService

REPO = Path(__file__).resolve().parents[2]
FEATURE = "tenant_lifecycle"
START_TIMEOUT = 120.0  # creating two databases and starting the app
STOP_TIMEOUT = 30.0  # processes.stop gives each child 5 s


@dataclass
class Serve:
    process: subprocess.Popen[str]
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    output: list[str] = field(default_factory=list)
    ended: bool = False

    def __post_init__(self) -> None:
        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.lines.put(line.rstrip("\n"))
            self.lines.put(None)

        threading.Thread(target=read, daemon=True).start()

    def read_until(self, marker: str, timeout: float) -> str:
        """Everything printed up to `marker`; fails after `timeout` s or when serve ends."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(remaining, 0))
            except queue.Empty:
                pytest.fail(
                    f"serve did not print {marker!r} within {timeout:g}s; it printed:\n"
                    + "\n".join(self.output)
                )
            if line is None:
                self.ended = True
                self.process.wait(timeout=STOP_TIMEOUT)
                pytest.fail(
                    f"serve ended (code {self.process.returncode}) before printing {marker!r}:\n"
                    + "\n".join(self.output)
                )
            self.output.append(line)
            if line == marker:
                return "\n".join(self.output)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)
            pytest.fail(f"serve did not stop within {STOP_TIMEOUT:g}s of SIGTERM")

    def rest(self) -> str:
        """Everything serve printed, once its output has ended (bounded)."""
        while not self.ended:
            try:
                line = self.lines.get(timeout=STOP_TIMEOUT)
            except queue.Empty:
                pytest.fail(f"serve's output did not end within {STOP_TIMEOUT:g}s")
            if line is None:
                self.ended = True
            else:
                self.output.append(line)
        return "\n".join(self.output)


def serve_environment(tmp_path: Path, emulator_host: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith("_BASE_URL")
        and key not in ("SPANNER_BACKEND", "MAIL_API_URL", "MAIL_SMTP_PORT")
    }
    env.update(
        SPANNER_EMULATOR_HOST=emulator_host,
        SPANNER_PROJECT="serve-tests",
        SPANNER_INSTANCE=f"serve-{uuid.uuid4().hex[:10]}",
        TEST_OUTPUT=str(tmp_path / "output"),
        PYTHONUNBUFFERED="1",
    )
    return env


def start_serve(env: dict[str, str], *args: str) -> Serve:
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.serve", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    return Serve(process)


@pytest.fixture
def served(emulator: Backend, tmp_path: Path) -> Iterator[tuple[Serve, dict[str, str]]]:
    env = serve_environment(tmp_path, emulator.emulator_host)
    smtp_port, http_port = free_port(), free_port()
    serve = start_serve(
        env,
        *("--product", PRODUCT.name, "--feature", FEATURE),
        *("--smtp-port", str(smtp_port), "--http-port", str(http_port)),
    )
    try:
        yield serve, env
    finally:
        if serve.process.poll() is None:
            serve.stop()


def printed_command(output: str) -> tuple[dict[str, str], list[str]]:
    """The environment assignments and the behave arguments of the printed suite command."""
    line = next(line for line in output.splitlines() if "behave" in line)
    words = shlex.split(line)
    assignments = dict(word.split("=", 1) for word in words if re.match(r"^[A-Z_]+=", word))
    return assignments, [word for word in words if not re.match(r"^[A-Z_]+=", word)]


def fixture_row_counts(product: Product, feature: str) -> dict[tuple[str, str], int]:
    """(database, table) -> rows in the product's common and the feature's fixture files."""
    counts: dict[tuple[str, str], int] = {}
    folder_names = {name: name for name in product.databases} | dict(product.aliases)
    layout = FixtureLayout(product.fixtures_root, product.name)
    for fixture_set in layout.baseline(feature):
        for folder in sorted(p for p in fixture_set.iterdir() if p.name in folder_names):
            for file in sorted(folder.glob("*.y*ml")):
                key = (folder_names[folder.name], file.stem)
                counts[key] = counts.get(key, 0) + len(yaml.safe_load(file.read_text()) or [])
    return counts


def answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def test_serve_runs_a_product_the_suite_can_be_pointed_at(
    served: tuple[Serve, dict[str, str]],
) -> None:
    serve, env = served
    output = serve.read_until(READY_LINE, START_TIMEOUT)
    assignments, behave = printed_command(output)

    app_url = assignments[f"{PRODUCT.name.upper()}_BASE_URL"]
    api_url = assignments["MAIL_API_URL"]
    assert assignments["SPANNER_EMULATOR_HOST"] == env["SPANNER_EMULATOR_HOST"]
    assert assignments["SPANNER_INSTANCE"] == env["SPANNER_INSTANCE"]
    assert assignments["SPANNER_PROJECT"] == env["SPANNER_PROJECT"]
    assert behave[-1] == f"features/{FEATURE}.feature"
    assert f"app          {app_url}" in output
    assert f"mail API     {api_url}" in output
    assert httpx.get(f"{app_url}/healthz", timeout=5).status_code == 200

    # A suite with the printed settings opens the same databases, without creating them,
    # and finds the fixtures seeded there.
    settings = load_settings(
        {}, environ=assignments, products=[(p.name, p.title) for p in PRODUCTS]
    )
    assert settings.base_url(PRODUCT.name) == app_url
    service = SpannerService(settings.spanner).start()
    try:
        databases = service.databases(
            PRODUCT.databases, PRODUCT.aliases, PRODUCT.schema_root, create=False
        )
        expected = fixture_row_counts(PRODUCT, FEATURE)
        assert expected, "no fixtures to compare with"
        actual = {
            (database, table): query_value(
                databases[database], f"SELECT COUNT(*) FROM {table}", None
            )
            for database, table in expected
        }
        assert actual == expected
    finally:
        service.stop()

    # The app's mail reaches the sink and is read through its Mailpit API.
    unique = uuid.uuid4().hex[:8]
    email = f"admin@{unique}.example.com"
    with httpx.Client(base_url=app_url, timeout=15) as browser:
        # as a browser does: the form's page first, which sets the CSRF cookie sent back
        assert browser.get("/signup").status_code == 200
        signup = browser.post(
            "/signup",
            data={"company_name": f"Serve {unique}", "domain": f"{unique}.example.com",
                  "admin_email": email, "plan": "basic"},
            headers={"X-CSRF-Token": browser.cookies.get("csrf") or ""},
        )  # fmt: skip
    assert signup.status_code == 303, signup.text[:500]
    mailbox = MailpitMailbox(api_url).start()
    try:
        mail = mailbox.wait_for(email, timeout=10)
    finally:
        mailbox.stop()
    links = [link for link in mail.links() if "/verify" in link]
    assert links and links[0].startswith(app_url), mail.body
    assert httpx.get(links[0], timeout=10).status_code == 200

    # SIGTERM stops serve and everything it started.
    app_port = int(app_url.rsplit(":", 1)[1])
    smtp = re.search(r"mail SMTP\s+(\S+):(\d+)", output)
    assert smtp
    # base/processes.py: a program stopped by a signal ends with 128 + its number
    assert serve.stop() == 128 + signal.SIGTERM, serve.rest()
    printed = serve.rest()
    assert "stopped everything it started" in printed
    assert not answers("127.0.0.1", app_port), "the app still answers after serve stopped"
    assert not answers(smtp.group(1), int(smtp.group(2))), "the SMTP sink still answers"
    api_port = int(api_url.rsplit(":", 1)[1])
    assert not answers("127.0.0.1", api_port), "the mail API still answers"
    assert pids_mentioning(f"--port {app_port} ") == []


def test_serve_refuses_an_unknown_feature_or_product_before_starting_anything(
    tmp_path: Path,
) -> None:
    # an address where nothing listens: nothing may be reached before the request is checked
    env = serve_environment(tmp_path, f"127.0.0.1:{free_port()}")
    serve = start_serve(env, "--feature", "no_such_feature")
    assert serve.process.wait(timeout=STOP_TIMEOUT) == 2
    assert "no_such_feature" in serve.rest()

    serve = start_serve(env, "--product", "no_such_product")
    assert serve.process.wait(timeout=STOP_TIMEOUT) == 2
    printed = serve.rest()
    assert "no_such_product" in printed and f"@{PRODUCT.tag}" in printed


def pids_mentioning(text: str) -> list[int]:
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in command:
            pids.append(int(cmdline.parent.name))
    return pids


def test_serve_stops_the_rest_when_the_app_dies(
    served: tuple[Serve, dict[str, str]],
) -> None:
    serve, _env = served
    output = serve.read_until(READY_LINE, START_TIMEOUT)
    assignments, _behave = printed_command(output)
    app_port = int(assignments[f"{PRODUCT.name.upper()}_BASE_URL"].rsplit(":", 1)[1])
    api_port = int(assignments["MAIL_API_URL"].rsplit(":", 1)[1])
    [app_pid] = pids_mentioning(f"-m {PRODUCT.app_module} --host 127.0.0.1 --port {app_port} ")
    os.kill(app_pid, signal.SIGKILL)

    assert serve.process.wait(timeout=STOP_TIMEOUT) == 1
    printed = serve.rest()
    assert "the app exited with signal 9" in printed
    assert "stopped everything it started" in printed
    assert not answers("127.0.0.1", api_port), "the mail API still answers"
