"""The alert-oncall action's script: it posts the alert, says when the webhook refused it, and
says loudly when no webhook is set (run as the action runs it, with a local webhook)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".github/actions/alert-oncall/post_alert.py"
RUN_URL = "https://github.example/acme/suite/actions/runs/42"


class Webhook(ThreadingHTTPServer):
    answer = 200
    received: list[dict]


class Handler(BaseHTTPRequestHandler):
    server: Webhook

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers["Content-Length"])
        self.server.received.append(json.loads(self.rfile.read(length)))
        self.send_response(self.server.answer)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    server = Webhook(("127.0.0.1", 0), Handler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def alert(url: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    summary = tmp_path / "summary.md"
    env = {
        "ALERT_WEBHOOK_URL": url,
        "ALERT_TITLE": "Production smoke failed in europe-west1",
        "ALERT_DETAILS": "The schema comparison failed.",
        "ALERT_RUN_URL": RUN_URL,
        "GITHUB_STEP_SUMMARY": str(summary),
        "NO_PROXY": "127.0.0.1",
    }
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )
    return result, summary.read_text() if summary.exists() else ""


def test_the_alert_is_posted_with_the_title_details_and_run(webhook: Webhook, tmp_path) -> None:
    host, port = webhook.server_address[:2]
    result, summary = alert(f"http://{host}:{port}/hook", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(webhook.received) == 1
    text = webhook.received[0]["text"]
    assert "Production smoke failed in europe-west1" in text
    assert "The schema comparison failed." in text
    assert RUN_URL in text
    assert "::notice title=alert-oncall::on-call alerted" in result.stdout
    assert "on-call alerted" in summary


def test_a_refused_alert_fails_the_step_and_says_why(webhook: Webhook, tmp_path) -> None:
    webhook.answer = 500
    host, port = webhook.server_address[:2]
    result, _ = alert(f"http://{host}:{port}/hook", tmp_path)
    assert result.returncode == 1
    assert "::error title=alert-oncall::the on-call webhook refused the alert: HTTP 500" in (
        result.stdout
    )


def test_without_a_webhook_the_log_says_nobody_was_alerted(tmp_path) -> None:
    result, summary = alert("", tmp_path)
    assert result.returncode == 0
    assert "::warning title=alert-oncall::no on-call webhook is set" in result.stdout
    assert "NOBODY WAS ALERTED" in result.stdout
    assert "Production smoke failed in europe-west1" in result.stdout
    assert "NOBODY WAS ALERTED" in summary
