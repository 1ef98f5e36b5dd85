"""The run's lifecycle for a list of products: what each behave hook does.

environment.py binds these hooks to behave with the project's products; a project of its own
(a fork, or a test) binds them with another list.

before_all       check that every feature names a known product, read settings, start Spanner,
                 a mail sink and the first feature's product (databases, app) in a thread,
                 and one browser beside them (harness/startup.py)
before_feature   the feature's product: its databases and app the first time (kept for the
                 run), then the feature's fixtures as its baseline; a feature tagged
                 @spanner.fault_injection gets them on an emulator of its own that aborts
                 commits at random (harness/fault_injection.py)
before_scenario  restore the baseline in the product's databases only, fresh browser context
after_scenario   evidence when it did not pass, close the context
after_all        timing summary; behave's fixtures stop everything they started

run.mode=smoke (harness/smoke.py): @smoke scenarios only, deployed apps, read-only Spanner, no
mail sink; checked in before_all before anything starts, and again before each scenario.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path

import allure
from behave import fixture, use_fixture
from behave.runner import ContextMode
from behave.tag_expression import make_tag_expression
from playwright.sync_api import expect, sync_playwright

from base import processes
from base.proc import is_running
from base.timing import Timings, seconds_since_process_start
from harness.accounts import load_accounts
from harness.app_coverage import scenario_ends, scenario_starts
from harness.background import Background
from harness.browser import (
    browser_pid,
    launch_browser,
    make_context_ready,
    open_scenario_browser,
)
from harness.config import load_settings
from harness.evidence import artifact_stem, attach_app_log, close_scenario_browser
from harness.fault_injection import runtime_with_faults
from harness.fixture_folder import fixture_folder_of
from harness.mailbox import Mailbox, open_mailbox
from harness.products import Product, Registry
from harness.report_run import describe_run_to_report
from harness.runtime import ProductRuntimes
from harness.smoke import NoMail, prepare_smoke_run, refuse_unless_smoke
from harness.startup import next_product_to_start, product_to_start_early
from harness.watchdog import Watchdog
from spanner.service import SpannerService

FIXTURE_TAG = "fixture."


def fixture_sets_of(scenario) -> list[str]:
    """`@fixture.many_users` on a scenario (or its feature) adds fixtures/many_users/."""
    return [
        tag[len(FIXTURE_TAG) :] for tag in scenario.effective_tags if tag.startswith(FIXTURE_TAG)
    ]


@fixture
def mailbox(context):
    with context.timings.measure("mail sink start"):
        box = open_mailbox(context.settings)
    try:
        yield box
    finally:
        box.stop()


@fixture
def product_runtimes(context, spanner: SpannerService, mail):
    runtimes = ProductRuntimes(context.settings, spanner, mail, context.timings)
    try:
        yield runtimes
    finally:
        runtimes.stop()


def runs_user_code(context) -> bool:
    """Whether a step or a hook is running: behave catches what they raise, not its own code."""
    return context._mode is ContextMode.USER


@fixture
def watchdog(context):
    dog = Watchdog(guarded=lambda: runs_user_code(context)).start()
    try:
        yield dog
    finally:
        dog.stop()


@fixture
def browser(context):
    with context.timings.measure("playwright start"):
        playwright = sync_playwright().start()
    with context.timings.measure("browser launch"):
        try:
            launched = launch_browser(playwright, context.settings)
        except Exception:
            playwright.stop()
            raise
    try:
        yield launched
    finally:
        launched.close()
        playwright.stop()


def run_named_feature_files_whole(config) -> None:
    """`behave features/load.feature` runs that feature although behave.ini's default_tags
    leave @load out of a plain run: a feature file named on the command line is asked for.
    Tags given on the command line (--tags) still decide."""
    if not config.default_tags or config.tags is not config.default_tags:
        return
    paths = [path.split(":")[0] for path in config.paths]
    if paths and all(Path(path).suffix == ".feature" for path in paths):
        config.tag_expression = make_tag_expression("")


class Lifecycle:
    def __init__(self, products: Iterable[Product]) -> None:
        self.registry = Registry.of(products)

    def before_all(self, context) -> None:
        context.timings = timings = Timings()
        since_process_start = seconds_since_process_start()
        if since_process_start is not None:
            timings.record("interpreter and imports", since_process_start)
        processes.install_exit_handlers()
        run_named_feature_files_whole(context.config)
        # every feature must name a known product before anything starts
        for feature in context._runner.features:
            self.registry.product_of(feature.tags, feature.filename)
        context.registry = self.registry
        context.settings = load_settings(
            context.config.userdata,
            products=self.registry.titles(),
            declared_urls=self.registry.declared_urls(),
        )
        if context.settings.smoke:  # @smoke only, deployed apps, nothing written
            prepare_smoke_run(
                context.config, context._runner.features, self.registry, context.settings
            )
        expect.set_options(timeout=context.settings.browser_expect_timeout * 1000)
        early = product_to_start_early(
            context._runner.features, context.config, self.registry.product_of
        )
        # Spanner, the mail sink and the first product in a thread; the browser here
        first_app: Future[str | None] = Future()
        services = Background(
            "run services", lambda: self._start_services(context, early, first_app)
        )
        context.add_cleanup(services.release)  # after the clean-ups that stop its children
        try:
            context.browser = use_fixture(browser, context)
            # the first scenario's browser context, made while the services are still starting
            address = first_app.result(timeout=context.settings.app_start_timeout)
            if address is not None:
                with timings.measure("first context, made ahead"):
                    make_context_ready(context.browser, address, context.settings)
        except BaseException as error:
            # wait for the services' thread, so that the clean-ups stop what it started
            also = services.error()
            if also is not None:
                error.add_note(f"starting the services failed too: {type(also).__name__}: {also}")
            raise
        with timings.measure("waiting for services"):
            context.spanner, context.mail, context.products = services.result()
        # set up last, so that it is stopped first: the services it watches stop on purpose
        context.watchdog = use_fixture(watchdog, context)
        self._watch_run_services(context)
        describe_run_to_report(context)
        timings.record("before_all", timings.since_start())

    def _start_services(
        self, context, early: Product | None, first_app: Future[str | None]
    ) -> tuple[SpannerService, Mailbox | NoMail, ProductRuntimes]:
        """Spanner, the mail sink and the product of the first feature (the app wants the mail
        sink and its databases, those want Spanner); the app's process starts first, to import
        itself meanwhile, and its address goes to `first_app` at once (None: not known now)."""
        prestarted = None
        try:
            settings = context.settings
            spanner = SpannerService(settings.spanner, context.timings, read_only=settings.smoke)
            context.add_cleanup(spanner.stop)  # stopped last
            mail = NoMail() if settings.smoke else use_fixture(mailbox, context)
            runtimes = use_fixture(product_runtimes, context, spanner, mail)
            # the first product's app imports itself while Spanner and its databases start
            prestarted = runtimes.prestart(early) if early is not None else None
        finally:
            first_app.set_result(prestarted.base_url if prestarted is not None else None)
        try:
            spanner.start()
            if early is not None:
                runtimes.get(early, prestarted)
        except BaseException:
            if prestarted is not None:
                prestarted.stop()
            raise
        context.timings.record("services ready", context.timings.since_start())
        return spanner, mail, runtimes

    def _watch_run_services(self, context) -> None:
        backend = context.spanner.backend
        if backend.runs_a_child:
            context.watchdog.watch("emulator", backend.alive, backend.death)
        if hasattr(context.mail, "alive"):
            context.watchdog.watch(
                "mail sink", context.mail.alive, lambda: f"{context.mail.where} stopped"
            )
        pid = browser_pid(os.getpid())
        if pid is not None and not context.settings.browser_ws_endpoint:
            context.watchdog.watch(
                "browser",
                lambda: is_running(pid),
                lambda: f"the browser (process {pid}) exited",
            )

    def before_feature(self, context, feature) -> None:
        context.watchdog.armed = True
        started = time.perf_counter()
        try:
            self._start_feature(context, feature)
        finally:
            context.watchdog.armed = False
        if not context.timings.samples.get("first feature set-up"):
            context.timings.record("first feature set-up", time.perf_counter() - started)

    def _start_feature(self, context, feature) -> None:
        context.watchdog.raise_if_dead()
        product = self.registry.product_of(feature.tags, feature.filename)
        # @spanner.fault_injection: the product on an emulator of the feature's own, watched
        faulty = runtime_with_faults(context, feature, product)
        runtime = faulty or context.products.get(product)
        if runtime.app.runs_a_child and faulty is None:
            what = f"the {product.title}'s app ({product.app_description})"
            context.watchdog.watch(
                f"app {product.name}", runtime.app.alive, lambda: runtime.app.death(what)
            )
        context.product, context.db, context.app = runtime, runtime.databases, runtime.app
        context.fixtures = runtime.layout
        # the folder of the feature's own fixtures: @fixtures.<folder>, else its file's name
        stem = context.fixture_folder = fixture_folder_of(feature, runtime.layout.root)
        scenario_sets = [
            name for scenario in feature.walk_scenarios() for name in fixture_sets_of(scenario)
        ]
        runtime.baseline.seed_feature(stem, scenario_sets)
        context.accounts = load_accounts(runtime.layout.accounts(stem))
        # the next product the run needs starts while this feature runs
        upcoming = next_product_to_start(
            context._runner.features,
            feature,
            context.config,
            self.registry.product_of,
            context.products.started,
        )
        if upcoming is not None:
            context.products.start_ahead(upcoming)

    def before_scenario(self, context, scenario) -> None:
        context.scenario_started = time.perf_counter()
        context.watchdog.armed = True
        context.watchdog.raise_if_dead()
        if context.settings.smoke:
            refuse_unless_smoke(scenario)
        first = not context.timings.samples.get("cold start")
        started = time.perf_counter()
        context.product.baseline.restore(fixture_sets_of(scenario))
        restored = time.perf_counter()
        context.mail.clear()
        context.learned = {}
        context.app_log_offset = context.app.log_size()
        scenario_starts(scenario.filename, scenario.line, [context.app])
        with context.timings.measure("scenario browser open"):
            context.browser_session = open_scenario_browser(
                context.browser, context.app.base_url, context.settings
            )
        context.page = context.browser_session.page
        if first:  # the start's last parts: run start (and process start) to the first step
            context.timings.record("first restore", restored - started)
            context.timings.record("first context and page", time.perf_counter() - restored)
            context.timings.mark_once("cold start")
            since_process_start = seconds_since_process_start()
            if since_process_start is not None:
                context.timings.record("process start to first step", since_process_start)

    def after_step(self, context, step) -> None:
        """A step after which the app answered 500 to a request of the page fails, naming the
        request: the app failed on its side even when the page it showed next looks right, and
        the step that waits for what comes next would otherwise wait its whole time first."""
        session = getattr(context, "browser_session", None)
        if session is None or not session.server_errors:
            return
        answered, session.server_errors = session.server_errors, []
        if not step.status.has_failed():  # a failed step's own message says more
            raise AssertionError(
                f"The app answered 500 Internal Server Error to {', '.join(answered)} during "
                "this step: an error it did not handle (its log is attached to the scenario)."
            )

    def after_scenario(self, context, scenario) -> None:
        """Evidence for every scenario that did not pass: failed, errored or broken by a hook."""
        context.watchdog.armed = False
        if hasattr(context, "scenario_started"):
            context.timings.record("scenario", time.perf_counter() - context.scenario_started)
        cause = context.watchdog.check_now() if scenario.status.has_failed() else None
        failed = scenario.status.has_failed()
        if cause is not None:
            allure.attach(cause, name="cause: a service died")
        settings = context.settings
        session = getattr(context, "browser_session", None)
        if session is not None:
            try:
                with context.timings.measure("scenario browser close"):
                    close_scenario_browser(
                        session,
                        artifact_stem(settings.output, scenario.name),
                        failed,
                        settings.screenshot,
                        settings.tracing,
                    )
            except Exception as error:  # a dead browser gives no screenshot; say so, go on
                allure.attach(f"{type(error).__name__}: {error}", name="browser evidence lost")
        if failed and hasattr(context, "app"):
            attach_app_log(context.app, getattr(context, "app_log_offset", 0))
        if hasattr(context, "app"):  # after its page is cleared: its last requests are its own
            scenario_ends([context.app])

    def after_all(self, context) -> None:
        if hasattr(context, "timings"):
            # behave captures hook output; the summary is for the person at the terminal
            print("\n" + context.timings.summary(), file=sys.__stdout__, flush=True)
