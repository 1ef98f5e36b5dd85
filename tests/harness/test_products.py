"""Products in a run, proven with behave itself in a small project of two made-up products.

Each test runs behave in a temporary folder against the shared emulator (the external backend)
and an instance of its own, then looks at what the run left: databases and app logs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from google.cloud.spanner_v1.instance import Instance
from harness_testkit import lifecycle_environment

from spanner.databases import connect
from spanner.emulator import Backend

BEHAVE = Path(sys.executable).with_name("behave")
RUN_TIMEOUT = 120

ENVIRONMENT = lifecycle_environment("tiny_products")

PRODUCTS = """
from pathlib import Path

from harness.products import Product

HERE = Path(__file__).resolve().parent


def tiny(name, title, database):
    return Product(
        name=name,
        title=title,
        databases=(database,),
        app_module="tiny_app",
        aliases={"main": database},
        schema_root=HERE / "schema",
        fixtures_root=HERE / "fixtures",
        app_cwd=HERE,
    )


PRODUCTS = (
    tiny("alpha", "Alpha shop", "alpha_orders"),
    tiny("beta", "Beta ledger", "beta_entries"),
)
"""

# A reference app in a few lines: its page lists the database ids it was given.
TINY_APP = """
import argparse
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/healthz":
            body = b'{"status": "ok"}'
        else:
            ids = sorted(v for k, v in os.environ.items() if k.startswith("APP_DATABASE_"))
            body = f'<p class="databases">{" ".join(ids)}</p>'.encode()
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

STEPS = """
from behave import then
from playwright.sync_api import expect

from spanner.assertions import count_rows


@then('the app of this product works with the database "{name}" only')
def step_app_database(context, name):
    context.page.goto("/")
    expected = context.spanner.settings.database_id(name)
    expect(context.page.locator(".databases")).to_have_text(expected)


@then("the page shows a part it does not have")
def step_missing_part(context):
    context.page.locator("#not-on-this-page").click(timeout=500)


@then('the {database} database has {count:d} rows in "{table}"')
def step_count(context, database, count, table):
    found = count_rows(context.db[database], context.db.table(database, table))
    assert found == count, f"{database}.{table}: expected {count} rows, found {found}"
"""

# the repository's generic database steps, as a team's project would load them
GENERIC_STEPS = f"""
import runpy

runpy.run_path({str(Path(__file__).resolve().parents[2] / "steps" / "database.py")!r})
"""

FEATURES = {
    "generic": """
        @product.alpha
        Feature: Generic database steps
          Scenario: rows added, counted, listed, asked and matched
            Given the main database also has these "Orders" rows:
              | OrderId | Item  |
              | o3      | quill |
            Then the alpha_orders database has 3 rows in "Orders"
            And the main database has 1 row in "Orders" where Item is "quill"
            And the alpha_orders database table "Orders" contains:
              | OrderId | Item |
              | o1      | pen  |
            And the main database table "Orders" contains exactly:
              | Item  |
              | pen   |
              | ink   |
              | quill |
            And the main database matches "expected/three_orders.yaml"
            When the main database is asked:
              \"\"\"
              SELECT COUNT(*) AS Orders FROM Orders
              \"\"\"
            Then the answer is:
              | Orders |
              | 3      |
        """,
    "alpha": """
        @product.alpha
        Feature: Alpha
          Scenario: the alpha app and its seeded orders
            Then the app of this product works with the database "alpha_orders" only
            And the alpha_orders database has 2 rows in "Orders"
            And the main database has 2 rows in "Orders"
        """,
    "beta": """
        @product.beta
        Feature: Beta
          Scenario: the beta app and its common entries
            Then the app of this product works with the database "beta_entries" only
            And the beta_entries database has 1 rows in "Entries"
        """,
    "errored": """
        @product.alpha
        Feature: Errored
          Scenario: a step that errors
            Then the page shows a part it does not have
        """,
    "untagged": """
        Feature: Untagged
          Scenario: nothing
            Then the app of this product works with the database "alpha_orders" only
        """,
    "unknown": """
        @product.gamma
        Feature: Unknown
          Scenario: nothing
            Then the app of this product works with the database "alpha_orders" only
        """,
}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "environment.py", ENVIRONMENT)
    write(tmp_path / "tiny_products.py", PRODUCTS)
    write(tmp_path / "tiny_app.py", TINY_APP)
    write(tmp_path / "steps" / "tiny_steps.py", STEPS)
    write(tmp_path / "steps" / "generic_steps.py", GENERIC_STEPS)
    write(
        tmp_path / "fixtures" / "generic" / "main" / "Orders.yaml",
        "- {OrderId: o1, Item: pen}\n- {OrderId: o2, Item: ink}\n",
    )
    write(
        tmp_path / "fixtures" / "generic" / "expected" / "three_orders.yaml",
        "Orders:\n  - {OrderId: o1}\n  - {OrderId: o2}\n  - {OrderId: o3, Item: quill}\n",
    )
    write(
        tmp_path / "schema" / "alpha_orders" / "001_orders.sql",
        "CREATE TABLE Orders (OrderId STRING(36) NOT NULL, Item STRING(100)) PRIMARY KEY (OrderId)",
    )
    write(
        tmp_path / "schema" / "beta_entries" / "001_entries.sql",
        "CREATE TABLE Entries (EntryId INT64 NOT NULL, Amount NUMERIC) PRIMARY KEY (EntryId)",
    )
    write(
        tmp_path / "fixtures" / "alpha" / "main" / "Orders.yaml",
        "- {OrderId: o1, Item: pen}\n- {OrderId: o2, Item: ink}\n",
    )
    write(
        tmp_path / "fixtures" / "common" / "beta" / "beta_entries" / "Entries.yaml",
        '- {EntryId: 1, Amount: "9.50"}\n',
    )
    for name, text in FEATURES.items():
        write(tmp_path / "features" / f"{name}.feature", text)
    return tmp_path


