"""Open a Playwright trace in Playwright's trace viewer, with the system Chromium.

    .venv/bin/python scripts/show_trace.py [TRACE.zip] [--port 9323] [--no-open]
    make trace TRACE=reports/artifacts/scenarios/<scenario>.trace.zip
    make trace                              (the newest trace under reports/artifacts)

`playwright show-trace <file>` shows the viewer in Playwright's own Chromium build, which cannot
be downloaded everywhere. Given --host and --port, the same command serves the viewer over HTTP
instead. This script starts that on 127.0.0.1, waits (bounded) until it says where it listens,
prints the URL and, where there is a display, opens it in a Chromium window (the system's, or
BROWSER_EXECUTABLE); closing that window stops the viewer. Without a display, open the URL in any
browser on this machine, or from another one through `ssh -L 9323:127.0.0.1:9323 <this host>`;
Ctrl-C stops the viewer.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script, the repository is not on the path
    sys.path.insert(0, str(REPO))

from base import processes  # noqa: E402
from base.processes import dying_with_parent  # noqa: E402
from harness.browser import CHROMIUM_ARGS, SYSTEM_CHROMIUMS  # noqa: E402

START_TIMEOUT = 30.0  # seconds until the viewer says where it listens
LISTENING = re.compile(r"Listening on (https?://\S+)")
# Playwright opens the URL itself with the desktop's opener (xdg-open); without these, and with
# BROWSER=true, that opener does nothing, so the one window is the system Chromium's below
DESKTOP_VARIABLES = (
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "XDG_CURRENT_DESKTOP",
    "DESKTOP_SESSION",
    "KDE_FULL_SESSION",
    "GNOME_DESKTOP_SESSION_ID",
    "DBUS_SESSION_BUS_ADDRESS",
)


def newest_trace(folder: Path) -> Path | None:
    traces = [path for path in folder.rglob("*.zip") if path.is_file()]
    return max(traces, key=lambda path: path.stat().st_mtime) if traces else None


def viewer_command(trace: Path, host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "playwright", "show-trace", "--host", host,
            "--port", str(port), str(trace)]  # fmt: skip


def viewer_environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in DESKTOP_VARIABLES}
    env["BROWSER"] = "true"
    return env


def find_chromium() -> str | None:
    explicit = os.environ.get("BROWSER_EXECUTABLE")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    return next((found for name in SYSTEM_CHROMIUMS if (found := shutil.which(name))), None)


def chromium_window(chromium: str, url: str, profile: Path) -> list[str]:
    flags = [arg for arg in CHROMIUM_ARGS if arg != "--no-sandbox"]
    if os.geteuid() == 0:  # Chromium refuses to run as root with its sandbox
        flags += ["--no-sandbox", "--test-type"]  # --test-type: no bar warning about it
    return [chromium, *flags, f"--user-data-dir={profile}", f"--app={url}"]


def start_viewer(trace: Path, host: str, port: int) -> tuple[subprocess.Popen[str], str]:
    """Start the viewer's server; return it and its URL, or exit saying what went wrong."""
    command = viewer_command(trace, host, port)
    print(f"trace: {' '.join(command)}", flush=True)
    child = subprocess.Popen(
        dying_with_parent(command),  # SIGTERM to it if this script is killed
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=viewer_environment(),
        start_new_session=True,
    )
    found: list[str] = []
    said: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            said.append(line.rstrip())
            match = LISTENING.search(line)
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()  # the viewer ended

    threading.Thread(target=read, daemon=True).start()
    answered = ready.wait(START_TIMEOUT)
    if not found:
        reason = (
            f"ended (exit status {child.wait()})"
            if answered
            else f"did not say where it listens within {START_TIMEOUT:.0f} s"
        )
        processes.stop(child, grace_seconds=3.0)
        output = "\n".join(f"    {line}" for line in said[-20:]) or "    (it printed nothing)"
        sys.exit(f"trace: the trace viewer (`playwright show-trace`) {reason}:\n{output}")
    return child, found[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/show_trace.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("trace", nargs="?", help="trace .zip (default: the newest in --artifacts)")
    parser.add_argument("--artifacts", default="reports/artifacts", help="where to look for one")
    parser.add_argument("--host", default="127.0.0.1", help="address the viewer listens on")
    parser.add_argument("--port", type=int, default=9323, help="its port; 0 for any free port")
    opening = parser.add_mutually_exclusive_group()
    opening.add_argument("--open", dest="open", action="store_true", default=None)
    opening.add_argument("--no-open", dest="open", action="store_false", help="only serve")
    args = parser.parse_args(argv)

    trace = Path(args.trace) if args.trace else newest_trace(Path(args.artifacts))
    if trace is None:
        print(f"trace: no trace .zip under {args.artifacts}; name one: make trace TRACE=...")
        return 2
    if not trace.is_file():
        print(f"trace: no file at {trace}")
        return 2
    trace = trace.resolve()

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    viewer, url = start_viewer(trace, args.host, args.port)
    try:
        print(f"trace: {trace}\ntrace: the viewer is at {url}", flush=True)
        has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        chromium = find_chromium()
        if (has_display if args.open is None else args.open) and chromium:
            with tempfile.TemporaryDirectory(prefix="trace-viewer-chromium-") as profile:
                command = chromium_window(chromium, url, Path(profile) / "profile")
                log_path = Path(profile) / "chromium.log"
                print(f"trace: opening it in {chromium}; close that window to stop", flush=True)
                with open(log_path, "wb") as log:  # Chromium talks a lot on its stderr
                    window = subprocess.run(
                        command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, check=False
                    )
                if window.returncode == 0:
                    return 0
                said = log_path.read_text(errors="replace").splitlines()[-10:]
                print(f"trace: {chromium} ended with exit status {window.returncode}:")
                print("\n".join(f"    {line}" for line in said))
                print(f"trace: open {url} in a browser; Ctrl-C stops the viewer", flush=True)
                return viewer.wait()
        port = urlsplit(url).port
        remote = "" if has_display else f" (from elsewhere: ssh -L {port}:127.0.0.1:{port} <host>)"
        print(f"trace: open {url} in a browser{remote}; Ctrl-C stops the viewer", flush=True)
        return viewer.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        processes.stop(viewer, grace_seconds=3.0)


if __name__ == "__main__":
    sys.exit(main())
