"""Faults while the real suite runs: Spanner unreachable or hung, and the run ends in seconds
with the cause named and nothing left running."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from base.proc import command_line, descendants, is_running

REPO = Path(__file__).resolve().parents[2]
BEHAVE = Path(sys.executable).with_name("behave")
FEATURE = "features/tenant_lifecycle.feature"
# the 10 s bound on reaching Spanner, plus starting Python, behave and Playwright on a busy machine
WITHIN = 10 + 8


def allure_results_in(tmp_path: Path) -> list[str]:
    """Send the run's Allure results to tmp_path, not to the repository's reports/.

    behave pairs -o with the -f before it, counting the formatters of behave.ini first: this
    pair must come before any other -f on the command line."""
    return ["-f", "allure_behave.formatter:AllureFormatter", "-o", str(tmp_path / "allure")]


def run_suite(tmp_path: Path, env: dict[str, str], timeout: float = 60):
    started = time.perf_counter()
    result = subprocess.run(
        [str(BEHAVE), FEATURE, *allure_results_in(tmp_path), "-f", "plain", "--no-capture"],
        cwd=REPO,
        env={**os.environ, "TEST_OUTPUT": str(tmp_path / "out"), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return result, time.perf_counter() - started


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word (not a gRPC server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for connection in accepted:
        connection.close()
    server.close()


def test_closed_emulator_port_is_named_within_10_seconds(tmp_path: Path) -> None:
    port = closed_port()
    result, seconds = run_suite(tmp_path, {"SPANNER_EMULATOR_HOST": f"127.0.0.1:{port}"})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"Spanner (external backend) at 127.0.0.1:{port}" in output, output
    assert seconds < WITHIN, f"took {seconds:.1f}s"


def test_a_listener_that_is_not_spanner_is_named_within_10_seconds(
    tmp_path: Path, silent_listener: int
) -> None:
    host = f"127.0.0.1:{silent_listener}"
    result, seconds = run_suite(tmp_path, {"SPANNER_EMULATOR_HOST": host})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"Spanner (external backend) at {host}" in output, output
    assert seconds < WITHIN, f"took {seconds:.1f}s"


def test_an_emulator_that_hangs_at_start_is_named(tmp_path: Path) -> None:
    hanging = tmp_path / "emulator_main"
    hanging.write_text("#!/bin/sh\nexec tail -f /dev/null\n")
    hanging.chmod(0o755)
    result, seconds = run_suite(
        tmp_path, {"SPANNER_EMULATOR_BINARY": str(hanging), "SPANNER_BACKEND": "binary"}
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"the Spanner emulator {hanging} did not listen" in output, output
    assert seconds < WITHIN, f"took {seconds:.1f}s"
    leftovers = subprocess.run(["pgrep", "-f", str(hanging)], capture_output=True, text=True)
    assert leftovers.stdout == "", f"left running: {leftovers.stdout}"


# A shell starts background jobs with SIGINT ignored, and Python then never turns it into
# KeyboardInterrupt: pytest run in the background would hand that on to the suite. The suite is
# started through this, which takes Ctrl-C back as at a terminal and execs behave. Not a
# preexec_fn: that makes Python fork rather than vfork, and a fork of this process, whose gRPC
# client threads are running, can abort in gRPC's fork handler before it execs (grpc#43055).
CTRL_C_AS_AT_A_TERMINAL = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def start_suite(tmp_path: Path) -> subprocess.Popen[str]:
    behave = [str(BEHAVE), FEATURE, *allure_results_in(tmp_path), "-f", "plain", "--no-capture"]
    return subprocess.Popen(
        [sys.executable, "-c", CTRL_C_AS_AT_A_TERMINAL, *behave],
        cwd=REPO,
        env={**os.environ, "TEST_OUTPUT": str(tmp_path / "out")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def read_until(run: subprocess.Popen[str], marker: str, seconds: float) -> str:
    """The run's output up to the first line holding `marker`."""
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([run.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = run.stdout.readline()
        if not line:
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    run.kill()
    pytest.fail(f"no {marker!r} within {seconds:g}s; output:\n{''.join(seen)}")


@pytest.mark.parametrize(
    ("victim", "cause"),
    [
        ("emulator_main", "the Spanner emulator exited with signal 9 (SIGKILL)"),
        ("-m app.saas", "app (python -m app.saas) exited with signal 9 (SIGKILL)"),
        ("--remote-debugging-pipe", "the browser (process"),
    ],
    ids=["emulator", "app", "browser"],
)
def test_a_service_killed_mid_run_ends_the_run_with_its_cause(
    tmp_path: Path, victim: str, cause: str
) -> None:
    run = start_suite(tmp_path)
    try:
        before = read_until(run, "Scenario:", 60)
        family = descendants(run.pid)
        target = next(
            pid
            for pid in family
            if victim in command_line(pid) and " --type=" not in command_line(pid)
        )
        os.kill(target, signal.SIGKILL)
        killed = time.perf_counter()
        rest, _ = run.communicate(timeout=20)
        seconds = time.perf_counter() - killed
    finally:
        run.kill()
    output = before + rest
    assert run.returncode not in (0, None)
    assert cause in output, output
    assert "HOOK-ERROR in before_scenario: ServiceDied" in output  # the next ones fail at once
    assert seconds < 20, f"the run took {seconds:.1f}s to end after the kill"
    left = [f"{pid} {command_line(pid)}" for pid in family if is_running(pid)]
    assert not left, f"left running: {left}"


@pytest.mark.parametrize(
    ("signum", "exit_code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
    ids=["Ctrl-C", "SIGTERM"],
)
def test_an_interrupted_run_ends_with_the_signal_exit_code(
    tmp_path: Path, signum: signal.Signals, exit_code: int
) -> None:
    run = start_suite(tmp_path)
    try:
        read_until(run, "Scenario:", 60)
        family = descendants(run.pid)
        run.send_signal(signum)
        run.communicate(timeout=20)
    finally:
        run.kill()
    assert run.returncode == exit_code
    left = [f"{pid} {command_line(pid)}" for pid in family if is_running(pid)]
    assert not left, f"left running: {left}"
