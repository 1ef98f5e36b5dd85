"""allure-behave's results, mended for the report this suite's readers want.

Patched on allure-behave's classes, so that an Allure formatter given with -f on the command
line writes the same results as the one behave.ini names (harness/output.py):

- scenarios under a `Rule:` are recorded (allure-behave 2.16 wraps only a feature's own
  scenarios: allure-python issue 886; the others ran unwrapped and crashed its listener with
  KeyError: None);
- each scenario is placed product → feature → story (harness/report_labels.py);
- a scenario whose hook failed is broken, with the hook's error (allure-behave reads only the
  steps' statuses: a failed before_scenario left every step untested, so "skipped");
- when the formatter closes, the last attempt of a scenario that passed on a retry is marked
  flaky (harness/report_retries.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import allure_behave.listener as allure_listener
from allure_behave.formatter import AllureFormatter
from allure_behave.listener import AllureListener
from allure_commons.model2 import Status, StatusDetails
from allure_commons.utils import format_traceback

from harness.report_labels import place_of, put_in_place
from harness.report_retries import mark_flaky

MENDED = "mended_for_the_report"


def _wrap_rules_too(feature_hook):
    def feature(self, feature) -> None:
        feature_hook(self, feature)
        for rule in getattr(feature, "rules", []):
            self._wrap_scenario(rule.scenarios)

    return feature


def _placed(start_scenario):
    def start(self, scenario) -> None:
        start_scenario(self, scenario)
        put_in_place(self.logger.get_test(self.current_scenario_uuid), place_of(scenario))

    return start


def failed_hook_of(scenario):
    """The scenario, rule or feature whose hook failed around this scenario, if any."""
    holder = scenario
    while holder is not None:
        if getattr(holder, "hook_failed", False):
            return holder
        holder = getattr(holder, "parent", None)
    return None


def _status_with_hooks(scenario_status):
    def status(scenario):
        from_steps = scenario_status(scenario)
        if from_steps in (Status.PASSED, Status.SKIPPED) and failed_hook_of(scenario):
            return Status.BROKEN
        return from_steps

    return status


def _details_with_hooks(scenario_status_details):
    def details(scenario):
        from_steps = scenario_status_details(scenario)
        failed = failed_hook_of(scenario)
        if from_steps is not None or failed is None:
            return from_steps
        trace = format_traceback(failed.exc_traceback) if failed.exc_traceback else None
        return StatusDetails(message=failed.error_message or "a hook failed", trace=trace)

    return details


def _marking_flaky(close):
    def closing(self) -> None:
        try:
            close(self)
        finally:
            _, problems = mark_flaky([Path(self.stream_opener.name)])
            for problem in problems:
                print(f"Allure results: {problem}", file=sys.stderr)

    return closing


def mend_allure_behave() -> None:
    """Patch allure-behave once (importing this module twice must not wrap twice)."""
    if getattr(AllureFormatter, MENDED, False):
        return
    AllureFormatter.feature = _wrap_rules_too(AllureFormatter.feature)
    AllureFormatter.close = _marking_flaky(AllureFormatter.close)
    AllureListener.start_scenario = _placed(AllureListener.start_scenario)
    allure_listener.scenario_status = _status_with_hooks(allure_listener.scenario_status)
    allure_listener.scenario_status_details = _details_with_hooks(
        allure_listener.scenario_status_details
    )
    setattr(AllureFormatter, MENDED, True)
