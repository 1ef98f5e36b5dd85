"""The workflows pass actionlint, and every make target, variable, tag, setting, module, action
and path they name exists in the repository (a renamed target fails here, not on GitHub)."""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from workflow_text import ACTIONS, REPO, WORKFLOWS, Step, expansions, steps

from harness.config import OPTIONS, product_options
from harness.products import Product
from harness.smoke import secret_variable
from products import PRODUCTS

LINT = [sys.executable, str(REPO / "scripts" / "lint_workflows.py")]
_MAKE = re.compile(r"(?:^|[\s;&|(])make\s+([^\n;&|]*)")
_DOTTED_SPECIALS = re.compile(r"^\.[A-Z_]+$")


def test_the_workflows_and_actions_are_there() -> None:
    names = {path.name for path in WORKFLOWS}
    assert {"acceptance.yml", "production-smoke.yml", "mutation.yml"} <= names
    assert {path.parent.name for path in ACTIONS} >= {"alert-oncall", "setup-suite"}


def _lint(*files: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*LINT, *map(str, files)], capture_output=True, text=True, timeout=600, cwd=REPO
    )
    if result.returncode == 2:
        pytest.skip(f"no actionlint on this machine: {result.stderr.strip()}")
    return result


def test_actionlint_finds_nothing_in_the_workflows_and_actions() -> None:
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: echo ${{ matrix.shard }}\n"
    )
    result = _lint(broken)
    assert result.returncode == 1
    assert 'property "shard" is not defined' in result.stdout


def test_the_schema_check_catches_a_broken_action(tmp_path: Path) -> None:
    action = tmp_path / "action.yml"
    action.write_text("name: x\nruns:\n  using: composite\n  steps:\n    - run: echo\n")
    checker = REPO / ".venv" / "bin" / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-actions", str(action)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # a composite step's `run` needs a `shell`, and an action needs a description
    assert result.returncode == 1, result.stdout


@cache
def make_targets() -> frozenset[str]:
    """The targets make knows (its database, asked in question mode: no recipe runs)."""
    database = subprocess.run(
        ["make", "-qp"], cwd=REPO, capture_output=True, text=True, timeout=60
    ).stdout
    targets, previous = set(), ""
    for line in database.splitlines():
        head = re.match(r"^([^\s#%=][^=\t]*?):(?:[^=]|$)", line)
        if head and not previous.startswith("# Not a target"):
            for name in head.group(1).split():
                if not _DOTTED_SPECIALS.match(name):
                    targets.add(name)
        previous = line
    return frozenset(targets)


def make_invocations() -> list[tuple[Step, list[str], list[str]]]:
    """(step, targets, variables) of every `make` command in a run script, per matrix value."""
    found = []
    for step in steps():
        for script in expansions(step.step.get("run", ""), step.matrix, step.env):
            for match in _MAKE.finditer(script):
                words = _words(match.group(1))
                targets = [w for w in words if not w.startswith("-") and "=" not in w]
                variables = [w.split("=")[0] for w in words if "=" in w and not w.startswith("-")]
                found.append((step, targets, variables))
    return found


def _words(command: str) -> list[str]:
    """A make command's words; `$(...)` in a variable's value is kept whole, not run."""
    command = re.sub(r"\$\([^)]*\)", "SUBSTITUTED", command.split(" #")[0])
    return shlex.split(command, posix=True)


def test_every_make_target_a_workflow_runs_exists() -> None:
    missing = sorted(
        {
            f"{step.where}: make {target}"
            for step, targets, _ in make_invocations()
            for target in targets
            if target not in make_targets()
        }
    )
    assert not missing, "targets the Makefile lacks:\n" + "\n".join(missing)
    named = {target for _, targets, _ in make_invocations() for target in targets}
    assert {"lint", "pytest", "behave", "report", "docs-living", "load", "smoke"} <= named


