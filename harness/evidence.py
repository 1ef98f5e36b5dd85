"""What a person reading the report needs when a scenario fails: screenshot, trace, logs."""

from __future__ import annotations

import re
from pathlib import Path

import allure

from harness import tracing as trace_modes
from harness.app_server import RunningApp
from harness.browser import ScenarioBrowser


def artifact_stem(output: Path, scenario_name: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", scenario_name).strip("-").lower()[:80] or "scenario"
    folder = output / "scenarios"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / slug


def close_scenario_browser(
    session: ScenarioBrowser,
    stem: Path,
    failed: bool,
    screenshot_mode: str,
    tracing_mode: str,
) -> None:
    """Attach what the settings ask for, then close the context (or give it back to be
    cleared for the next scenario)."""
    try:
        if screenshot_mode == "on" or (failed and screenshot_mode == "only-on-failure"):
            path = stem.with_suffix(".png")
            session.page.screenshot(path=str(path), full_page=True)
            allure.attach.file(
                str(path), name="screenshot", attachment_type=allure.attachment_type.PNG
            )
        if session.tracing:
            if trace_modes.keeps(tracing_mode, failed):
                path = stem.with_suffix(".trace.zip")
                session.stop_tracing(path)
                allure.attach.file(str(path), name="playwright trace", extension="zip")
            else:
                session.stop_tracing()
        if failed and session.console_errors:
            allure.attach(
                "\n".join(session.console_errors),
                name="browser console errors",
                attachment_type=allure.attachment_type.TEXT,
            )
    finally:
        session.close()


def attach_app_log(app: RunningApp, since: int) -> None:
    text = app.log_since(since) or app.log_tail()
    lines = text.splitlines()[-200:]
    allure.attach("\n".join(lines), name="app log", attachment_type=allure.attachment_type.TEXT)
