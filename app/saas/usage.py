"""Validation of usage reports posted to the usage API (pure logic, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.saas.dates import la_date_of

METRIC_TYPES = ("api_calls", "storage_gb", "active_users")
MAX_PAST_DAYS = 35
# The most one reading may count: a day's readings then add up far within Spanner's INT64.
MAX_QUANTITY = 1_000_000_000
_FIELDS = {"metric_type", "value", "recorded_at"}


class UsageError(ValueError):
    """The report is invalid; the message names the field."""


@dataclass(frozen=True)
class UsageReport:
    metric_type: str
    value: int
    recorded_at: datetime
    period: date


def parse_usage(payload: object, now: datetime, since: datetime) -> UsageReport:
    """Validate a decoded JSON body; ``now`` is an aware datetime (the default recorded_at),
    ``since`` when the tenant's account was created (no usage happened on a day before it)."""
    if not isinstance(payload, dict):
        raise UsageError("body must be a JSON object")
    unknown = sorted(set(payload) - _FIELDS)
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r}")

    metric_type = payload.get("metric_type")
    if metric_type is None:
        raise UsageError("metric_type is required")
    if metric_type not in METRIC_TYPES:
        raise UsageError(f"metric_type must be one of {', '.join(METRIC_TYPES)}")

    value = payload.get("value")
    if value is None:
        raise UsageError("value is required")
    # bool is a subclass of int in Python, so reject it explicitly.
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError("value must be a non-negative integer")
    if value < 0:
        raise UsageError("value must be a non-negative integer")
    if value > MAX_QUANTITY:
        raise UsageError(f"value is too large: one reading counts at most {MAX_QUANTITY:,}")

    recorded_at = _parse_recorded_at(payload.get("recorded_at"), now)
    period = _la_day(recorded_at, now)
    today = la_date_of(now)
    if period > today:
        raise UsageError("recorded_at falls on a day after today (America/Los_Angeles)")
    if period < today - timedelta(days=MAX_PAST_DAYS):
        raise UsageError(f"recorded_at is more than {MAX_PAST_DAYS} days ago")
    if period < la_date_of(since):
        raise UsageError("recorded_at falls on a day before the tenant's account was created")
    return UsageReport(metric_type, value, recorded_at, period)


def _la_day(moment: datetime, now: datetime) -> date:
    """The Los Angeles day of the moment; a moment such as 0001-01-01T00:00Z or
    9999-12-31T23:59-12:00 has none (it falls outside the calendar): the first or last day."""
    try:
        return la_date_of(moment)
    except OverflowError:
        return date.max if moment > now else date.min


def _parse_recorded_at(raw: object, now: datetime) -> datetime:
    if raw is None:
        return now
    if not isinstance(raw, str):
        raise UsageError("recorded_at must be an ISO-8601 timestamp string")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise UsageError("recorded_at must be an ISO-8601 timestamp") from None
    if moment.tzinfo is None:
        raise UsageError("recorded_at must include a timezone offset (e.g. Z or +00:00)")
    return moment
