"""A product as a deployed copy, for running the suite against it (or clicking through it).

    python -m harness.serve [--product NAME] [--feature STEM] [--smtp-port 1025]
                            [--http-port 8025] [-D key=value ...]

starts (or reaches) Spanner as the suite does, creates the product's databases and seeds them
with fixtures/common/<product>/ plus fixtures/<feature>/, starts a mail sink (SMTP on
--smtp-port, Mailpit's HTTP API on --http-port) and the product's app (its reference app or
its declared command) sending its mail there. It prints the URLs and the command that runs the
suite against them, then runs until Ctrl-C or SIGTERM, and stops everything it started.

Settings are the suite's (harness/config.py: -D key=value here, or the environment), so the
printed command finds the same project, instance and databases. A suite run with
<product>.base_url set never creates or drops those databases: it restores their rows.

The products come from the declarations module (--products-module, default `products`),
loaded by name the way environment.py binds them, so this generic module names none.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import threading
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from behave.parser import parse_file

from base import processes
from base.timing import Timings
from harness.app_server import RunningApp, start_app
from harness.command_line import add_suite_options, userdata_of
from harness.command_line import load_registry as load_products_module
from harness.config import Settings, SettingsError, base_url_option, load_settings
from harness.fixture_folder import FixtureFolderError, fixture_folder_of
from harness.mail_sink import MailSink
from harness.mailpit import MailpitApi
from harness.product_yaml import PRODUCT_FILES_VARIABLE
from harness.products import REPO_ROOT, Product, ProductError, Registry
from harness.runtime import app_launch
from harness.watchdog import ServiceDied, Watchdog
from spanner.databases import Databases
from spanner.fixture_layout import FixtureLayout
from spanner.fixtures import load_seed
from spanner.seeding import apply_seed
from spanner.service import SpannerService

DEFAULT_SMTP_PORT = 1025  # Mailpit's
DEFAULT_HTTP_PORT = 8025  # Mailpit's
FEATURES_DIR = REPO_ROOT / "features"
READY_LINE = "serve: ready"


class ServeError(RuntimeError):
    """What was asked cannot be served; the message says why and what to do."""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m harness.serve",
        description="Run a product's databases, mail sink and reference app until Ctrl-C, "
        "and print how to point the suite at them.",
    )
    parser.add_argument("--product", help="the product to serve (default: the only one declared)")
    parser.add_argument(
        "--feature",
        metavar="STEM",
        help="also seed fixtures/<STEM>/ (the feature features/<STEM>.feature); "
        "default: the product's common fixtures only",
    )
    parser.add_argument(
        "--smtp-port",
        type=int,
        default=None,
        help="port the sink receives mail on (default: mail.smtp_port if set, else "
        f"{DEFAULT_SMTP_PORT}; 0: a free port)",
    )
    parser.add_argument(
        "--http-port",
        type=int,
        default=DEFAULT_HTTP_PORT,
        help=f"port of the sink's Mailpit API (default {DEFAULT_HTTP_PORT}; 0: a free port)",
    )
    add_suite_options(parser)
    return parser.parse_args(argv)


def load_registry(module_name: str) -> Registry:
    return load_products_module(module_name, ServeError)


def choose_product(registry: Registry, name: str | None, feature: str | None = None) -> Product:
    """--product, else the product the feature's file is tagged with, else the only one."""
    products = list(registry)
    feature_file = FEATURES_DIR / f"{feature}.feature" if feature else None
    if name is None and feature_file is not None and feature_file.is_file():
        parsed = parse_file(str(feature_file))
        try:
            return registry.product_of(parsed.tags if parsed else [], _shown(feature_file))
        except ProductError as error:
            raise ServeError(str(error)) from None
    if name is None:
        if len(products) != 1:
            ask = f"name the product with --product; declared: {registry.listing()}"
            if feature_file is not None:
                ask = f"no {_shown(feature_file)} to take the product from: {ask}"
            raise ServeError(ask)
        return products[0]
    if name not in registry.products:
        raise ServeError(f"unknown product {name!r}; declared: {registry.listing()}")
    return registry.products[name]


def fixture_folder(layout: FixtureLayout, stem: str | None) -> str | None:
    """The feature's fixture folder: its @fixtures.<folder> tag, else its name."""
    feature_file = FEATURES_DIR / f"{stem}.feature" if stem else None
    if feature_file is None or not feature_file.is_file():
        return stem
    parsed = parse_file(str(feature_file))
    if parsed is None:
        return stem
    try:
        return fixture_folder_of(parsed, layout.root)
    except FixtureFolderError as error:
        raise ServeError(str(error)) from None


