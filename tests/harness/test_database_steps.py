"""The generic database steps (steps/database.py), run by behave on a small project of its own.

One behave run of one feature: scenarios that must pass, and scenarios whose one failing step
must fail with a given text. Each test reads that run's JSON report, the way behave tests itself.
"""

# ruff: noqa: E501 - Gherkin tables and steps are as wide as they are

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from harness_testkit import lifecycle_environment

from spanner.emulator import Backend
from spanner.read_only import WriteRefused, refuse

REPO = Path(__file__).resolve().parents[2]
BEHAVE = Path(sys.executable).with_name("behave")

ENVIRONMENT = lifecycle_environment("shop_product")

PRODUCT = """
from pathlib import Path

from harness.products import Product

HERE = Path(__file__).resolve().parent
PRODUCTS = (
    Product(
        name="shop",
        title="Shop",
        databases=("shop_accounts",),
        app_module="shop_app",
        aliases={"main": "shop_accounts"},
        schema_root=HERE / "schema",
        fixtures_root=HERE / "fixtures",
        app_cwd=HERE,
    ),
)
"""

# the smallest app the lifecycle can start: it answers its health check
APP = """
import argparse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"status": "ok"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


parser = argparse.ArgumentParser()
parser.add_argument("--host")
parser.add_argument("--port", type=int)
args = parser.parse_args()
ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()
"""

# the repository's generic database steps, as a team's project would load them
STEPS = f"""
import runpy

runpy.run_path({str(REPO / "steps" / "database.py")!r})
"""

SCHEMA = """
CREATE TABLE Accounts (
  AccountId STRING(36) NOT NULL,
  Name STRING(100) NOT NULL,
  Seats INT64,
  Balance NUMERIC,
  OpenedOn DATE,
  CreatedAt TIMESTAMP,
  Logo BYTES(MAX),
  Settings JSON,
  Tags ARRAY<STRING(MAX)>,
) PRIMARY KEY (AccountId);
CREATE TABLE Notes (NoteId STRING(36) NOT NULL, Body STRING(MAX)) PRIMARY KEY (NoteId);
"""

ACCOUNTS = """
- AccountId: a1
  Name: ACME Ltd
  Seats: 9
  Balance: "100.50"
  OpenedOn: 2025-12-31
  CreatedAt: now-1m
  Logo: aGk=
  Settings: {plan: pro, seats: 9}
  Tags: [red, blue]
- AccountId: a2
  Name: Globex
  Seats: 2
  Balance: "7"
  OpenedOn: 2026-02-01
  CreatedAt: 2026-01-01T00:00:00Z
- AccountId: a3
  Name: Initech
"""

