"""scripts/at_hour.sh: every clock of a run set back into the hours where UTC and Los Angeles
disagree about the date (what `make behave-la-evening` runs the suite under).

The script is run for real, under libfaketime (Debian's package faketime): a tiny Python process,
and the Spanner emulator started by the suite's own spanner.emulator.start_binary inside it, must
see the faked time, and Spanner's CURRENT_DATE() must then be the day before the UTC date.
Without libfaketime those tests are skipped; the message for a missing library is tested always.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from harness.setup_check import find_faketime
from spanner.clock import SPANNER_TIMEZONE
from spanner.emulator import find_emulator_binary

REPO = Path(__file__).resolve().parents[2]
AT_HOUR = REPO / "scripts" / "at_hour.sh"
RUN_TIMEOUT = 120  # seconds any one run of the script may take here
needs_faketime = pytest.mark.skipif(
    find_faketime() is None,
    reason="no libfaketime: the Debian package faketime (`make setup` installs it as root)",
)

# what a process inside the shifted run reports: its own clocks, `date -u`, and the emulator's
PROBE = """
import json, subprocess, sys, tempfile
from pathlib import Path
from spanner.clock import spanner_today, utc_now
report = {
    "date_u": subprocess.run(["date", "-u", "+%s"], capture_output=True, text=True,
                             timeout=10, check=True).stdout.strip(),
    "utc_now": utc_now().isoformat(),
    "spanner_today": spanner_today().isoformat(),
}
if len(sys.argv) > 1:
    from spanner.databases import connect, ensure_instance
    from spanner.emulator import start_binary
    backend = start_binary(Path(sys.argv[1]), Path(tempfile.mkdtemp(prefix="clock-shift-")))
    try:
        client = connect("test-project", backend.emulator_host)
        instance = ensure_instance(client, "clock-shift", emulator=True)
        database = instance.database("clock-shift-db")
        database.create().result(60)
        with database.snapshot() as snapshot:
            now, today, utc_today = list(snapshot.execute_sql(
                "SELECT CURRENT_TIMESTAMP(), CURRENT_DATE(), CURRENT_DATE('UTC')"))[0]
        report.update(current_timestamp=now.isoformat(), current_date=today.isoformat(),
                      current_date_utc=utc_today.isoformat())
    finally:
        backend.stop()
print("PROBE " + json.dumps(report), flush=True)
"""


def at_hour(hour: str, *command: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [str(AT_HOUR), hour, *command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


def probe(hour: str, *args: str) -> dict[str, str]:
    result = at_hour(hour, sys.executable, "-c", PROBE, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE "))
    return json.loads(line.removeprefix("PROBE "))


def latest(hhmm: str, real: datetime) -> datetime:
    """The latest HH:MM UTC at or before `real`."""
    hour, minute = map(int, hhmm.split(":"))
    moment = real.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return moment if moment <= real else moment - timedelta(days=1)


@needs_faketime
def test_python_and_date_see_03_30_utc_when_los_angeles_is_a_day_behind() -> None:
    before = datetime.now(UTC)
    seen = probe("03:30")
    after = datetime.now(UTC)
    faked = datetime.fromisoformat(seen["utc_now"])
    date_u = datetime.fromtimestamp(int(seen["date_u"]), UTC)
    # back, never forward: the latest 03:30 UTC that has passed, and the clock runs on from there
    assert any(
        start <= faked < start + timedelta(seconds=RUN_TIMEOUT)
        for start in {latest("03:30", before), latest("03:30", after)}
    ), (faked, before)
    assert faked < before
    assert abs((faked - date_u).total_seconds()) < 5, (faked, date_u)
    # the window where the two dates differ: Spanner's "today" is the day before UTC's
    assert date.fromisoformat(seen["spanner_today"]) == faked.date() - timedelta(days=1)
    assert faked.astimezone(SPANNER_TIMEZONE).date() != faked.date()


@needs_faketime
def test_the_emulator_in_the_shifted_run_keeps_the_same_time_and_los_angeles_day() -> None:
    binary = find_emulator_binary(None)
    if binary is None:
        pytest.skip("no Cloud Spanner emulator (emulator_main) installed")
    seen = probe("03:30", str(binary))
    python_now = datetime.fromisoformat(seen["utc_now"])
    spanner_now = datetime.fromisoformat(seen["current_timestamp"])
    # the emulator started after the probe read its clock, on the same (faked) clock
    assert timedelta(0) <= spanner_now - python_now < timedelta(seconds=60), seen
    assert (spanner_now.hour, spanner_now.minute // 30) == (3, 1), seen  # 03:30 to 03:59 UTC
    assert seen["current_date_utc"] == spanner_now.date().isoformat()
    assert seen["current_date"] == seen["spanner_today"], seen
    assert date.fromisoformat(seen["current_date"]) == spanner_now.date() - timedelta(days=1)


@needs_faketime
@pytest.mark.parametrize("hours_ago", [1, 23])
def test_the_clock_goes_back_to_the_latest_such_hour_that_has_passed(hours_ago: int) -> None:
    """An hour one hour ago is today's (or, just after midnight, yesterday's); an hour one
    hour ahead is yesterday's, 23 hours back: never forward."""
    real = datetime.now(UTC)
    hour = (real - timedelta(hours=hours_ago)).strftime("%H:%M")
    result = at_hour(hour, sys.executable, "-c", "import time; print(time.time())")
    assert result.returncode == 0, result.stdout + result.stderr
    back = real.timestamp() - float(result.stdout.strip())
    # the minute's seconds are dropped, and the run itself takes a moment
    assert hours_ago * 3600 - 5 <= back < hours_ago * 3600 + 65, back
    assert f"set back {hours_ago}h" in result.stderr


