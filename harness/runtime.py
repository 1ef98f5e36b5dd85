"""A product at run time: its databases, baseline and app, started the first time it is needed.

One emulator serves the whole run; a product's databases are created and its app started
when the first feature of that product begins, or while the feature before it runs
(`start_ahead`), and kept until the run ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from base.timing import Timings
from harness.app_server import (
    AppLaunch,
    PrestartedApp,
    RunningApp,
    external_app,
    prestart_app,
    start_app,
)
from harness.background import Background
from harness.config import Settings
from harness.mailbox import Mailbox
from harness.products import Product
from spanner.baseline import Baseline
from spanner.databases import Databases, create_databases
from spanner.fixture_layout import FixtureLayout
from spanner.service import SpannerService


def app_launch(
    product: Product,
    databases: Databases,
    settings: Settings,
    spanner: SpannerService,
    smtp_host: str,
    smtp_port: int,
    name: str | None = None,
) -> AppLaunch:
    """How a product's app (reference app or command) is started on these databases of this
    Spanner, sending mail to smtp_host:smtp_port (its log file named after ``name``, else the
    product)."""
    if not product.starts_an_app:
        raise ValueError(f"{product.title} has no app the suite can start (app_module or command)")
    return AppLaunch(
        name=name or product.name,
        module=product.app_module,
        cwd=product.app_cwd,
        database_ids={name: db.database_id for name, db in databases.items()},
        spanner_project=spanner.settings.project,
        spanner_instance=spanner.settings.instance,
        emulator_host=spanner.backend.emulator_host,
        smtp_host=smtp_host,
        smtp_port=smtp_port,
        log_dir=settings.log_dir,
        timeout=settings.app_start_timeout,
        command=product.app_command,
        health_path=product.health_path,
        port=product.app_port,
    )


# the name the callers of the reference apps know
reference_app_launch = app_launch


def create_missing_databases(spanner: SpannerService, product: Product) -> list[str]:
    """On the emulator, a deployed app's databases that do not exist yet, created with their
    schema (an app in any language, started by its team, then has them); the names created."""
    if not (spanner.on_emulator and spanner.writable) or spanner.instance is None:
        return []
    database_id = spanner.settings.database_id
    missing = [
        name
        for name in product.databases
        if not spanner.instance.database(database_id(name)).exists()
    ]
    if missing:
        create_databases(spanner.instance, missing, database_id, product.schema_root)
    return missing


def _spare_for(name: str, launch: AppLaunch) -> PrestartedApp | None:
    """A reference app's next process, importing only what it shares (its code may change
    before it runs: a mutation run's next mutant); None for an app command."""
    if not launch.module:
        return None
    return prestart_app(name, launch.module, launch.cwd, launch.log_dir, own_code_later=True)


@dataclass
class ProductRuntime:
    product: Product
    databases: Databases
    baseline: Baseline
    app: RunningApp
    layout: FixtureLayout


