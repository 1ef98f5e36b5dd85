"""docker-compose.yml and the image it builds (docker/app.Dockerfile), read as Compose would.

There is no Docker engine where these tests usually run, so the file is parsed with PyYAML and
checked against the code it starts: the products' databases, the apps' settings parser, the
modules its commands run, and the imports the image's packages must cover. Where a Compose
client exists, `docker compose config` validates it too.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement

from app.platform.settings import database_variable, load_settings
from harness.app_server import AppLaunch, app_environment
from harness.products import Product
from products import PRODUCTS
from spanner.emulator import COMPOSE_FILE, COMPOSE_SERVICE, DOCKER_EMULATOR_HOST
from spanner.settings import SpannerSettings

REPO = COMPOSE_FILE.parent
DOCKERIGNORE = REPO / ".dockerignore"
IMAGE_REQUIREMENTS = REPO / "docker" / "requirements-app.txt"
DATABASES_JOB = "databases"
APP_PROFILE = "app"
APP_PORT = 8000  # every app listens on it inside its container
# the emulator's image is distroless (no shell, no client): nothing inside it can probe it, so
# it has no health check; what depends on it waits for `service_started` and asks it itself
NO_PROBE_INSIDE = {COMPOSE_SERVICE}
# the packages of this repository the image copies; every other import is a distribution's
LOCAL_PACKAGES = {"app", "base", "harness", "products", "spanner"}


def compose_client() -> list[str]:
    if shutil.which("docker") is None:
        pytest.skip("no docker client on PATH, cannot validate docker-compose.yml")
    version = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
    if version.returncode != 0:
        pytest.skip("`docker compose version` fails: the Compose plugin is not installed")
    return ["docker", "compose"]


def test_compose_file_is_valid() -> None:
    command = compose_client()
    assert COMPOSE_FILE.is_file(), f"{COMPOSE_FILE} is missing"
    result = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "--profile", APP_PROFILE, "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_compose_file_has_the_emulator_service_on_port_9010() -> None:
    command = compose_client()
    result = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "config", "--services"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert COMPOSE_SERVICE in result.stdout.split()


# --- the file as parsed -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    parsed = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(parsed, dict) and isinstance(parsed.get("services"), dict), (
        f"{COMPOSE_FILE}: no `services` mapping"
    )
    return parsed["services"]


def command_of(service: dict[str, Any]) -> list[str]:
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else [str(c) for c in command]


def module_of(service: dict[str, Any]) -> str | None:
    """The module of `python -m <module> ...`, else None."""
    command = command_of(service)
    if len(command) >= 3 and command[0] == "python" and command[1] == "-m":
        return command[2]
    return None


def option(command: list[str], name: str) -> str:
    assert name in command, f"{name} missing from the command {command}"
    return command[command.index(name) + 1]


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {str(key): str(value) for key, value in environment.items()}


def app_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    apps = {
        name: service
        for name, service in services.items()
        if (module_of(service) or "").startswith("app.")
    }
    assert apps, f"{COMPOSE_FILE}: no service runs `python -m app.<product>`"
    return apps


def service_of(services: dict[str, dict[str, Any]], product: Product) -> tuple[str, dict]:
    found = [(n, s) for n, s in services.items() if module_of(s) == product.app_module]
    assert len(found) == 1, (
        f"{COMPOSE_FILE}: {len(found)} services run `python -m {product.app_module}` "
        f"({product.title}); expected one"
    )
    return found[0]


def host_ports(service: dict[str, Any]) -> list[tuple[int, int]]:
    """(host port, container port) of each `ports` entry "H:C" or "IP:H:C"."""
    pairs = []
    for entry in service.get("ports", []):
        *_, host, container = str(entry).split("/")[0].split(":")
        pairs.append((int(host), int(container)))
    return pairs


def test_every_long_running_service_has_a_health_check(services) -> None:
    missing = [
        name
        for name, service in services.items()
        if name != DATABASES_JOB and name not in NO_PROBE_INSIDE and "healthcheck" not in service
    ]
    assert not missing, f"{COMPOSE_FILE}: services without a healthcheck: {missing}"
    assert "healthcheck" not in services[DATABASES_JOB], "a one-shot job needs no health check"
    for name in NO_PROBE_INSIDE:
        # a health check there could only fail (no shell or client in the image)
        assert "healthcheck" not in services[name], f"{name}: its image cannot run a probe"


def test_health_conditions_name_services_that_have_a_health_check(services) -> None:
    for name, service in services.items():
        for other, condition in (service.get("depends_on") or {}).items():
            assert other in services, f"{name} depends on {other}, which is not a service"
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in services[other], (
                    f"{name} waits for {other} to be healthy, but {other} has no healthcheck"
                )
            if condition["condition"] == "service_completed_successfully":
                assert other == DATABASES_JOB, f"{name} waits for {other} to complete"


def test_apps_start_after_the_databases_are_ready(services) -> None:
    for name, service in app_services(services).items():
        depends_on = service.get("depends_on") or {}
        assert depends_on.get(DATABASES_JOB) == {"condition": "service_completed_successfully"}, (
            f"{name} must wait for the {DATABASES_JOB} job to complete"
        )
        assert depends_on.get(COMPOSE_SERVICE) == {"condition": "service_started"}, (
            f"{name} must wait for {COMPOSE_SERVICE} to start"
        )
        assert depends_on.get("mailpit") == {"condition": "service_healthy"}, (
            f"{name} must wait for mailpit to be healthy"
        )


def test_the_databases_job_waits_for_the_emulator_it_reaches(services) -> None:
    job = services[DATABASES_JOB]
    assert module_of(job) == "harness.prepare_databases"
    assert float(option(command_of(job), "--wait")) > 0, "the job must wait for the emulator"
    assert (job.get("depends_on") or {}).get(COMPOSE_SERVICE) == {"condition": "service_started"}
    env = environment_of(job)
    assert env["SPANNER_BACKEND"] == "external", "the job must use the compose emulator"
    assert env["SPANNER_EMULATOR_HOST"] == f"{COMPOSE_SERVICE}:9010"


def test_the_suites_docker_backend_starts_the_emulator_alone(services) -> None:
    emulator = services[COMPOSE_SERVICE]
    assert "profiles" not in emulator, "`docker compose up spanner-emulator` must need no profile"
    assert not emulator.get("depends_on"), "the emulator must start on its own"
    assert (int(DOCKER_EMULATOR_HOST.rsplit(":", 1)[1]), 9010) in host_ports(emulator)
    others = [name for name in services if name != COMPOSE_SERVICE]
    outside = [name for name in others if APP_PROFILE not in services[name].get("profiles", [])]
    assert not outside, f"services outside the {APP_PROFILE!r} profile: {outside}"


def test_every_product_with_an_app_has_a_service_on_its_databases(services) -> None:
    prefix = environment_of(services[DATABASES_JOB]).get(
        "SPANNER_DATABASE_PREFIX", SpannerSettings().database_prefix
    )
    for product in PRODUCTS:
        if product.app_module is None:
            continue
        name, service = service_of(services, product)
        env = environment_of(service)
        declared = {database_variable(db): f"{prefix}{db}" for db in product.databases}
        given = {key: value for key, value in env.items() if key.startswith("APP_DATABASE_")}
        assert given == declared, (
            f"{name}: APP_DATABASE_* should be {declared} (products/{product.name}), got {given}"
        )


def test_apps_get_every_variable_the_suite_gives_its_own_apps(services) -> None:
    launch = AppLaunch(
        name="x",
        module="app.x",
        cwd=REPO,
        database_ids={},
        spanner_project="p",
        spanner_instance="i",
        emulator_host="h:1",
        smtp_host="s",
        smtp_port=1,
        log_dir=REPO,
        timeout=1,
    )

    names = set(app_environment(launch, "http://u")) - set(os.environ)
    job_env = environment_of(services[DATABASES_JOB])
    for name, service in app_services(services).items():
        env = environment_of(service)
        assert names <= set(env), f"{name} lacks {sorted(names - set(env))}"
        assert env["SPANNER_EMULATOR_HOST"] == f"{COMPOSE_SERVICE}:9010"
        assert env["APP_SMTP_HOST"] == "mailpit" and env["APP_SMTP_PORT"] == "1025"
        for key in ("SPANNER_PROJECT", "SPANNER_INSTANCE"):
            assert env[key] == job_env[key], f"{name}: {key} differs from the databases job's"


def test_apps_settings_are_accepted_by_the_apps(services) -> None:
    """Each app's environment, read by the app's own settings parser, as it starts."""
    for product in PRODUCTS:
        if product.app_module is None:
            continue
        name, service = service_of(services, product)
        app_product = importlib.import_module(f"{product.app_module}.product").PRODUCT
        command = command_of(service)
        settings = load_settings(
            app_product,
            environment_of(service),
            host=option(command, "--host"),
            port=int(option(command, "--port")),
        )
        assert set(settings.databases) == set(product.databases)
        host_port = dict((c, h) for h, c in host_ports(service)).get(int(option(command, "--port")))
        assert host_port is not None, f"{name}: its --port is not published"
        assert settings.public_url == f"http://localhost:{host_port}", (
            f"{name}: APP_PUBLIC_URL must be where a browser on the host reaches it"
        )


def test_apps_listen_where_their_health_check_asks(services) -> None:
    for name, service in app_services(services).items():
        command = command_of(service)
        assert option(command, "--host") == "0.0.0.0", f"{name} must listen beyond loopback"
        assert int(option(command, "--port")) == APP_PORT
        probe = " ".join(service["healthcheck"]["test"])
        assert f"http://127.0.0.1:{APP_PORT}/healthz" in probe, f"{name}: {probe}"
        assert "curl" not in probe and "wget" not in probe, "python:3.11-slim has neither"


def test_every_command_module_exists(services) -> None:
    for name, service in services.items():
        module = module_of(service)
        if module is not None:
            assert importlib.util.find_spec(module) is not None, f"{name}: no module {module}"


def test_host_ports_do_not_collide(services) -> None:
    seen: dict[int, str] = {}
    for name, service in services.items():
        for host, _ in host_ports(service):
            assert host not in seen, f"host port {host}: both {seen[host]} and {name}"
            seen[host] = name


# --- the image ----------------------------------------------------------------------------------


def dockerfiles(services: dict[str, dict[str, Any]]) -> set[Path]:
    found = set()
    for service in services.values():
        build = service.get("build")
        if build is not None:
            context = REPO / (build if isinstance(build, str) else build.get("context", "."))
            name = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            found.add(context / name)
    return found


def copy_sources(dockerfile: Path) -> list[str]:
    sources = []
    for line in dockerfile.read_text().splitlines():
        words = line.split()
        if words and words[0].upper() == "COPY" and not any(w.startswith("--") for w in words):
            sources.extend(word.rstrip("/") for word in words[1:-1])
    return sources


def test_the_dockerfile_exists_and_runs_as_a_user(services) -> None:
    found = dockerfiles(services)
    assert found, "no service builds an image"
    for dockerfile in found:
        assert dockerfile.is_file(), f"{COMPOSE_FILE} names {dockerfile}, which does not exist"
        text = dockerfile.read_text()
        assert re.search(r"^FROM python:3\.11-slim\b", text, re.M), dockerfile
        users = re.findall(r"^USER\s+(\S+)", text, re.M)
        assert users and users[-1] not in ("root", "0"), f"{dockerfile}: must not run as root"
        assert "-c docker/constraints.txt" in text, f"{dockerfile}: pip must use constraints.txt"


def test_dockerignore_lets_in_exactly_what_the_image_copies(services) -> None:
    allowed = {
        line[1:].rstrip("/")
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.startswith("!")
    }
    assert "*" in DOCKERIGNORE.read_text().splitlines(), "the context must be an allowlist"
    for dockerfile in dockerfiles(services):
        sources = copy_sources(dockerfile)
        assert sources, f"{dockerfile}: no COPY"
        for source in sources:
            assert (REPO / source).exists(), f"{dockerfile}: COPY {source}: no such path"
        assert set(sources) == allowed, (
            f"{DOCKERIGNORE} lets in {sorted(allowed)}, {dockerfile} copies {sorted(sources)}"
        )


def requirement_names(path: Path) -> set[str]:
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return {canonical(Requirement(line).name) for line in lines if line and line[0] != "-"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_image_packages_are_the_suites_pinned_ones() -> None:
    wanted = requirement_names(IMAGE_REQUIREMENTS)
    unknown = wanted - requirement_names(REPO / "requirements.txt")
    assert not unknown, f"{IMAGE_REQUIREMENTS}: not in requirements.txt: {sorted(unknown)}"
    pinned = {
        canonical(line.split("==")[0])
        for line in (REPO / "constraints.txt").read_text().splitlines()
        if "==" in line
    }
    assert wanted <= pinned, f"not pinned in constraints.txt: {sorted(wanted - pinned)}"


def installed_closure(names: set[str]) -> set[str]:
    """The distributions these install, through their requirements (with the extras asked)."""
    from importlib import metadata

    todo: list[tuple[str, frozenset[str]]] = [(name, frozenset()) for name in names]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        for line in metadata.distribution(name).requires or []:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is None or any(marker.evaluate({"extra": e}) for e in {"", *extras}):
                todo.append((canonical(requirement.name), frozenset(requirement.extras)))
    return {name for name, _ in seen}


# the files of this repository's modules that the image runs: every module of app/, and what
# the databases job loads
LOCAL_MODULES_THE_IMAGE_RUNS = """
import importlib, json, pkgutil, sys
import app, harness.prepare_databases, products
for info in pkgutil.walk_packages(app.__path__, "app."):
    importlib.import_module(info.name)