def check_feature(layout: FixtureLayout, stem: str | None) -> None:
    if stem is None:
        return
    if not (layout.feature(stem).is_dir() or (FEATURES_DIR / f"{stem}.feature").is_file()):
        known = sorted(path.stem for path in FEATURES_DIR.glob("*.feature"))
        raise ServeError(
            f"--feature {stem}: neither {layout.feature(stem)}/ nor "
            f"{FEATURES_DIR / stem}.feature exists; features: {', '.join(known) or '(none)'}"
        )


@dataclass(frozen=True)
class Served:
    """What is running, for the printout."""

    product: Product
    settings: Settings
    app: RunningApp
    backend: str
    emulator_host: str | None
    database_ids: dict[str, str]
    seeded: tuple[Path, ...]
    rows: int
    sink: MailSink
    api: MailpitApi
    feature: str | None


def _shown(path: Path) -> str:
    """A path relative to the repository when it is inside it."""
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _behave() -> str:
    # not resolved: a virtualenv's python is a link to the system's
    behave = Path(sys.executable).parent / "behave"
    return _shown(behave) if behave.is_file() else "behave"


def suite_environment(served: Served) -> list[tuple[str, str, str]]:
    """(setting, environment variable, value) that point the suite at what is served."""
    settings = served.settings
    found = []
    if served.emulator_host:
        found.append(("spanner.emulator_host", "SPANNER_EMULATOR_HOST", served.emulator_host))
    else:
        found.append(("spanner.backend", "SPANNER_BACKEND", served.backend))
    for key, env, value in (
        ("spanner.project", "SPANNER_PROJECT", settings.spanner_project),
        ("spanner.instance", "SPANNER_INSTANCE", settings.spanner_instance),
        ("spanner.database_prefix", "SPANNER_DATABASE_PREFIX", settings.spanner_database_prefix),
    ):
        if settings.sources.get(key, "default") != "default":
            found.append((key, env, value))
    option = base_url_option(served.product.name, served.product.title)
    found.append((option.key, option.env or "", served.app.base_url))
    listed = os.environ.get(PRODUCT_FILES_VARIABLE, "").split(os.pathsep)
    files = [str(Path(entry).expanduser().resolve()) for entry in listed if entry.strip()]
    if files:  # the suite finds the YAML products declared outside products/ the same way
        found.append((PRODUCT_FILES_VARIABLE, PRODUCT_FILES_VARIABLE, os.pathsep.join(files)))
    found.append(("mail.api_url", "MAIL_API_URL", served.api.url))
    return found


def suite_command(served: Served) -> str:
    assignments = " ".join(
        f"{env}={shlex.quote(value)}" for _, env, value in suite_environment(served)
    )
    if served.feature:
        target = _shown(FEATURES_DIR / f"{served.feature}.feature")
    else:
        target = f"--tags=@{served.product.tag} {_shown(FEATURES_DIR)}"
    command = f"{assignments} {_behave()} {target}"
    if Path.cwd().resolve() != REPO_ROOT:
        command = f"cd {shlex.quote(str(REPO_ROOT))} && {command}"
    return command


def describe(served: Served) -> str:
    product, spanner = served.product, served.settings.spanner
    environment = suite_environment(served)
    width = max(len(key) for key, _, _ in environment)
    rows = [
        ("app", served.app.base_url),
        (
            "emulator",
            f"{served.emulator_host or 'Cloud Spanner'} ({served.backend} backend; "
            f"project {spanner.project}, instance {spanner.instance})",
        ),
        ("databases", ", ".join(served.database_ids.values())),
        (
            "seeded",
            f"{', '.join(_shown(path) for path in served.seeded) or '(no fixture folder)'} "
            f"({served.rows} rows)",
        ),
        ("mail API", f"{served.api.url} (Mailpit's /api/v1/messages)"),
        ("mail SMTP", f"{served.sink.host}:{served.sink.port}"),
        ("app log", str(served.app.log_path)),
    ]
    return "\n".join(
        [
            "",
            f"{product.title} ({product.name}) is served:",
            *(f"  {name:12} {value}" for name, value in rows),
            "",
            "Settings that point the suite at it (-D key=value, or the environment):",
            *(f"  {key:{width}}  {value}" for key, _, value in environment),
            "",
            "Run the suite against it:",
            f"  {suite_command(served)}",
            "",
            "Ctrl-C (or SIGTERM) stops everything.",
            READY_LINE,
        ]
    )


