"""Products declared only in YAML, run by behave as a team would run them.

A temporary project uses this repository's environment and generic steps (no Python of its
own). Its product is declared in a YAML file outside the suite's tree:
- the tiny shelf app of data/tiny_app/ (a program of its own, started by its command, with its
  schema and fixtures beside it, outside the suite's tree);
- the same app started by the team, named by its base URL: the suite creates its database;
- the SaaS reference app deployed by `python -m harness.serve`, named by its base URL;
and harness.serve itself serving the shelf app from its YAML declaration.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from harness_testkit import lifecycle_environment
from test_serve import (
    READY_LINE,
    START_TIMEOUT,
    Serve,
    answers,
    pids_mentioning,
    printed_command,
    serve_environment,
    start_serve,
)

from base.ports import free_port
from harness.product_yaml import PRODUCT_FILES_VARIABLE
from spanner.emulator import Backend

REPO = Path(__file__).resolve().parents[2]
TINY_APP = Path(__file__).resolve().parent / "data" / "tiny_app"
BEHAVE = Path(sys.executable).with_name("behave")
RUN_TIMEOUT = 180
GENERIC_STEP_FILES = ("database.py", "browser.py", "mail.py", "api.py")

# the repository's environment, as it is
REPO_ENVIRONMENT = f"""
import runpy

globals().update(runpy.run_path({str(REPO / "environment.py")!r}))
"""

# only the YAML products: a team's own, whose databases may share names with the suite's
YAML_ONLY_ENVIRONMENT = lifecycle_environment("products", "YAML_PRODUCTS")

# the repository's generic steps, every file of them that exists
GENERIC_STEPS = f"""
import runpy
from pathlib import Path

for name in {GENERIC_STEP_FILES!r}:
    path = Path({str(REPO / "steps")!r}) / name
    if path.is_file():
        runpy.run_path(str(path))
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def suite_project(root: Path, environment: str, features: dict[str, str]) -> Path:
    project = root / "suite"
    write(project / "environment.py", environment)
    write(project / "steps" / "generic.py", GENERIC_STEPS)
    for name, text in features.items():
        write(project / "features" / f"{name}.feature", text)
    return project


def team_copy(root: Path) -> Path:
    """The tiny app's folder, copied outside the suite's tree as a team's repository."""
    team = root / "team"
    shutil.copytree(TINY_APP, team, ignore=shutil.ignore_patterns("features", "__pycache__"))
    return team


def run_behave(project: Path, env: dict[str, str], *features: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BEHAVE), "--no-capture", "-f", "plain", *(f"features/{f}.feature" for f in features)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )


def suite_environment(root: Path, emulator_host: str, product_file: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith("_BASE_URL")
        and key not in ("SPANNER_BACKEND", "MAIL_API_URL", "MAIL_SMTP_PORT", "SPANNER_PROJECT")
    }
    env.update(
        SPANNER_EMULATOR_HOST=emulator_host,
        SPANNER_INSTANCE=f"yaml-{uuid.uuid4().hex[:8]}",
        TEST_OUTPUT=str(root / "out"),
        PYTHONPATH=str(REPO),
        # `python app.py` is found on PATH: the suite's Python, which has the Spanner client
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        **{PRODUCT_FILES_VARIABLE: str(product_file)},
    )
    return env


def shelf_feature() -> str:
    return (TINY_APP / "features" / "lending.feature").read_text()


def test_a_yaml_product_whose_app_is_a_command_runs_generic_scenarios(
    tmp_path: Path, emulator: Backend
) -> None:
    team = team_copy(tmp_path)
    project = suite_project(tmp_path, REPO_ENVIRONMENT, {"lending": shelf_feature()})
    env = suite_environment(tmp_path, emulator.emulator_host, team / "product.yaml")

    result = run_behave(project, env, "lending")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"\b3 scenarios passed, 0 failed", output), output
    [log] = (tmp_path / "out" / "logs").glob("*/shelf-app.log")
    contract = re.search(
        r"shelf: listening on 127\.0\.0\.1:(\d+); public URL http://127\.0\.0\.1:(\d+); "
        r"database test-shelf; mail 127\.0\.0\.1:\d+",
        log.read_text(),
    )
    assert contract, log.read_text()
    port = int(contract.group(1))
    assert contract.group(2) == str(port)
    # stopped at the end: nothing left listening, no process of the app left
    assert not answers("127.0.0.1", port), "the app still answers after the run"
    assert [pid for pid in pids_mentioning("app.py") if _cwd(pid) == team] == []