@dataclass
class ProductRuntimes:
    settings: Settings
    spanner: SpannerService
    mail: Mailbox
    timings: Timings
    started: dict[str, ProductRuntime] = field(default_factory=dict)
    launches: dict[str, AppLaunch] = field(default_factory=dict)
    spares: dict[str, PrestartedApp] = field(default_factory=dict)  # restart_apps' next ones
    ahead: dict[str, Background[ProductRuntime]] = field(default_factory=dict)
    # the threads that started apps: each lives until its app is stopped (Background)
    starters: list[Background[ProductRuntime]] = field(default_factory=list)

    def get(self, product: Product, prestarted: PrestartedApp | None = None) -> ProductRuntime:
        """The product's runtime, started the first time (on its app's process, if prestarted)."""
        starting = self.ahead.pop(product.name, None)
        if product.name not in self.started and starting is None:
            self.started[product.name] = self._start(product, prestarted)
            return self.started[product.name]
        if prestarted is not None:  # started, or on its way: this process is not needed
            prestarted.stop()
        if starting is not None:
            self.started[product.name] = starting.result()  # raises what the start raised
        return self.started[product.name]

    def start_ahead(self, product: Product) -> None:
        """The product's databases and app, started in a thread while a feature of another
        product runs; `get` waits for them, or raises what went wrong."""
        if product.name in self.started or product.name in self.ahead:
            return
        starting = Background(f"start {product.name} ahead", lambda: self._start(product, None))
        self.ahead[product.name] = starting
        self.starters.append(starting)

    def prestart(self, product: Product) -> PrestartedApp | None:
        """The product's reference app process, started now to import the app while Spanner
        and the databases start (harness/app_gate.py); None when the suite does not start it
        (a deployed app, an app command, no SMTP port known)."""
        base_url = self.settings.base_url(product.name)
        if base_url is not None or not product.app_module or self.mail.port is None:
            return None
        return prestart_app(
            product.name,
            product.app_module,
            product.app_cwd,
            self.settings.log_dir,
            port=product.app_port,
        )

    def _start(self, product: Product, prestarted: PrestartedApp | None) -> ProductRuntime:
        base_url = self.settings.base_url(product.name)
        # the app imports itself while its databases are created
        prestarted = prestarted or self.prestart(product)
        try:
            # Under a deployed app the databases are its own: use them, never re-create them;
            # on the emulator, those it lacks are created.
            create = base_url is None and self.spanner.writable
            if base_url is not None:
                with self.timings.measure("database creation"):
                    create_missing_databases(self.spanner, product)
            databases = self.spanner.databases(
                product.databases, product.aliases, product.schema_root, create=create
            )
            layout = FixtureLayout(product.fixtures_root, product.name)
            baseline = Baseline(self.spanner, databases, layout, self.timings)
            if base_url:
                app = external_app(base_url)
            else:
                app = self._start_app(product, databases, prestarted)
        except BaseException:
            if prestarted is not None:
                prestarted.stop()
            raise
        return ProductRuntime(product, databases, baseline, app, layout)

    def _start_app(
        self, product: Product, databases: Databases, prestarted: PrestartedApp | None
    ) -> RunningApp:
        if not product.starts_an_app:
            raise RuntimeError(
                f"{product.title} has no app the suite can start (a reference app or an app "
                f"command): set {product.base_url_setting} to the URL of a deployed copy"
            )
        if self.mail.host is None or self.mail.port is None:
            raise RuntimeError(
                f"{product.title}'s app sends mail over SMTP, and the suite does not "
                f"know where {self.mail.where} receives it: set mail.smtp_port to its SMTP "
                f"port, or {product.base_url_setting} to a deployed copy"
            )
        launch = app_launch(
            product, databases, self.settings, self.spanner, self.mail.host, self.mail.port
        )
        with self.timings.measure("app start"):
            app = start_app(launch, self.timings, prestarted)
        self.launches[product.name] = launch
        return app

    def restart_apps(self) -> list[str]:
        """Every app the suite started, stopped and started anew on its port, so that it reads
        its code again (a mutation run's next mutant: harness/mutant_runner.py); their names.
        A reference app starts on a process that has already imported what the app shares
        (started at the previous restart), and the next such process is started at once."""
        restarted = []
        for name, runtime in self.started.items():
            launch = self.launches.get(name)
            if launch is None:
                continue  # a deployed app, not the suite's to restart
            port = urlsplit(runtime.app.base_url).port
            with self.timings.measure("app stop"):
                runtime.app.stop()
            # the first restart goes through the gate too
            spare = self.spares.pop(name, None) or _spare_for(name, launch)
            try:
                with self.timings.measure("app restart"):
                    runtime.app = start_app(replace(launch, port=port), self.timings, spare)
            finally:  # the next one, even when this code did not start
                if launch.module:
                    self.spares[name] = _spare_for(name, launch)
            restarted.append(name)
        return restarted

    def stop(self) -> None:
        for starting in self.ahead.values():  # started for a feature that did not come
            if starting.error() is None:
                starting.result().app.stop()
        for runtime in self.started.values():
            runtime.app.stop()
        for spare in self.spares.values():
            spare.stop()
        for starter in self.starters:
            starter.release()
        self.started.clear()
        self.spares.clear()
        self.ahead.clear()
        self.starters.clear()
