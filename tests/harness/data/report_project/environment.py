"""The report's test project: one product, placed in the report as the suite places its own
(harness/report_labels.py), and an environment written as the suite writes its own."""

from __future__ import annotations

import platform

from harness.output import allure_results_folder
from harness.products import Product
from harness.report_environment import write_environment
from harness.report_labels import name_products

SHOP = Product(name="shop", title="Book shop", databases=("shop",), app_module=None)
UNPLUGGED = "till.unplugged"


def before_all(context) -> None:
    name_products([SHOP])
    folder = allure_results_folder(context.config)
    if folder is not None:
        facts = {"Spanner backend": "none (a report test)", "Python": platform.python_version()}
        write_environment(folder, facts)


def before_scenario(context, scenario) -> None:
    if UNPLUGGED in scenario.effective_tags:
        raise ConnectionError("the till is unplugged")
