"""Start a Playwright server that the suite can use through -D browser.ws_endpoint.

    .venv/bin/python scripts/browser_server.py [--host 127.0.0.1] [--port 3000] [--ws-path PATH]
    make browser-server                    (the same, with the defaults)

It writes a launch-server config for the browser the suite itself would launch (Playwright's own
Chromium, else the system's: its "executablePath"), with the suite's Chromium arguments, and
runs Playwright's documented

    playwright launch-server --browser chromium --config <that file>

which prints the server's endpoint, ws://host:port/path. Point the suite at it:

    PW_WS_ENDPOINT=ws://127.0.0.1:3000/... make acceptance
    .venv/bin/behave -D browser.ws_endpoint=ws://127.0.0.1:3000/...

The server runs until it is stopped (Ctrl-C, or SIGTERM). --print-config prints the config and
stops. Bind to another address than the loopback (--host 0.0.0.0) only on a network you trust:
whoever reaches the port drives a browser on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script, the repository is not on the path
    sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from base import processes  # noqa: E402
from base.processes import dying_with_parent  # noqa: E402
from harness.browser import CHROMIUM_ARGS, BrowserLaunchError, chromium_executable  # noqa: E402

START_TIMEOUT = 60.0  # seconds until the server has printed its endpoint
ENDPOINT = re.compile(r"^(wss?://\S+)\s*$")


def server_config(
    host: str, port: int, ws_path: str | None, executable: str | None, headless: bool = True
) -> dict:
    """The options of Playwright's BrowserType.launchServer, as launch-server's --config reads."""
    config: dict = {"headless": headless, "args": list(CHROMIUM_ARGS), "host": host, "port": port}
    if ws_path:
        config["wsPath"] = ws_path if ws_path.startswith("/") else f"/{ws_path}"
    if executable:
        config["executablePath"] = executable
    return config


def launch_server_command(config_path: Path) -> list[str]:
    return [sys.executable, "-m", "playwright", "launch-server", "--browser", "chromium",
            "--config", str(config_path)]  # fmt: skip


def suite_chromium(explicit: str | None) -> str | None:
    """The Chromium the suite would launch: None for Playwright's own, else a path."""
    with sync_playwright() as playwright:
        return chromium_executable(playwright, explicit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/browser_server.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=3000, help="port; 0 for any free port")
    parser.add_argument("--ws-path", help="path of the endpoint (default: a random one)")
    parser.add_argument(
        "--executable",
        default=os.environ.get("BROWSER_EXECUTABLE") or None,
        help="Chromium program (default: BROWSER_EXECUTABLE, else as the suite picks)",
    )
    parser.add_argument("--headed", action="store_true", help="show the browser windows")
    parser.add_argument("--print-config", action="store_true", help="print the config and stop")
    args = parser.parse_args(argv)

    try:
        executable = suite_chromium(args.executable)
    except BrowserLaunchError as error:
        print(f"browser-server: {error}", file=sys.stderr)
        return 1
    config = server_config(args.host, args.port, args.ws_path, executable, not args.headed)
    if args.print_config:
        print(json.dumps(config, indent=2))
        return 0
    return serve(config)


def serve(config: dict) -> int:
    with tempfile.TemporaryDirectory(prefix="browser-server-") as folder:
        config_path = Path(folder) / "launch-server.json"
        config_path.write_text(json.dumps(config, indent=2))
        command = launch_server_command(config_path)
        print(f"browser-server: {' '.join(command)}", flush=True)
        print(f"browser-server: config {json.dumps(config)}", flush=True)
        child = subprocess.Popen(
            dying_with_parent(command),  # SIGTERM to it if this script is killed
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        endpoint: list[str] = []
        announced = threading.Event()

        def relay() -> None:
            assert child.stdout is not None
            for line in child.stdout:
                match = ENDPOINT.match(line)
                if match and not endpoint:
                    endpoint.append(match.group(1))
                    announced.set()
                else:
                    print(f"browser-server: {line.rstrip()}", flush=True)
            announced.set()  # the server ended

        threading.Thread(target=relay, daemon=True).start()

        def stop(signum: int, _frame: object) -> None:
            raise SystemExit(128 + signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGHUP, stop)
        try:
            if not announced.wait(START_TIMEOUT):
                print(
                    f"browser-server: no endpoint printed within {START_TIMEOUT:.0f} s by "
                    "`playwright launch-server`; stopping it",
                    file=sys.stderr,
                )
                return 1
            if not endpoint:
                print(
                    "browser-server: `playwright launch-server` ended before it printed an "
                    f"endpoint (exit status {child.wait()})",
                    file=sys.stderr,
                )
                return 1
            print(f"browser-server: listening on {endpoint[0]}", flush=True)
            print(
                "browser-server: use it with\n"
                f"    PW_WS_ENDPOINT={endpoint[0]} make acceptance\n"
                f"    .venv/bin/behave -D browser.ws_endpoint={endpoint[0]}\n"
                "browser-server: serving until Ctrl-C",
                flush=True,
            )
            return child.wait()
        except KeyboardInterrupt:
            return 130
        finally:
            processes.stop(child, grace_seconds=3.0)


if __name__ == "__main__":
    sys.exit(main())