def test_every_make_variable_a_workflow_sets_is_read_by_the_makefile() -> None:
    makefile = (REPO / "Makefile").read_text()
    unread = sorted(
        {
            f"{step.where}: {variable}="
            for step, _, variables in make_invocations()
            for variable in variables
            if f"$({variable})" not in makefile
        }
    )
    assert not unread, "variables the Makefile never reads:\n" + "\n".join(unread)


def suite_environment_variables() -> set[str]:
    names = {option.env for option in OPTIONS if option.env}
    for product in PRODUCTS:
        names |= {option.env for option in product_options(product.name, product.title)}
        names |= {secret_variable(product, secret) for secret in smoke_secrets_read(product)}
    return names


def smoke_secrets_read(product: Product) -> set[str]:
    """The secrets a product's smoke steps read from its smoke account (password always)."""
    secrets = {"password"}
    for step_file in (REPO / "steps" / product.name).glob("smoke*.py"):
        secrets |= set(re.findall(r"\.secret\(\s*[\"'](\w+)[\"']", step_file.read_text()))
    return secrets


# variables the workflows set that are not the suite's settings: Google's, and the workflow's own
_NOT_SUITE_SETTINGS = re.compile(r"^(GCP_|GOOGLE_|ALERT_|SHARDS$)")


def test_every_setting_a_workflow_passes_is_one_the_suite_reads() -> None:
    known = suite_environment_variables()
    unknown = []
    for path in WORKFLOWS:
        text = path.read_text()
        for name in re.findall(r"^\s+([A-Z][A-Z0-9_]+):", text, re.M):
            if not _NOT_SUITE_SETTINGS.match(name) and name not in known:
                unknown.append(f"{path.name}: {name}")
    assert not unknown, "environment variables the suite does not read:\n" + "\n".join(unknown)
    smoke = (REPO / ".github/workflows/production-smoke.yml").read_text()
    assert "SUITE_MODE: smoke" in smoke


def test_every_tag_a_make_target_selects_is_on_some_scenario() -> None:
    makefile = (REPO / "Makefile").read_text()
    features = "\n".join(p.read_text() for p in (REPO / "features").glob("*.feature"))
    tags = set(re.findall(r"--tags[= ]['\"]?@([\w.]+)", makefile))
    assert tags, "the Makefile selects no tag: the check below would check nothing"
    missing = [tag for tag in sorted(tags) if f"@{tag}" not in features]
    assert not missing, f"tags no feature carries: {missing}"


def test_every_python_module_a_workflow_runs_exists() -> None:
    modules = {
        (step.where, module)
        for step in steps()
        for module in re.findall(r"python -m ([\w.]+)", step.step.get("run", ""))
    }
    assert modules
    missing = [f"{where}: {module}" for where, module in modules if not _importable(module)]
    assert not missing, "\n".join(missing)


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def test_every_local_action_a_workflow_uses_exists() -> None:
    local = [(s.where, s.step["uses"]) for s in steps() if s.step.get("uses", "").startswith("./")]
    assert local
    missing = [
        f"{where}: {uses}" for where, uses in local if not (REPO / uses / "action.yml").is_file()
    ]
    assert not missing, "\n".join(missing)


def test_every_artifact_path_is_one_the_suite_writes() -> None:
    """Upload paths name what a make target or the harness writes: the path appears in the
    Makefile or the module that writes it, or exists (the mutation result files)."""
    written = (REPO / "Makefile").read_text() + "".join(
        p.read_text()
        for p in [*(REPO / "harness").rglob("*.py"), *(REPO / "mutation").glob("*.py")]
    )
    unknown = []
    for step in steps():
        if not step.step.get("uses", "").startswith("actions/upload-artifact"):
            continue
        for raw in str(step.step["with"]["path"]).splitlines():
            for path in expansions(raw.strip(), step.matrix):
                if not ((REPO / path).exists() or path in written):
                    unknown.append(f"{step.where}: {path}")
    assert not unknown, "paths nothing writes:\n" + "\n".join(unknown)
