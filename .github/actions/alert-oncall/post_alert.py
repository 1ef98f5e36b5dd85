"""Post one alert to the on-call webhook named by ALERT_WEBHOOK_URL (the standard library only:
this runs before any virtualenv exists). Exit 0 when it was posted or when no webhook is set
(a warning says so); 1 when the webhook refused it or could not be reached."""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 15


def alert_text(title: str, details: str, run_url: str) -> str:
    lines = [f":rotating_light: {title}", *([details] if details else []), f"Run: {run_url}"]
    return "\n".join(lines)


def note(kind: str, message: str) -> None:
    """A GitHub workflow command (shown in the log and on the run's page), and the summary."""
    print(f"::{kind} title=alert-oncall::{message}", flush=True)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as out:
            out.write(f"**alert-oncall**: {message}\n")


def main() -> int:
    url = os.environ.get("ALERT_WEBHOOK_URL", "").strip()
    text = alert_text(
        os.environ.get("ALERT_TITLE", "A run failed"),
        os.environ.get("ALERT_DETAILS", "").strip(),
        os.environ.get("ALERT_RUN_URL", "(unknown run)"),
    )
    if not url:
        note(
            "warning",
            "no on-call webhook is set (the secret passed as webhook-url is empty): "
            "NOBODY WAS ALERTED. The alert would have said: " + text.replace("\n", " | "),
        )
        return 0
    request = urllib.request.Request(
        url,
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        note("error", f"the on-call webhook refused the alert: HTTP {error.code}")
        return 1
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        note(
            "error", f"the on-call webhook could not be reached within {TIMEOUT_SECONDS} s: {error}"
        )
        return 1
    note("notice", f"on-call alerted (the webhook answered HTTP {status})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
