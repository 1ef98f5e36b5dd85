"""Read fixture YAML so that every number, date and time still knows how it was written.

PyYAML's safe loader turns an unquoted `12345678901234567.89` into a float that has already lost
digits, `010` into 8, and raises a bare ValueError (no file, no row) on `2026-02-30`. This loader
builds the same values, but numbers and timestamps carry `.source`, the text as written, so
spanner/values.py can refuse what a column cannot hold exactly and say why; a timestamp that is
no real date or time becomes `TimestampText` with the reason in `.problem`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import yaml

_FRACTION = re.compile(r":\d\d(?:\.(\d*))")


class YamlFloat(float):
    """A float from YAML; `.source` is the text as written (`12345678901234567.89`)."""

    source: str


class YamlInt(int):
    """An int from YAML; `.source` is the text as written (`010`, `0x1F`, `1:30`, `1_000`)."""

    source: str


class YamlDate(date):
    """A date from YAML; `.source` is the text as written."""

    source: str


class YamlDatetime(datetime):
    """A timestamp from YAML; `.source` is the text as written."""

    source: str


class TimestampText(str):
    """An unquoted YAML timestamp kept as text: `.problem` says why it is no real date or time
    (`day is out of range for month`), or is None when it only has more than microseconds."""

    source: str
    problem: str | None


class FixtureLoader(yaml.SafeLoader):
    """yaml.SafeLoader whose numbers and timestamps keep their source text and never raise."""

    def construct_yaml_float(self, node: yaml.ScalarNode) -> YamlFloat:
        value = YamlFloat(super().construct_yaml_float(node))
        value.source = str(node.value)
        return value

    def construct_yaml_int(self, node: yaml.ScalarNode) -> YamlInt:
        value = YamlInt(super().construct_yaml_int(node))
        value.source = str(node.value)
        return value

    def construct_yaml_timestamp(
        self, node: yaml.ScalarNode
    ) -> YamlDate | YamlDatetime | TimestampText:
        text = str(node.value)
        if not self.timestamp_regexp.match(text):  # only possible with an explicit !!timestamp
            return _timestamp_text(text, "not a YAML date or timestamp")
        fraction = _FRACTION.search(text)
        if fraction and len(fraction.group(1)) > 6:
            # PyYAML would cut nanoseconds to microseconds; values.convert reads the text itself
            return _timestamp_text(text, None)
        try:
            parsed = super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as error:
            return _timestamp_text(text, str(error))
        if isinstance(parsed, datetime):
            value: YamlDate | YamlDatetime = YamlDatetime(
                parsed.year,
                parsed.month,
                parsed.day,
                parsed.hour,
                parsed.minute,
                parsed.second,
                parsed.microsecond,
                parsed.tzinfo,
            )
        else:
            value = YamlDate(parsed.year, parsed.month, parsed.day)
        value.source = text
        return value


def _timestamp_text(text: str, problem: str | None) -> TimestampText:
    value = TimestampText(text)
    value.source = text
    value.problem = problem
    return value


FixtureLoader.add_constructor("tag:yaml.org,2002:float", FixtureLoader.construct_yaml_float)
FixtureLoader.add_constructor("tag:yaml.org,2002:int", FixtureLoader.construct_yaml_int)
FixtureLoader.add_constructor("tag:yaml.org,2002:timestamp", FixtureLoader.construct_yaml_timestamp)


def load(text: str) -> Any:
    """Like yaml.safe_load, with the values described above; raises yaml.YAMLError."""
    return yaml.load(text, Loader=FixtureLoader)  # noqa: S506 - a SafeLoader subclass


def source_of(value: Any) -> str | None:
    """The text a YAML value was written as, if it came from FixtureLoader."""
    source = getattr(value, "source", None)
    return source if isinstance(source, str) else None