local = {"app", "base", "harness", "products", "spanner"}
print(json.dumps(sorted(
    module.__file__ for name, module in list(sys.modules.items())
    if name.split(".")[0] in local and getattr(module, "__file__", None)
)))
"""


def imported_top_level(path: Path) -> set[str]:
    """Top-level names of the absolute imports in a file, wherever they stand in it."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_image_packages_cover_what_the_image_imports() -> None:
    from importlib import metadata

    result = subprocess.run(
        [sys.executable, "-c", LOCAL_MODULES_THE_IMAGE_RUNS],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    files = [Path(name) for name in json.loads(result.stdout)]
    assert any(path.match("app/clinic/*.py") for path in files), "app/ was not walked"
    imported = {
        name: path
        for path in files
        for name in imported_top_level(path)
        if name not in sys.stdlib_module_names and name not in LOCAL_PACKAGES
    }
    providers = metadata.packages_distributions()
    available = installed_closure(requirement_names(IMAGE_REQUIREMENTS))
    uncovered = {
        name: f"{providers.get(name, ['no distribution'])} for {path.relative_to(REPO)}"
        for name, path in sorted(imported.items())
        if not {canonical(d) for d in providers.get(name, [])} & available
    }
    assert not uncovered, (
        f"the image runs code that imports what {IMAGE_REQUIREMENTS.relative_to(REPO)} does "
        f"not install: {uncovered}"
    )