FEATURE = '''
@product.shop
Feature: Database steps

  Scenario: Counting rows
    Then the main database has 3 rows in "Accounts"
    And the shop_accounts database has 1 row in "Accounts" where Name is "Globex"
    And the main database has 2 rows in "Accounts" where Seats is "not null"
    And the main database has 1 row in "Accounts" where Seats is "> 5" and Name is "like 'ACME%'"
    And the main database has 1 row in "Accounts" where CreatedAt is "within 5 minutes of now"
    And the main database has 1 row in "Accounts" where OpenedOn is "<= 2026-01-01"
    And the main database has 1 row in "Accounts" where Balance is "100.5"
    And the main database has no rows in "Accounts" where Seats is "> 100"
    And the main database has no rows in "Notes"

  Scenario: Checking every type in a table
    Then the main database table "Accounts" contains:
      | Name     | Seats | Balance | OpenedOn   | CreatedAt               | Logo   | Settings                    | Tags        |
      | ACME Ltd | > 5   | 100.5   | 2025-12-31 | within 5 minutes of now | 0x6869 | {"seats": 9, "plan": "pro"} | [red, blue] |
      | Globex   | 2     | < 10    | > today-3650d | within 5 seconds of 2026-01-01T00:00:03Z | null | null | null |
    And the main database table "Accounts" contains exactly:
      | AccountId | Logo     |
      | a1        | aGk=     |
      | a2        | null     |
      | a3        | <any>    |
    And the main database table "Accounts" does not contain:
      | Name    | Seats    |
      | Hooli   | <any>    |
      | Initech | not null |

  Scenario: Changing rows
    When the main database is changed by:
      """
      UPDATE Accounts SET Seats = Seats + 1 WHERE Seats IS NOT NULL AND Name != 'x;y@z'
      """
    Then 2 rows were changed
    And the main database has 1 row in "Accounts" where Seats is "10"
    When the main database is changed by:
      """
      INSERT INTO Notes (NoteId, Body) VALUES ('n1', 'hello');
      INSERT INTO Notes (NoteId, Body) VALUES ('n2', 'again') THEN RETURN NoteId
      """
    Then 2 rows were changed
    And the answer is:
      | NoteId |
      | n2     |
    When the main database is changed by:
      """
      DELETE FROM Notes WHERE NoteId = 'nobody'
      """
    Then no rows were changed

  Scenario: Asking and remembering
    When the main database is asked:
      """
      SELECT AccountId FROM Accounts WHERE Name = 'Globex' AND Name != 'a@b'
      """
    Then the answer is:
      | AccountId |
      | a2        |
    When I remember the answer's "AccountId" as {globex}
    And the main database is asked:
      """
      SELECT Name, Seats FROM Accounts WHERE AccountId = @globex
      """
    Then the answer is:
      | Name   | Seats |
      | Globex | < 3   |
    When I remember "AccountId" of the main database's "Accounts" row where Name is "like 'ACME%'" as {acme}
    Then the main database table "Accounts" contains:
      | AccountId | Name     |
      | {acme}    | ACME Ltd |
    And the main database has 1 row in "Accounts" where AccountId is "{acme}"
    When the main database is changed by:
      """
      DELETE FROM Accounts WHERE AccountId = @acme
      """
    Then 1 row was changed
    When the main database is asked:
      """
      SELECT AccountId FROM Accounts WHERE AccountId = @acme
      """
    Then the answer has no rows

  Scenario: A count that differs
    Then the main database has 2 rows in "Accounts" where Name is "Globex"

  Scenario: A row that is missing
    Then the main database table "Accounts" contains:
      | Name  |
      | Hooli |

  Scenario: A row that should not be there
    Then the main database table "Accounts" does not contain:
      | Name   |
      | Globex |

  Scenario: A change asked as a question
    When the main database is asked:
      """
      UPDATE Accounts SET Seats = 0 WHERE TRUE
      """

  Scenario: A question asked as a change
    When the main database is changed by:
      """
      SELECT * FROM Accounts
      """

  Scenario: A query the database refuses
    When the main database is asked:
      """
      SELECT *
      FROM Nowhere
      """

  Scenario: A change the database refuses
    When the main database is changed by:
      """
      UPDATE Accounts SET Nothing = 1 WHERE TRUE
      """

  Scenario: A count of changed rows that differs
    When the main database is changed by:
      """
      UPDATE Accounts SET Seats = 1 WHERE Seats IS NOT NULL
      """
    Then 5 rows were changed

  Scenario: A name that was not remembered
    When I remember "AccountId" of the main database's "Accounts" row where Name is "Globex" as {globex}
    Then the main database table "Accounts" contains:
      | AccountId |
      | {nobody}  |

  Scenario: A parameter that was not remembered
    When I remember "AccountId" of the main database's "Accounts" row where Name is "Globex" as {globex}
    And the main database is asked:
      """
      SELECT Name FROM Accounts WHERE AccountId = @nobody
      """

  Scenario: A cell the notation cannot read
    Then the main database table "Accounts" contains:
      | Name   | Seats        |
      | Globex | > 2026-01-01 |

  Scenario: A condition the column cannot take
    Then the main database has 1 row in "Accounts" where Seats is "like '1%'"

  Scenario: A row to remember that is not there
    When I remember "AccountId" of the main database's "Accounts" row where Name is "Hooli" as {hooli}

  Scenario: Changed rows before any change
    Then 1 row was changed

  Scenario: An answer before any question
    Then the answer has no rows

  Scenario: An answer checked by a column it has not
    When the main database is asked:
      """
      SELECT Name AS Company FROM Accounts WHERE Seats > 5
      """
    Then the answer is:
      | Name     |
      | ACME Ltd |

  Scenario: Conditions written another way
    Then the main database has 1 row in "Accounts" where Name = "Globex"

  Scenario: An answer of many rows to remember
    When the main database is asked:
      """
      SELECT AccountId FROM Accounts
      """
    And I remember the answer's "AccountId" as {account}

  Scenario: A parameter before anything was remembered
    When the main database is asked:
      """
      SELECT Name FROM Accounts WHERE Seats > @seats
      """

  Scenario: An answer that differs
    When the main database is asked:
      """
      SELECT Name FROM Accounts WHERE Seats > 5
      """
    Then the answer is:
      | Name   |
      | Globex |
'''


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())