CRASH = """
    @product.shelf @fixtures.lending
    Feature: A lending the app fails on its side

      Scenario: A lending answered 500 with a page that reads as if it worked
        Given I open the shelf page
        When I choose "Dune" in "Book"
        And I fill in "Borrower" with "Crash"
        And I press "Lend"
        Then I see "Lent to Crash."
"""


def test_a_step_after_which_the_app_answered_500_fails_naming_the_request(
    tmp_path: Path, emulator: Backend
) -> None:
    team = team_copy(tmp_path)
    project = suite_project(tmp_path, REPO_ENVIRONMENT, {"crash": CRASH})
    env = suite_environment(tmp_path, emulator.emulator_host, team / "product.yaml")

    result = run_behave(project, env, "crash")

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "The app answered 500 Internal Server Error to POST /lend during this step" in output
    assert re.search(r'And I press "Lend" \.\.\. (hook_error|failed)', output), output
    assert 'Then I see "Lent to Crash." ... passed' not in output, output  # never run


def _cwd(pid: int) -> Path | None:
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd"))
    except OSError:
        return None


def test_an_app_command_that_never_gets_healthy_is_reported_with_its_log(
    tmp_path: Path, emulator: Backend
) -> None:
    team = team_copy(tmp_path)
    declaration = (team / "product.yaml").read_text().replace("health: /healthz", "health: /nope")
    (team / "product.yaml").write_text(declaration)
    project = suite_project(tmp_path, REPO_ENVIRONMENT, {"lending": shelf_feature()})
    env = suite_environment(tmp_path, emulator.emulator_host, team / "product.yaml")
    # long enough for the app to be listening on a busy machine, so that it answers 404
    env["APP_START_TIMEOUT"] = "12"

    result = run_behave(project, env, "lending")

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "the app command 'python app.py'" in output, output
    assert "GET /nope answering 200" in output and "/nope answered 404" in output, output
    # the message ends with its log's last lines (the health probes' 404s) and names the file,
    # which holds the whole log from the app's first line
    assert '"GET /nope HTTP/1.1" 404' in output, output
    log = re.search(r"its log (\S+\.log):", output)
    assert log, output
    assert "shelf: listening on" in Path(log.group(1)).read_text(), log.group(1)


@pytest.fixture
def team_started_app(tmp_path: Path, emulator: Backend) -> Iterator[tuple[str, dict[str, str]]]:
    """The shelf app started by its team on the emulator, before its database exists."""
    team = team_copy(tmp_path)
    port = free_port()
    instance = f"yaml-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "SPANNER_EMULATOR_HOST": emulator.emulator_host,
        "SPANNER_PROJECT": "test-project",
        "SPANNER_INSTANCE": instance,
        "APP_DATABASE_SHELF": "test-shelf",
        "APP_SMTP_HOST": "127.0.0.1",
        "APP_SMTP_PORT": "1",
        "APP_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "APP_HOST": "127.0.0.1",
        "PORT": str(port),
    }
    with open(tmp_path / "team-app.log", "wb") as log:
        child = subprocess.Popen(
            [sys.executable, "app.py"], cwd=team, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        yield f"http://127.0.0.1:{port}", {"SPANNER_INSTANCE": instance}
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=30)


def test_a_deployed_app_on_the_emulator_gets_its_databases_created(
    tmp_path: Path, emulator: Backend, team_started_app: tuple[str, dict[str, str]]
) -> None:
    url, settings = team_started_app
    team = tmp_path / "team"
    declaration = (team / "product.yaml").read_text()
    declaration = re.sub(r"app:\n(  .*\n)+", f"app:\n  base_url: {url}\n", declaration)
    (team / "product.yaml").write_text(declaration)
    project = suite_project(tmp_path, REPO_ENVIRONMENT, {"lending": shelf_feature()})
    env = {**suite_environment(tmp_path, emulator.emulator_host, team / "product.yaml"), **settings}

    result = run_behave(project, env, "lending")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"\b3 scenarios passed, 0 failed", output), output
    assert not list((tmp_path / "out").glob("logs/*/shelf-app.log")), "the suite started an app"
    # the team's app now finds the database the suite created
    assert httpx.get(f"{url}/healthz", timeout=10, trust_env=False).status_code == 200


