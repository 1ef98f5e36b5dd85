"""The run's lifecycle, and nothing else: each hook hands its work to spanner/ or harness/."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from behave import fixture, use_fixture
from behave.model_core import Status
from playwright.sync_api import sync_playwright

from harness import processes
from harness.accounts import load_accounts
from harness.app_server import external_app, start_reference_app
from harness.browser import launch_browser, open_scenario_browser
from harness.config import load_settings
from harness.evidence import artifact_stem, attach_app_log, close_scenario_browser
from harness.mail_sink import MailSink
from harness.timing import Timings
from spanner.suite import SpannerSuite

FIXTURE_TAG = "fixture."


def fixture_sets_of(scenario) -> list[str]:
    """`@fixture.many_users` on a scenario (or its feature) adds fixtures/many_users/."""
    return [
        tag[len(FIXTURE_TAG) :] for tag in scenario.effective_tags if tag.startswith(FIXTURE_TAG)
    ]


@fixture
def spanner_suite(context):
    suite = SpannerSuite(context.settings, context.timings)
    try:
        yield suite.start()
    finally:
        suite.stop()


@fixture
def mail_sink(context):
    sink = MailSink().start()
    try:
        yield sink
    finally:
        sink.stop()


@fixture
def app_under_test(context):
    settings = context.settings
    if settings.base_url:
        yield external_app(settings.base_url)
        return
    env = {
        **os.environ,
        "SPANNER_PROJECT": settings.spanner_project,
        "SPANNER_INSTANCE": settings.spanner_instance,
        "APP_PRIMARY_DATABASE": settings.database_id("primary"),
        "APP_SECONDARY_DATABASE": settings.database_id("secondary"),
        "APP_SMTP_HOST": context.mail.host,
        "APP_SMTP_PORT": str(context.mail.port),
    }
    if context.spanner.backend.emulator_host:
        env["SPANNER_EMULATOR_HOST"] = context.spanner.backend.emulator_host
    with context.timings.measure("app start"):
        app = start_reference_app(env, settings.output / "logs", settings.app_start_timeout)
    try:
        yield app
    finally:
        app.stop()


@fixture
def browser(context):
    with context.timings.measure("browser launch"):
        playwright = sync_playwright().start()
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


def before_all(context):
    processes.install_exit_handlers()
    context.settings = load_settings(context.config.userdata)
    context.timings = Timings()
    context.spanner = use_fixture(spanner_suite, context)
    context.db = context.spanner.databases
    context.mail = use_fixture(mail_sink, context)
    context.app = use_fixture(app_under_test, context)
    context.browser = use_fixture(browser, context)


def before_feature(context, feature):
    stem = Path(feature.filename).stem
    scenario_sets = [
        set_name for scenario in feature.walk_scenarios() for set_name in fixture_sets_of(scenario)
    ]
    context.spanner.seed_feature(stem, scenario_sets)
    context.accounts = load_accounts(context.spanner.fixtures_root, stem)


def before_scenario(context, scenario):
    context.spanner.restore(fixture_sets_of(scenario))
    context.mail.clear()
    context.learned = {}
    context.app_log_offset = context.app.log_size()
    context.browser_session = open_scenario_browser(
        context.browser, context.app.base_url, context.settings
    )
    context.page = context.browser_session.page
    context.scenario_started = time.perf_counter()


def after_scenario(context, scenario):
    context.timings.record("scenario", time.perf_counter() - context.scenario_started)
    failed = scenario.status == Status.failed
    settings = context.settings
    close_scenario_browser(
        context.browser_session,
        artifact_stem(settings.output, scenario.name),
        failed,
        settings.screenshot,
        settings.tracing,
    )
    if failed:
        attach_app_log(context.app, context.app_log_offset)


def after_all(context):
    if hasattr(context, "timings"):
        # behave captures hook output; the summary is for the person at the terminal
        print("\n" + context.timings.summary(), file=sys.__stdout__, flush=True)
