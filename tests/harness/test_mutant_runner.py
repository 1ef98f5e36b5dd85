"""harness/mutant_runner.py with mutation/ask.py: one behave kept up in a copy of the tree runs
the scenarios it is asked for, with its app started again each time, so that a change to the
app's code between two asks is what the second one tests; asked to stop, it ends cleanly."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from harness import code_swap
from harness.mutant_runner import MUTANT_SOCKET_ENV, by_file

REPO = Path(__file__).resolve().parents[2]
FEATURE = "features/clinic_smoke.feature"
PASSWORD_ALONE = f"{FEATURE}:11"  # the password alone leads to the second factor
BOTH_FACTORS = f"{FEATURE}:17"
IGNORED = shutil.ignore_patterns(".git", ".venv", "reports", "node_modules", "__pycache__")
START_LIMIT = 180.0


def ask(socket_path: Path, *locations: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "mutation" / "ask.py"), str(socket_path),
         "echo the fallback ran; exit 7", "--", *locations],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def wait_listening(child: subprocess.Popen[str], socket_path: Path) -> None:
    deadline_left = START_LIMIT
    while not socket_path.exists():
        try:
            child.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            deadline_left -= 0.1
            assert deadline_left > 0, f"the kept behave did not listen on {socket_path}"
            continue
        raise AssertionError(f"the kept behave exited with {child.returncode}")


@pytest.mark.parametrize("swapped", [True, False], ids=["code swapped in", "apps restarted"])
def test_a_kept_behave_tests_the_code_as_it_is_at_each_ask(tmp_path: Path, swapped: bool) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(REPO, tree, ignore=IGNORED, symlinks=True)
    socket_path = tmp_path / "kept.sock"
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "PYTHONDONTWRITEBYTECODE": "1",
        MUTANT_SOCKET_ENV: str(socket_path),
        "SPANNER_DATABASE_PREFIX": "test-kept-",
    }
    env.pop(code_swap.ENV, None)
    if swapped:  # as mutation/worker.py starts it: each change swapped into the running app
        (tmp_path / "swap").mkdir()
        env[code_swap.ENV] = str(tmp_path / "swap")
    runner = ["--runner", "harness.mutant_runner:MutantRunner"]
    options = ["-f", "plain", "-D", f"output={tmp_path / 'out'}", "-D", "tracing=off"]
    command = [sys.executable, "-m", "behave", *runner, FEATURE, *options]
    log = (tmp_path / "kept.log").open("w")
    child = subprocess.Popen(command, cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_listening(child, socket_path)
        first = ask(socket_path, PASSWORD_ALONE, BOTH_FACTORS)
        assert first.returncode == 0, first.stdout + first.stderr
        assert first.stdout.startswith("2 scenarios passed"), first.stdout

        auth = tree / "app" / "clinic" / "auth.py"
        original = auth.read_text()
        signature = (
            "def check_credentials(database: Database, email: str, password: str) -> str | None:\n"
        )
        assert signature in original
        auth.write_text(original.replace(signature, signature + "    return None  # nobody\n"))
        broken = ask(socket_path, BOTH_FACTORS, PASSWORD_ALONE)
        assert broken.returncode == 1, broken.stdout + broken.stderr
        assert f"Failing scenarios:\n  {BOTH_FACTORS}" in broken.stdout, broken.stdout
        assert "the fallback ran" not in broken.stdout
        how = "(swapped)" if swapped else "(restarted: no code-swap folder)"
        assert f"the code put in {how}" in broken.stdout, broken.stdout

        auth.write_text(original)
        again = ask(socket_path, BOTH_FACTORS)
        assert again.returncode == 0, again.stdout
        assert again.stdout.startswith("1 scenarios passed"), again.stdout
        assert f"the code put in {how}" in again.stdout, again.stdout

        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(str(socket_path))
            connection.sendall(json.dumps({"stop": True}).encode() + b"\n")
        assert child.wait(timeout=60) == 0, (tmp_path / "kept.log").read_text()
        assert not socket_path.exists()
    finally:
        if child.poll() is None:
            child.terminate()
            child.wait(timeout=30)
        log.close()


def test_the_fallback_runs_when_no_behave_answers(tmp_path: Path) -> None:
    done = ask(tmp_path / "nobody.sock", PASSWORD_ALONE)
    assert done.returncode == 7
    assert "the fallback ran" in done.stdout
    assert "did not answer" in done.stdout


def test_scenarios_run_in_the_order_asked_each_once() -> None:
    asked = ["a.feature:9", "a.feature:12", "a.feature:3", "b.feature:1", "a.feature:20"]
    assert list(by_file(iter(asked))) == [
        ["a.feature:9", "a.feature:12"],
        ["a.feature:3"],
        ["b.feature:1"],
        ["a.feature:20"],
    ]
