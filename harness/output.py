"""Formatters for terminals and CI logs alike, and Allure results that tolerate a second one.

behave.ini names these; behave adds any formatter given with -f on the command line to them.

- Console: behave's pretty formatter on a terminal, the plain one in a CI log or a pipe; silent
  when the command line asks for another formatter on the terminal (-f progress, -f plain).
- AllureResults: allure-behave's formatter, unless another Allure formatter is given on the
  command line (two would share one listener and crash) or only the steps catalog is asked for.
  Either writes results mended for the report (harness/report_results.py).
Neither prints anything with --steps-catalog: the catalog is all that is asked for then.
Silent is behave.ini's default_format: behave adds the default formatter to the configured ones
when none is given on the command line, which made every line appear twice.
"""

from __future__ import annotations

import sys
from pathlib import Path

from allure_behave.formatter import AllureFormatter
from behave.formatter.base import Formatter
from behave.formatter.plain import PlainFormatter
from behave.formatter.pretty import PrettyFormatter

from harness.report_results import mend_allure_behave

ALLURE_FORMATTER = "allure_behave.formatter:AllureFormatter"
CATALOG = "steps.catalog"


class Silent(Formatter):
    """Prints nothing and opens no file."""

    name = "silent"

    def close(self) -> None:
        pass


def _catalog_only(config) -> bool:
    return bool(getattr(config, "steps_catalog", False))


def _drop_repeated(formats: list[str]) -> None:
    """behave 1.3 adds steps.catalog twice with --steps-catalog (once as the default format);
    its formatter list is still being built from this list, so the repeat is dropped here."""
    while formats.count(CATALOG) > 1:
        del formats[len(formats) - 1 - formats[::-1].index(CATALOG)]


def _another_console(config) -> bool:
    """Whether the command line asks for a formatter that prints to the terminal as well."""
    ours = {f"{__name__}:{name}" for name in ("Console", "AllureResults", "Silent")}
    for index, name in enumerate(config.format or []):
        if name in ours or name == ALLURE_FORMATTER:
            continue
        outputs = config.outputs or []
        target = outputs[index].name if index < len(outputs) else None
        if target in (None, "-"):
            return True
    return False


class Console(Formatter):
    name = "console"
    description = "pretty on a terminal, plain in a log"

    def __new__(cls, stream_opener, config):
        if _catalog_only(config):
            _drop_repeated(config.format)
            return Silent(stream_opener, config)
        if _another_console(config):
            return Silent(stream_opener, config)
        to_terminal = stream_opener.name in (None, "-") and sys.stdout.isatty()
        chosen = PrettyFormatter if to_terminal else PlainFormatter
        return chosen(stream_opener, config)


mend_allure_behave()


def allure_results_folder(config) -> Path | None:
    """The folder the run's Allure results go to: the command line's Allure formatter's, else
    AllureResults' (behave.ini); None when neither is asked for."""
    outputs = [output.name for output in (config.outputs or [])]
    formats = list(config.format or [])
    for wanted in (ALLURE_FORMATTER, f"{__name__}:AllureResults"):
        for index in reversed(range(len(formats))):
            if formats[index] == wanted and index < len(outputs) and outputs[index]:
                return Path(outputs[index])
    return None


class AllureResults(Formatter):
    name = "allure-results"
    description = "Allure results, once"

    def __new__(cls, stream_opener, config):
        others = [f for f in (config.format or []) if f == ALLURE_FORMATTER]
        if _catalog_only(config) or others:
            return Silent(stream_opener, config)
        return AllureFormatter(stream_opener, config)
