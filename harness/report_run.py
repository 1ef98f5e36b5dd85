"""The run, told to its Allure report once before the first scenario: the products' titles
(the report's tree, harness/report_labels.py) and what the run runs on (its Environment,
harness/report_environment.py). Called at the end of before_all (harness/lifecycle.py)."""

from __future__ import annotations

from harness.report_environment import record_run_environment
from harness.report_labels import name_products


def describe_run_to_report(context) -> None:
    name_products(context.registry)
    record_run_environment(context)
