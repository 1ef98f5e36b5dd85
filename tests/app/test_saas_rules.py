"""SaaS rules: plans, usage validation, dates, form validators and the product declaration."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.platform.settings import load_settings
from app.saas.dates import add_months, la_date_of, today_la
from app.saas.plans import Plan, PlanError, check_upgrade, upgrade_options
from app.saas.product import PRODUCT
from app.saas.usage import UsageError, parse_usage
from app.saas.validation import FieldError, company_name, email, hostname

BASIC = Plan("basic", "Basic", Decimal("49.00"), "USD", "monthly", 1)
PRO = Plan("professional", "Professional", Decimal("149.00"), "USD", "monthly", 2)
ENTERPRISE = Plan("enterprise", "Enterprise", Decimal("499.00"), "USD", "monthly", 3)
PLANS = [ENTERPRISE, BASIC, PRO]


# Plans -------------------------------------------------------------------------------------


def test_upgrade_options_are_higher_tiers_only() -> None:
    assert upgrade_options(PLANS, BASIC) == [PRO, ENTERPRISE]
    assert upgrade_options(PLANS, PRO) == [ENTERPRISE]
    assert upgrade_options(PLANS, ENTERPRISE) == []


def test_upgrade_to_higher_tier_is_allowed() -> None:
    check_upgrade(BASIC, ENTERPRISE)


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [(PRO, PRO, "already on"), (PRO, BASIC, "not an upgrade"), (ENTERPRISE, BASIC, "not an")],
)
def test_downgrade_or_same_plan_is_refused(current: Plan, target: Plan, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        check_upgrade(current, target)


def test_upgrade_to_other_currency_is_refused() -> None:
    euro = Plan("pro-eur", "Pro EUR", Decimal("139"), "EUR", "monthly", 2)
    with pytest.raises(PlanError, match="currency"):
        check_upgrade(BASIC, euro)


# Usage validation -------------------------------------------------------------------------

# 2026-06-15 20:00 UTC is 13:00 in Los Angeles (PDT), still June 15 there.
NOW = datetime(2026, 6, 15, 20, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=90)  # when the tenant's account was created


def test_valid_report_defaults_to_now() -> None:
    report = parse_usage({"metric_type": "api_calls", "value": 1000}, NOW, SINCE)
    assert (report.metric_type, report.value, report.recorded_at) == ("api_calls", 1000, NOW)
    assert report.period == date(2026, 6, 15)


def test_period_is_the_los_angeles_day_of_recorded_at() -> None:
    # 03:00 UTC on June 15 is 20:00 on June 14 in Los Angeles.
    report = parse_usage(
        {"metric_type": "storage_gb", "value": 5, "recorded_at": "2026-06-15T03:00:00Z"},
        NOW,
        SINCE,
    )
    assert report.period == date(2026, 6, 14)
    assert report.recorded_at == datetime(2026, 6, 15, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"metric_type": "cpu", "value": 1}, "metric_type must be one of"),
        ({"value": 1}, "metric_type is required"),
        ({"metric_type": "api_calls"}, "value is required"),
        ({"metric_type": "api_calls", "value": -1}, "non-negative integer"),
        ({"metric_type": "api_calls", "value": 1.5}, "non-negative integer"),
        ({"metric_type": "api_calls", "value": 2.0}, "non-negative integer"),
        ({"metric_type": "api_calls", "value": "10"}, "non-negative integer"),
        ({"metric_type": "api_calls", "value": True}, "non-negative integer"),
        ({"metric_type": "api_calls", "value": 1_000_000_001}, "too large"),
        ({"metric_type": "api_calls", "value": 2**63 - 1}, "too large"),
        ({"metric_type": "api_calls", "value": 1, "extra": 1}, "unknown field 'extra'"),
        ({"metric_type": "api_calls", "value": 1, "zeta": 1, "alpha": 1},
         "unknown field 'alpha'$"),  # the first of them in alphabetical order
        ({"metric_type": "api_calls", "value": 1, "recorded_at": "yesterday"}, "ISO-8601"),
        ({"metric_type": "api_calls", "value": 1, "recorded_at": 1718000000}, "ISO-8601"),
        ({"metric_type": "api_calls", "value": 1, "recorded_at": "2026-06-15T10:00:00"},
         "timezone"),
        ([1, 2], "JSON object"),
    ],
)  # fmt: skip
def test_invalid_reports(payload: object, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_usage(payload, NOW, SINCE)


def test_future_period_is_rejected_but_later_today_is_not() -> None:
    later_today = parse_usage(
        {"metric_type": "api_calls", "value": 1, "recorded_at": "2026-06-15T23:00:00-07:00"},
        NOW,
        SINCE,
    )
    assert later_today.period == date(2026, 6, 15)
    with pytest.raises(UsageError, match="after today"):
        parse_usage(
            {"metric_type": "api_calls", "value": 1, "recorded_at": "2026-06-16T00:30:00-07:00"},
            NOW,
            SINCE,
        )


def test_periods_older_than_35_days_are_rejected() -> None:
    oldest = (NOW - timedelta(days=35)).isoformat()
    assert parse_usage({"metric_type": "api_calls", "value": 1, "recorded_at": oldest}, NOW, SINCE)
    too_old = (NOW - timedelta(days=36)).isoformat()
    with pytest.raises(UsageError, match="35 days"):
        parse_usage({"metric_type": "api_calls", "value": 1, "recorded_at": too_old}, NOW, SINCE)


# Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 1, 15, 7, 59, tzinfo=UTC), date(2026, 1, 14)),  # PST, UTC-8
        (datetime(2026, 1, 15, 8, 0, tzinfo=UTC), date(2026, 1, 15)),
        (datetime(2026, 7, 15, 6, 59, tzinfo=UTC), date(2026, 7, 14)),  # PDT, UTC-7
        (datetime(2026, 7, 15, 7, 0, tzinfo=UTC), date(2026, 7, 15)),
    ],
)
def test_today_is_the_los_angeles_date(moment: datetime, expected: date) -> None:
    assert today_la(moment) == expected


def test_la_date_requires_an_aware_datetime() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        la_date_of(datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 31), 12, date(2027, 5, 31)),
    ],
)
def test_add_months_clamps_to_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


# Form validators -------------------------------------------------------------------------


def test_hostname_is_normalised() -> None:
    assert hostname(" Acme-Corp.Example.COM. ") == "acme-corp.example.com"


@pytest.mark.parametrize(
    "value", ["", "localhost", "-acme.com", "acme-.com", "ac me.com", "acme..com", "acme.123",
              "a" * 64 + ".com", "x" * 95 + ".example.com"],
)  # fmt: skip
def test_bad_hostnames(value: str) -> None:
    with pytest.raises(FieldError):
        hostname(value)


def test_email_keeps_local_part_and_lowercases_domain() -> None:
    assert email(" John.Doe+x@Acme.COM ") == "John.Doe+x@acme.com"


@pytest.mark.parametrize("value", ["", "no-at.example.com", "a@b", "a b@c.com", ".a@c.com",
                                   "a..b@c.com", "a@@c.com"])  # fmt: skip
def test_bad_emails(value: str) -> None:
    with pytest.raises(FieldError):
        email(value)


def test_company_name_length() -> None:
    assert company_name("  Acme   Corp ") == "Acme Corp"
    for bad in ("A", "x" * 201, "   "):
        with pytest.raises(FieldError):
            company_name(bad)


# The product declaration ---------------------------------------------------------------------


def test_saas_settings_defaults() -> None:
    settings = load_settings(PRODUCT, {}, host="127.0.0.1", port=8123)
    assert settings.spanner_emulator_host is None
    assert (settings.spanner_project, settings.spanner_instance) == (
        "test-project",
        "test-instance",
    )
    assert settings.databases == {"users": "test-users", "billing": "test-billing"}
    assert (settings.smtp_host, settings.smtp_port) == ("127.0.0.1", 1025)
    assert settings.public_url == "http://127.0.0.1:8123"
    assert settings.mail_from == "no-reply@saas.example.com"
    assert settings.support_email == "support@saas.example.com"


def test_saas_databases_are_named_for_what_they_hold() -> None:
    settings = load_settings(PRODUCT, {"APP_DATABASE_USERS": "u-1", "APP_DATABASE_BILLING": "b-1"})
    assert settings.databases == {"users": "u-1", "billing": "b-1"}
    assert PRODUCT.title == "SaaS Platform"
