"""What the run ran on, for the report's Environment: Spanner, browser, Python, commits.

Written once per run, at the end of before_all, as `environment.properties` in the Allure
results folder (Allure 3 reads it from there; with several folders merged into one report, the
last folder's file is shown).
"""

from __future__ import annotations

import json
import platform
import subprocess
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import yaml

from harness.output import allure_results_folder
from harness.products import REPO_ROOT, Product
from spanner.emulator import COMPOSE_FILE, COMPOSE_SERVICE, find_emulator_binary

ENVIRONMENT_FILE = "environment.properties"
# where the gcloud SDK keeps its components' versions, from its root
SDK_COMPONENTS = ".install"


def _git(*args: str, cwd: Path = REPO_ROOT) -> str | None:
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def commit_of(path: Path = REPO_ROOT, repo: Path = REPO_ROOT) -> str:
    """The last commit that changed `path` (the whole tree: HEAD), and whether it has changed
    since; 'unknown' outside a git work tree."""
    relative = str(path.relative_to(repo)) if path != repo else "."
    commit = _git("log", "-1", "--format=%h", "--abbrev=12", "--", relative, cwd=repo)
    if not commit:
        return "unknown (not a git work tree)"
    changed = _git(
        "--no-optional-locks",
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        relative,
        cwd=repo,
    )
    return f"{commit} with uncommitted changes" if changed else commit


def emulator_version(binary: Path) -> str:
    """The version of the gcloud component that installed this emulator_main (its SDK root is
    three folders up: <root>/bin/cloud_spanner_emulator/emulator_main)."""
    components = binary.resolve().parents[2] / SDK_COMPONENTS
    for snapshot in sorted(components.glob("cloud-spanner-emulator*.snapshot.json")):
        try:
            data = json.loads(snapshot.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        for component in data.get("components", []):
            found = component.get("version", {}).get("version_string")
            if found:
                return found
    return f"unknown ({binary} has no gcloud component record)"


def compose_image(compose_file: Path = COMPOSE_FILE) -> str:
    """The emulator's image as docker-compose.yml names it (its tag is the version asked for)."""
    try:
        services = yaml.safe_load(compose_file.read_text(encoding="utf-8"))["services"]
        return str(services[COMPOSE_SERVICE]["image"])
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        return f"unknown ({compose_file}: {error})"


def spanner_facts(backend, settings) -> dict[str, str]:
    name = backend.name
    if name == "cloud":
        where = f"project {settings.spanner.project}, instance {settings.spanner.instance}"
        return {"Spanner backend": f"Cloud Spanner ({where})"}
    facts = {"Spanner backend": f"emulator ({name})"}
    if name == "binary":
        binary = find_emulator_binary(settings.spanner.emulator_binary)
        facts["Spanner emulator"] = emulator_version(binary) if binary else "unknown"
    elif name == "docker":
        facts["Spanner emulator"] = f"Docker image {compose_image()}"
    else:
        facts["Spanner emulator"] = f"run by someone else at {backend.emulator_host}"
    return facts


def browser_facts(browser, settings) -> dict[str, str]:
    where = " (a Playwright server)" if settings.browser_ws_endpoint else ""
    return {
        "Browser": f"{browser.browser_type.name} {browser.version}{where}",
        "Playwright": _package_version("playwright"),
    }


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def app_fact(product: Product, settings) -> str:
    deployed = settings.base_url(product.name)
    if deployed:
        return f"deployed at {deployed}"
    if product.app_command:
        return f"app command {' '.join(product.app_command)} (in {product.app_cwd})"
    if product.app_module is None:
        return "none"
    folder = REPO_ROOT.joinpath(*product.app_module.split("."))
    return f"reference app {product.app_module}, commit {commit_of(folder)}"


def run_facts(context, products: Iterable[Product]) -> dict[str, str]:
    settings = context.settings
    facts = spanner_facts(context.spanner.backend, settings)
    facts.update(browser_facts(context.browser, settings))
    facts["Python"] = platform.python_version()
    facts["behave"] = _package_version("behave")
    facts["Suite commit"] = commit_of()
    facts["Run mode"] = settings.run_mode
    for product in products:
        facts[f"App: {product.title}"] = app_fact(product, settings)
    return facts


def _escaped(text: str, key: bool) -> str:
    """Java properties escaping, which Allure's reader undoes."""
    out = text.replace("\\", "\\\\").replace("\n", "\\n")
    if key:
        for char in " :=#!":
            out = out.replace(char, "\\" + char)
    return out


def write_environment(folder: Path, facts: Mapping[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"{_escaped(key, True)}={_escaped(value, False)}" for key, value in facts.items()]
    path = folder / ENVIRONMENT_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def record_run_environment(context) -> None:
    """before_all, last: the facts of this run into its Allure results folder (none: nothing)."""
    folder = allure_results_folder(context.config)
    if folder is None:
        return
    features = context._runner.features
    named = {context.registry.product_of(f.tags, f.filename).name for f in features}
    products = [product for product in context.registry if product.name in named]
    write_environment(folder, run_facts(context, products))