@needs_faketime
def test_the_command_s_exit_status_passes_through_and_no_shared_memory_is_left() -> None:
    result = at_hour("03:30", "sh", "-c", "exit 7")
    assert result.returncode == 7, result.stderr
    # the first process under libfaketime owns its shared memory; killed, it cannot clean up
    killed = at_hour(
        "03:30",
        sys.executable,
        "-c",
        "import os, signal; print(os.getpid(), flush=True); os.kill(os.getpid(), signal.SIGKILL)",
    )
    assert killed.returncode == 128 + signal.SIGKILL, killed.stderr
    pid = killed.stdout.strip()
    assert not Path(f"/dev/shm/faketime_shm_{pid}").exists()
    assert not Path(f"/dev/shm/sem.faketime_sem_{pid}").exists()


@needs_faketime
def test_sigterm_reaches_the_command() -> None:
    waits = "import os, select; print(os.getpid(), flush=True); select.select([], [], [], 60)"
    runner = subprocess.Popen(
        [str(AT_HOUR), "03:30", sys.executable, "-c", waits],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([runner.stdout], [], [], 30)
        assert ready, "the command did not start within 30 s"
        command = os.pidfd_open(int(runner.stdout.readline()))  # readable once it has ended
        try:
            runner.send_signal(signal.SIGTERM)
            assert runner.wait(timeout=20) == 128 + signal.SIGTERM
            ended, _, _ = select.select([command], [], [], 10)
            assert ended, "the command outlived the script"
        finally:
            os.close(command)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait(timeout=10)
        runner.stdout.close()
        runner.stderr.close()


@needs_faketime
def test_make_keeps_the_real_clock_for_the_file_times_it_compares(tmp_path: Path) -> None:
    """The checkout's files have real times; a shifted make would see them in the future."""
    (tmp_path / "Makefile").write_text("all: input\n\t@date -u +%H:%M\n")
    (tmp_path / "input").touch()
    result = at_hour("03:30", "make", "--no-print-directory", "-C", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in ("03:30", "03:31"), "what make runs is shifted"
    assert "future" not in result.stderr and "skew" not in result.stderr, result.stderr


def test_without_libfaketime_it_stops_naming_the_package_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    env = {**os.environ, "LIBFAKETIME": str(tmp_path / "libfaketime.so.1")}
    result = at_hour("03:30", "touch", str(marker), env=env)
    assert result.returncode == 2
    assert "sudo apt-get install -y faketime" in result.stderr and "make setup" in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("hour", ["3:30", "24:00", "03:60", "evening"])
def test_a_malformed_hour_is_refused(hour: str) -> None:
    result = at_hour(hour, "true")
    assert result.returncode == 2 and "usage:" in result.stderr