DEPLOYED_FEATURE = """
@product.acme @fixtures.acme_tenants
Feature: A deployed SaaS app, declared in YAML
  Scenario: The deployed app's databases hold what the team seeded
    Then the acme_users database has 1 row in "Tenants" where Name is "Acme Yaml Ltd"
    Given the acme_users database also has these "Tenants" rows:
      | TenantID | Name       | Domain         | Plan  | Status | CreatedAt | UpdatedAt |
      | t-yaml-2 | Second Ltd | second.example | basic | active | now       | now       |
    Then the acme_users database has 2 rows in "Tenants" where Plan is "basic"

  Scenario: A company signs up on the deployed app and is recorded
    Given I open the sign-up page
    When I fill in "Company name" with "Yaml Works"
    And I fill in "Domain" with "yamlworks.example"
    And I fill in "Admin email" with "admin@yamlworks.example"
    And I choose "Professional" in "Plan"
    And I press "Start free trial"
    Then I see "Almost there"
    And the acme_users database has 1 row in "Tenants" where Plan is "professional"
    Then an email to "admin@yamlworks.example" arrives with the subject "Verify your email"
    When I follow the link "/verify" in the email
    And I press "Confirm my email address"
    Then I see "Your email address is verified."
"""


def test_a_yaml_product_pointed_at_a_deployed_reference_app(
    tmp_path: Path, emulator: Backend
) -> None:
    serve_env = serve_environment(tmp_path, emulator.emulator_host)
    serve = start_serve(
        serve_env,
        *("--product", "saas", "--smtp-port", str(free_port()), "--http-port", str(free_port())),
    )
    try:
        _run_against_served(tmp_path, emulator, serve, serve_env)
    finally:
        if serve.process.poll() is None:
            serve.stop()


def _run_against_served(
    tmp_path: Path, emulator: Backend, serve: Serve, serve_env: dict[str, str]
) -> None:
    assignments, _behave = printed_command(serve.read_until(READY_LINE, START_TIMEOUT))
    declaration = write(
        tmp_path / "acme" / "product.yaml",
        f"""
        name: acme
        title: Acme's deployed SaaS
        databases: [users, billing]
        aliases: {{acme_users: users}}
        schema: {REPO / "spanner" / "schema"}
        fixtures: fixtures
        pages: {{sign-up: /signup}}
        app:
          base_url: {assignments["SAAS_BASE_URL"]}
        """,
    )
    write(
        tmp_path / "acme" / "fixtures" / "acme_tenants" / "users" / "Tenants.yaml",
        "- {TenantID: t-yaml-1, Name: Acme Yaml Ltd, Domain: acme.example, Plan: basic,"
        " Status: active, CreatedAt: now, UpdatedAt: now}\n",
    )
    # the price list the sign-up page offers, as the team's own common fixtures
    plans = tmp_path / "acme" / "fixtures" / "common" / "acme" / "billing" / "Plans.yaml"
    plans.parent.mkdir(parents=True)
    shutil.copy(REPO / "fixtures" / "common" / "saas" / "billing" / "Plans.yaml", plans)
    project = suite_project(tmp_path, YAML_ONLY_ENVIRONMENT, {"deployed": DEPLOYED_FEATURE})
    env = suite_environment(tmp_path, emulator.emulator_host, declaration)
    env.update(
        SPANNER_PROJECT=serve_env["SPANNER_PROJECT"],
        SPANNER_INSTANCE=serve_env["SPANNER_INSTANCE"],
        MAIL_API_URL=assignments["MAIL_API_URL"],
    )

    result = run_behave(project, env, "deployed")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"\b2 scenarios passed, 0 failed", output), output


def test_serve_runs_a_yaml_products_app_command_and_stops_it(
    tmp_path: Path, emulator: Backend
) -> None:
    team = team_copy(tmp_path)
    env = serve_environment(tmp_path, emulator.emulator_host)
    env[PRODUCT_FILES_VARIABLE] = str(team / "product.yaml")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    serve = start_serve(
        env,
        *("--product", "shelf", "--feature", "lending"),
        *("--smtp-port", str(free_port()), "--http-port", str(free_port())),
    )
    try:
        output = serve.read_until(READY_LINE, START_TIMEOUT)
        assignments, _behave = printed_command(output)
        url = assignments["SHELF_BASE_URL"]
        assert assignments[PRODUCT_FILES_VARIABLE] == str((team / "product.yaml").resolve())
        page = httpx.get(url, timeout=10, trust_env=False).text
        assert "Dune: on the shelf" in page and "Emma: Ada" in page, page
    finally:
        if serve.process.poll() is None:
            serve.stop()
    assert not answers("127.0.0.1", int(url.rsplit(":", 1)[1])), "the app still answers"