def seed(
    service: SpannerService, databases: Databases, layout: FixtureLayout, feature: str | None
) -> tuple[tuple[Path, ...], int]:
    """Common fixtures, plus the feature's: the state a feature's scenarios start from."""
    if feature:
        sets = layout.baseline(feature)
    else:
        sets = tuple(folder for folder in (layout.common(),) if folder.is_dir())
    loaded = load_seed(sets, databases.schemas, databases.aliases)
    service.check_destructive("seed the served databases")
    apply_seed(databases.handles, databases.schemas, loaded)
    return sets, loaded.count()


def watch(stack: ExitStack, app: RunningApp, service: SpannerService) -> Watchdog:
    """A watchdog on the processes serve started; disarmed first when serve stops."""
    dog = Watchdog().start()
    stack.callback(dog.stop)
    backend = service.backend
    if backend.runs_a_child:
        dog.watch("emulator", backend.alive, backend.death)
    if app.runs_a_child:
        dog.watch("app", app.alive, lambda: app.death("the app"))
    dog.armed = True
    stack.callback(setattr, dog, "armed", False)  # stopping them on purpose is no death
    return dog


def wait_until_stopped(dog: Watchdog) -> None:
    """Until Ctrl-C or SIGTERM (KeyboardInterrupt), or a started process dies (ServiceDied).

    Nothing is polled here: the main thread waits for a signal, and the watchdog interrupts
    it (SIGUSR1) when a process it watches has died.
    """
    dog.raise_if_dead()
    threading.Event().wait()


def start(args: argparse.Namespace, stack: ExitStack) -> tuple[Served, Watchdog]:
    registry = load_registry(args.products_module)
    product = choose_product(registry, args.product, args.feature)
    settings = load_settings(
        userdata_of(args.userdata),
        products=registry.titles(),
        declared_urls=registry.declared_urls(),
    )
    layout = FixtureLayout(product.fixtures_root, product.name)
    check_feature(layout, args.feature)
    if not product.starts_an_app:
        raise ServeError(f"{product.title} has no app to serve (a reference app or an app command)")
    smtp_port = settings.mail_smtp_port or DEFAULT_SMTP_PORT
    smtp_port = smtp_port if args.smtp_port is None else args.smtp_port

    stack.callback(_say, "stopped everything it started")
    service = SpannerService(settings.spanner, Timings())
    stack.callback(service.stop)
    service.start()
    databases = service.databases(
        product.databases, product.aliases, product.schema_root, create=True
    )
    seeded, rows = seed(service, databases, layout, fixture_folder(layout, args.feature))

    sink = MailSink(smtp_port).start()
    stack.callback(sink.stop)
    api = MailpitApi(sink, args.http_port).start()
    stack.callback(api.stop)

    launch = app_launch(product, databases, settings, service, sink.host, sink.port)
    app = start_app(launch)
    stack.callback(app.stop)
    served = Served(
        product=product,
        settings=settings,
        app=app,
        backend=service.backend.name,
        emulator_host=service.backend.emulator_host,
        database_ids=dict(launch.database_ids),
        seeded=seeded,
        rows=rows,
        sink=sink,
        api=api,
        feature=args.feature,
    )
    return served, watch(stack, app, service)


def _ignore_signals_while_stopping() -> None:
    """Stopping is bounded (processes.stop's grace time); a second Ctrl-C must not cut it."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1):
        signal.signal(signum, signal.SIG_IGN)


def _say(message: str) -> None:
    print(f"serve: {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """1 when something failed or died on its own; 2 when the request itself is wrong
    (settings, product, feature). After Ctrl-C or SIGTERM everything is stopped and the
    process ends as base/processes.py ends every program here: 130 or 143."""
    args = parse_args(argv)
    # Ctrl-C stops serve even when it was started with SIGINT ignored (a shell's `&`)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    processes.install_exit_handlers()  # Ctrl-C, SIGTERM and SIGHUP unwind, clean-up runs
    with ExitStack() as stack:
        try:
            served, dog = start(args, stack)
            print(describe(served), flush=True)
            wait_until_stopped(dog)
        except (KeyboardInterrupt, SystemExit):
            _ignore_signals_while_stopping()
            _say("stopping")
            return 0
        except ServiceDied as error:
            _ignore_signals_while_stopping()
            _say(f"{error}\nstopping the rest")
            return 1
        except (ServeError, SettingsError, ProductError) as error:
            _ignore_signals_while_stopping()
            _say(str(error))
            return 2
        except Exception as error:
            _ignore_signals_while_stopping()
            _say(f"{type(error).__name__}: {error}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
