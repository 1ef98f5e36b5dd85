"""`python -m app.academy.unlock EMAIL` lifts a student's sign-in lock, run as its own process
against this module's academy database."""

from __future__ import annotations

import os
import subprocess
import sys

from academy_testkit import app_env
from google.cloud.spanner_v1.instance import Instance

from app.platform.db import Databases, query_one
from app.platform.sign_in_records import SpannerSignInRecords
from harness.products import REPO_ROOT
from spanner.emulator import Backend

DATABASE_ID = "app-academy-unlock"
CLI_SECONDS = 60  # a fresh interpreter and a Spanner client: seconds on a busy machine


def run_cli(emulator: Backend, instance: Instance, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **app_env(emulator, instance, DATABASE_ID)}
    return subprocess.run(
        [sys.executable, "-m", "app.academy.unlock", *args],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=CLI_SECONDS, check=False,
    )  # fmt: skip


def test_the_command_lifts_a_students_lock_and_says_when_there_was_none(
    emulator: Backend, spanner_instance: Instance, databases: Databases
) -> None:
    email = "locked.student@academy.example.com"
    records = SpannerSignInRecords(databases.academy)
    assert records.failed(email, 1, 15), "one wrong password of a limit of 1 locks"
    done = run_cli(emulator, spanner_instance, email)
    assert (done.returncode, done.stdout.strip()) == (0, f"{email}: lock lifted"), done
    assert not records.locked(email)
    row = query_one(
        databases.academy, "SELECT 1 AS n FROM SignInFailures WHERE LoginName = @n", {"n": email}
    )
    assert row is None, "the unlock leaves no wrong password counted"
    again = run_cli(emulator, spanner_instance, email)
    assert again.returncode == 0 and "no lock and no wrong passwords held" in again.stdout