def run_behave(project: Path, emulator: Backend, instance_id: str, *features: str):
    env = {
        **os.environ,
        "SPANNER_EMULATOR_HOST": emulator.emulator_host,
        "SPANNER_INSTANCE": instance_id,
        "TEST_OUTPUT": str(project / "out"),
        "TRACING": "retain-on-failure",  # the errored scenario's evidence includes its trace
        "PYTHONPATH": str(project),
    }
    return subprocess.run(
        [str(BEHAVE), "--no-capture", "-f", "plain", *(f"features/{f}.feature" for f in features)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )


def instance_of(emulator: Backend, instance_id: str) -> Instance:
    return connect("test-project", emulator.emulator_host).instance(instance_id)


def database_ids(emulator: Backend, instance_id: str) -> set[str]:
    instance = instance_of(emulator, instance_id)
    if not instance.exists():
        return set()
    return {database.name.rsplit("/", 1)[-1] for database in instance.list_databases()}


def app_logs(project: Path) -> set[str]:
    """The app logs of every run in the project (each run has a log folder of its own)."""
    logs = project / "out" / "logs"
    return {path.name for path in logs.glob("*/*-app.log")} if logs.is_dir() else set()


@pytest.fixture
def instance_id() -> str:
    return f"products-{uuid.uuid4().hex[:8]}"


def test_a_feature_starts_only_its_product(project: Path, emulator: Backend, instance_id: str):
    result = run_behave(project, emulator, instance_id, "alpha")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 scenario passed" in result.stdout
    assert database_ids(emulator, instance_id) == {"test-alpha_orders"}
    assert app_logs(project) == {"alpha-app.log"}


def test_two_products_in_one_run_get_their_own_apps_and_databases(
    project: Path, emulator: Backend, instance_id: str
):
    result = run_behave(project, emulator, instance_id, "alpha", "beta")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 scenarios passed" in result.stdout
    assert database_ids(emulator, instance_id) == {"test-alpha_orders", "test-beta_entries"}
    assert app_logs(project) == {"alpha-app.log", "beta-app.log"}


@pytest.mark.parametrize(
    ("feature", "complaint"),
    [
        ("untagged", "names no product"),
        ("unknown", "names the unknown product 'gamma'"),
    ],
)
def test_a_feature_without_a_known_product_stops_before_anything_starts(
    project: Path, emulator: Backend, instance_id: str, feature: str, complaint: str
):
    result = run_behave(project, emulator, instance_id, "alpha", feature)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert complaint in output
    assert "@product.alpha (Alpha shop), @product.beta (Beta ledger)" in output
    assert f"features/{feature}.feature" in output
    assert database_ids(emulator, instance_id) == set()
    assert app_logs(project) == set()


def test_a_scenario_that_errors_leaves_its_evidence(
    project: Path, emulator: Backend, instance_id: str
):
    result = run_behave(project, emulator, instance_id, "errored")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 error" in result.stdout  # errored (a Playwright timeout), not failed
    scenarios = project / "out" / "scenarios"
    assert (scenarios / "a-step-that-errors.png").is_file()
    assert (scenarios / "a-step-that-errors.trace.zip").is_file()


def test_the_generic_database_steps_work_for_any_product(
    project: Path, emulator: Backend, instance_id: str
):
    result = run_behave(project, emulator, instance_id, "generic")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 scenario passed" in result.stdout