@pytest.fixture(scope="module")
def run(emulator: Backend, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Behave's JSON report of the feature, as scenario name -> scenario."""
    project = tmp_path_factory.mktemp("database_steps")
    write(project / "environment.py", ENVIRONMENT)
    write(project / "shop_product.py", PRODUCT)
    write(project / "shop_app.py", APP)
    write(project / "steps" / "generic_steps.py", STEPS)
    write(project / "schema" / "shop_accounts" / "001_accounts.sql", SCHEMA)
    write(project / "fixtures" / "database_steps" / "main" / "Accounts.yaml", ACCOUNTS)
    (project / "features").mkdir()
    (project / "features" / "database_steps.feature").write_text(FEATURE.lstrip())
    results = project / "allure"
    env = {
        **os.environ,
        "SPANNER_EMULATOR_HOST": emulator.emulator_host,
        "SPANNER_INSTANCE": f"steps-{uuid.uuid4().hex[:8]}",
        "TEST_OUTPUT": str(project / "out"),
        "PYTHONPATH": str(project),
        "DB_POLL_TIMEOUT": "0.3",  # every failing check waits this long
    }
    allure = ["-f", "allure_behave.formatter:AllureFormatter", "-o", str(results)]
    result = subprocess.run(
        [str(BEHAVE), *allure, "-f", "plain", "features"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    tests = [json.loads(path.read_text()) for path in results.glob("*-result.json")]
    assert tests, result.stdout + result.stderr
    return {test["name"]: test for test in tests}


def failure(scenario: dict[str, Any]) -> tuple[str, str]:
    """The step that did not pass and its message (failed, or broken by an error)."""
    for step in scenario["steps"]:
        if step["status"] not in ("passed", "skipped"):
            return step["name"], step.get("statusDetails", {}).get("message", "")
    raise AssertionError(f"no step of {scenario['name']!r} failed")


@pytest.mark.parametrize(
    "name",
    ["Counting rows", "Checking every type in a table", "Changing rows", "Asking and remembering"],
)
def test_the_steps_pass_where_the_database_holds_what_they_say(
    run: dict[str, dict[str, Any]], name: str
):
    scenario = run[name]
    assert scenario["status"] == "passed", failure(scenario)
    assert len(scenario["steps"]) >= 3


FAILURES = {
    "A count that differs": (
        'the main database has 2 rows in "Accounts" where Name is "Globex"',
        ['main database, "Accounts" where Name is "Globex": expected 2 row(s), found 1'],
    ),
    "A row that is missing": (
        'the main database table "Accounts" contains:',
        ['main database, table "Accounts": 1 expected row(s) not found (✗)', "✗ | Hooli"],
    ),
    "A row that should not be there": (
        'the main database table "Accounts" does not contain:',
        [
            'main database, table "Accounts": 1 row(s) that should not be there (✗) found (!)',
            "✗ | Globex",
            "! | Globex",
        ],
    ),
    "A change asked as a question": (
        "the main database is asked:",
        [
            '"When the main database is asked:" only reads, and this SQL changes the database '
            '(UPDATE): change data with "When the main database is changed by:"'
        ],
    ),
    "A question asked as a change": (
        "the main database is changed by:",
        [
            "and this one starts with SELECT: ask questions with ",
            '"When the main database is asked:"',
        ],
    ),
    "A query the database refuses": (
        "the main database is asked:",
        [
            "AssertionError: the main database refused the query: Table not found: Nowhere "
            "[at 2:6]\nSQL: SELECT * FROM Nowhere"
        ],
    ),
    "A change the database refuses": (
        "the main database is changed by:",
        [
            "AssertionError: the main database refused the change: Unrecognized name: Nothing "
            "[at 1:21]\nSQL: UPDATE Accounts SET Nothing = 1 WHERE TRUE"
        ],
    ),
    "A count of changed rows that differs": (
        "5 rows were changed",
        ["expected 5 changed row(s), the change changed 2"],
    ),
    "A name that was not remembered": (
        'the main database table "Accounts" contains:',
        ["{nobody} in '{nobody}' was not learned in this scenario (learned so far: globex)"],
    ),
    "A parameter that was not remembered": (
        "the main database is asked:",
        ["the SQL uses @nobody, which this scenario has not learned (learned so far: globex)"],
    ),
    "A cell the notation cannot read": (
        'the main database table "Accounts" contains:',
        ['expected row 1, column Seats, cell "> 2026-01-01": > 2026-01-01 cannot be compared'],
    ),
    "A condition the column cannot take": (
        'the main database has 1 row in "Accounts" where Seats is "like \'1%\'"',
        ["Seats is \"like '1%'\": like compares text, and Seats is INT64"],
    ),
    "A row to remember that is not there": (
        'row where Name is "Hooli" as {hooli}',
        [
            'cannot remember "AccountId": the main database has 0 rows in "Accounts" where '
            'Name is "Hooli", not one'
        ],
    ),
    "Changed rows before any change": (
        "1 row was changed",
        ['no database was changed in this scenario yet ("is changed by:")'],
    ),
    "An answer before any question": (
        "the answer has no rows",
        ['no question was asked in this scenario yet ("is asked:")'],
    ),
    "An answer checked by a column it has not": (
        "the answer is:",
        ["the answer has no column Name (its columns: Company)"],
    ),
    "Conditions written another way": (
        'the main database has 1 row in "Accounts" where Name = "Globex"',
        [
            "cannot read the conditions in 'where Name = \"Globex\"': write them as Column is "
            '"value", joined by and: where Status is "active" and Seats is "> 5"'
        ],
    ),
    "An answer of many rows to remember": (
        'I remember the answer\'s "AccountId" as {account}',
        ['cannot remember "AccountId" of the answer: it has 3 rows, not one'],
    ),
    "A parameter before anything was remembered": (
        "the main database is asked:",
        ["the SQL uses @seats, which this scenario has not learned (learned so far: nothing yet)"],
    ),
    "An answer that differs": (
        "the answer is:",
        ["query on the main database: 1 expected row(s) not found (✗), 1 row(s) not expected (+)"],
    ),
}


@pytest.mark.parametrize("name", list(FAILURES))
def test_a_step_that_does_not_hold_says_why_in_a_short_message(
    run: dict[str, dict[str, Any]], name: str
):
    step, message = failure(run[name])
    wanted_step, parts = FAILURES[name]
    assert step.endswith(wanted_step), step
    for part in parts:
        assert part in message, message
    assert "grpc" not in message.lower() and "request_id" not in message, message
    if "refuses" in name:  # an SQL error: the server's words and the SQL, nothing more
        assert message.strip() == parts[0], message


def test_a_change_is_refused_in_a_read_only_run_before_anything_runs() -> None:
    step_change_database = runpy.run_path(str(REPO / "steps" / "database.py"))[
        "step_change_database"
    ]

    class ReadOnlySpanner:  # as SpannerService(read_only=True) in run.mode=smoke
        def check_destructive(self, action: str) -> None:
            raise refuse(action, "Spanner instance 'prod'")

    context = SimpleNamespace(
        text="UPDATE Accounts SET Seats = 0 WHERE TRUE", spanner=ReadOnlySpanner(), learned={}
    )
    with pytest.raises(WriteRefused, match="refusing to change the main database in Spanner"):
        step_change_database(context, "main")
