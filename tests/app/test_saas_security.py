"""SaaS defences a browser cannot reach: how much of a usage report's body the app reads, the
key checked before the body, JSON nesting and digits bounded, sums beyond INT64, every year
of a reading's date answered, the emailed link's GET changing nothing, who may claim a domain."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from google.cloud import spanner

from app.platform.db import Databases, query_one
from app.platform.security import sha256_hex
from app.platform.settings import Settings, SettingsError
from app.platform.web import create_app
from app.saas.dates import today_la
from app.saas.domain_claims import check_email_at_domain
from app.saas.product import PRODUCT
from app.saas.rules_settings import SignupRules
from app.saas.usage import UsageError, parse_usage
from app.saas.usage_body import MAX_BODY_BYTES, BodyError, decode, json_depth
from app.saas.usage_store import usage_summary
from app.saas.validation import FieldError

INT64_MAX = 2**63 - 1
TWENTY_MB = 20 * 1024 * 1024
CHUNK = 1024


@pytest.fixture()
def metered(databases: Databases) -> Iterator[tuple[str, str]]:
    """An active tenant with a usage API key: (tenant id, key)."""
    tenant_id, key = str(uuid.uuid4()), f"sk_test_{uuid.uuid4().hex}"
    ts = spanner.COMMIT_TIMESTAMP
    with databases.users.batch() as batch:
        batch.insert(
            "Tenants",
            columns=("TenantID", "Name", "Domain", "Plan", "Status", "CreatedAt", "UpdatedAt"),
            values=[(tenant_id, "Metered", f"{tenant_id[:8]}.example.com", "basic", "active",
                     ts, ts)],
        )  # fmt: skip
        batch.insert(
            "ApiKeys",
            columns=("TenantID", "KeyID", "KeyHash", "Label", "CreatedAt"),
            values=[(tenant_id, "key-1", sha256_hex(key), "usage", ts)],
        )
    yield tenant_id, key


@pytest.fixture()
def app(settings: Settings, databases: Databases) -> Iterator[FastAPI]:
    """The app with its lifespan run (state set), to be called as ASGI."""
    application = create_app(PRODUCT, settings, databases)
    with TestClient(application):
        yield application


class CountingBody:
    """An ASGI receive that hands out a body chunk by chunk and counts what was taken."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.taken = 0

    async def __call__(self) -> dict[str, Any]:
        size = min(CHUNK, self.total - self.taken)
        self.taken += size
        return {"type": "http.request", "body": b"x" * size, "more_body": self.taken < self.total}


def _call(app: FastAPI, tenant_id: str, key: str, headers: dict[str, str], body: CountingBody):
    """POST the usage API as ASGI; returns (status, body bytes)."""
    answer: dict[str, Any] = {"body": b""}
    raw_headers = [(b"authorization", f"Bearer {key}".encode()),
                   (b"content-type", b"application/json")]  # fmt: skip
    raw_headers += [(k.encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": f"/api/v1/tenants/{tenant_id}/usage", "raw_path": b"",
        "query_string": b"", "root_path": "", "headers": raw_headers,
        "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }  # fmt: skip

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    async def run() -> None:
        await app(scope, body, send)

    anyio.run(run)
    return answer["status"], answer["body"]


def _readings(databases: Databases, tenant_id: str) -> int:
    row = query_one(
        databases.billing,
        "SELECT COUNT(*) AS N FROM UsageMetrics WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert row is not None
    return row["N"]


# --- the body: its cap before and while it is read


def test_a_report_of_unannounced_length_is_read_no_further_than_its_cap(
    app: FastAPI, databases: Databases, metered: tuple[str, str]
) -> None:
    tenant_id, key = metered
    body = CountingBody(TWENTY_MB)
    status, answer = _call(app, tenant_id, key, {}, body)
    assert status == 413 and b"too large" in answer, (status, answer)
    assert body.taken <= MAX_BODY_BYTES + CHUNK, (
        f"the usage API's body cap: it read {body.taken} bytes of a 20 MB report, at most "
        f"{MAX_BODY_BYTES} and one chunk allowed"
    )
    assert _readings(databases, tenant_id) == 0


def test_a_report_announced_over_the_cap_is_refused_with_nothing_read(
    app: FastAPI, databases: Databases, metered: tuple[str, str]
) -> None:
    tenant_id, key = metered
    body = CountingBody(TWENTY_MB)
    status, _ = _call(app, tenant_id, key, {"content-length": str(TWENTY_MB)}, body)
    assert (status, body.taken) == (413, 0), (
        f"the usage API's declared-length check: answered {status} after reading {body.taken} "
        "bytes of a body announced as 20 MB; expected 413 with nothing read"
    )
    assert _readings(databases, tenant_id) == 0


def test_the_key_is_checked_before_any_of_the_body_is_read(
    app: FastAPI, metered: tuple[str, str]
) -> None:
    tenant_id, _ = metered
    body = CountingBody(TWENTY_MB)
    status, answer = _call(app, tenant_id, "sk_test_made_up", {}, body)
    assert (status, body.taken) == (401, 0), (
        f"the usage API checks the key first: answered {status} after reading {body.taken} "
        f"bytes of a made-up key's report: {answer[:200]!r}"
    )


def test_a_report_within_the_cap_is_taken(
    app: FastAPI, databases: Databases, metered: tuple[str, str]
) -> None:
    tenant_id, key = metered
    client = TestClient(app)
    r = client.post(
        f"/api/v1/tenants/{tenant_id}/usage",
        headers={"Authorization": f"Bearer {key}"},
        json={"metric_type": "api_calls", "value": 1_000_000_000},
    )
    assert r.status_code == 201, r.text
    assert _readings(databases, tenant_id) == 1


@pytest.mark.parametrize("declared", ["-1", "abc", "1e3"])
def test_a_malformed_length_is_refused_with_nothing_read(
    app: FastAPI, metered: tuple[str, str], declared: str
) -> None:
    tenant_id, key = metered
    body = CountingBody(10)
    status, answer = _call(app, tenant_id, key, {"content-length": declared}, body)
    assert (status, body.taken) == (400, 0), (status, body.taken, answer)


# --- decoding: nesting and digits bounded


def test_json_depth_counts_brackets_outside_strings_only() -> None:
    assert json_depth('{"a": "[[[[{{{{", "b": [1, [2]]}') == 3
    assert json_depth('{"a": "\\"[[[["}') == 1
    assert json_depth("1") == 0
    # a closing bracket ends one level: lists side by side are as deep as the deepest of them
    assert json_depth("[[],[[]]]") == 3
    assert json_depth('{"a": [1], "b": [2], "c": [3]}') == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 5000 + "]" * 5000, "deeper than 16 levels"),
        ("[" * 17 + "]" * 17, "deeper than 16 levels"),
        ('{"value": ' + "9" * 5000 + "}", "more than 30 digits"),
        ('{"value": -' + "9" * 31 + "}", "more than 30 digits"),
        ("{", "valid JSON"),
        ("\xff", "valid JSON"),
    ],
)
def test_bodies_that_are_not_decoded(text: str, message: str) -> None:
    with pytest.raises(BodyError, match=message) as refused:
        decode(text.encode("latin-1") if text == "\xff" else text.encode())
    assert refused.value.status == 400


def test_bodies_at_the_bounds_are_decoded() -> None:
    assert decode(("[" * 16 + "]" * 16).encode()) == [[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]
    assert decode(('{"value": ' + "9" * 30 + "}").encode()) == {"value": int("9" * 30)}


# --- quantities and dates


NOW = datetime(2026, 6, 15, 20, 0, tzinfo=UTC)
CREATED = NOW - timedelta(days=2)


def _report(value: object = 1, recorded_at: str | None = None) -> dict[str, object]:
    payload: dict[str, object] = {"metric_type": "api_calls", "value": value}
    if recorded_at is not None:
        payload["recorded_at"] = recorded_at
    return payload


def test_one_reading_counts_at_most_a_billion() -> None:
    assert parse_usage(_report(1_000_000_000), NOW, CREATED).value == 1_000_000_000
    for value in (1_000_000_001, INT64_MAX, INT64_MAX + 1):
        with pytest.raises(UsageError, match="too large"):
            parse_usage(_report(value), NOW, CREATED)


@pytest.mark.parametrize("year", [1, 2, 1000, 1969, 2025, 2027, 3000, 9998, 9999])
@pytest.mark.parametrize("offset", ["-14:00", "Z", "+14:00"])
def test_every_year_of_a_date_gets_an_answer(year: int, offset: str) -> None:
    for moment in (f"{year:04d}-01-01T00:00:00{offset}", f"{year:04d}-12-31T23:59:59{offset}"):
        with pytest.raises(UsageError, match="days ago|after today|before the tenant"):
            parse_usage(_report(recorded_at=moment), NOW, CREATED)


def test_no_reading_from_a_day_before_the_tenant_existed() -> None:
    # CREATED is 13:00 on June 13 in Los Angeles: that whole day is the tenant's
    start_of_day = "2026-06-13T00:00:00-07:00"
    assert parse_usage(_report(recorded_at=start_of_day), NOW, CREATED).recorded_at < CREATED
    day_before = "2026-06-12T23:59:59-07:00"
    with pytest.raises(UsageError, match="a day before the tenant's account was created"):
        parse_usage(_report(recorded_at=day_before), NOW, CREATED)


def test_the_usage_page_adds_up_readings_beyond_int64(
    client: TestClient, databases: Databases, metered: tuple[str, str]
) -> None:
    tenant_id, _ = metered
    with databases.billing.batch() as batch:
        batch.insert(
            "UsageMetrics",
            columns=("TenantID", "Period", "MetricType", "MetricID", "Value", "CreatedAt"),
            values=[(tenant_id, today_la(), "api_calls", f"m-{n}", INT64_MAX,
                     spanner.COMMIT_TIMESTAMP) for n in range(3)],
        )  # fmt: skip
    summary = usage_summary(databases.billing, tenant_id, today_la())
    assert summary.api_calls == 3 * INT64_MAX


# --- the emailed link, and who may claim a domain


def test_the_links_get_changes_nothing_and_its_button_confirms(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = f"admin@{unique}.example.com"
    r = client.post(
        "/signup",
        data={"company_name": f"Scan {unique}", "domain": f"{unique}.example.com",
              "admin_email": email, "plan": "basic"},
    )  # fmt: skip
    assert r.status_code == 303, r.text
    token = re.search(r"/verify\?token=(\S+)", mail_sink.last_to(email).get_payload())
    assert token
    for _ in range(3):  # a scanner, a preview, the person's own first look
        scanned = TestClient(client.app).get(f"/verify?token={token.group(1)}")
        assert scanned.status_code == 200 and 'data-testid="confirm-email"' in scanned.text
        assert "session" not in scanned.headers.get("set-cookie", "")
    state = query_one(
        databases.users,
        """
        SELECT u.Status, (SELECT COUNT(*) FROM EmailVerifications v WHERE v.UserID = u.UserID
                          AND v.UsedAt IS NOT NULL) AS Used,
               (SELECT COUNT(*) FROM UserSessions s WHERE s.UserID = u.UserID) AS Sessions
        FROM Users u WHERE u.Email = @e
        """,
        {"e": email},
    )
    assert state == {"Status": "pending_verification", "Used": 0, "Sessions": 0}
    confirmed = client.post("/verify", data={"token": token.group(1)})
    assert confirmed.status_code == 200 and "verification-success" in confirmed.text


@pytest.mark.parametrize(
    ("email", "domain", "taken"),
    [
        ("a@acme.example.com", "acme.example.com", True),
        ("a@eu.acme.example.com", "acme.example.com", True),
        ("a@notacme.example.com", "acme.example.com", False),
        ("a@acme.example.com.evil.test", "acme.example.com", False),
        ("a@example.com", "acme.example.com", False),
        ("a@gmail.com", "acme.example.com", False),
    ],
)
def test_only_an_address_at_the_domain_claims_it(email: str, domain: str, taken: bool) -> None:
    if taken:
        check_email_at_domain(email, domain)
    else:
        with pytest.raises(FieldError, match=f"Use an email address at {domain}"):
            check_email_at_domain(email, domain)


def test_the_pending_sign_up_lifetime_is_a_setting() -> None:
    assert SignupRules.from_env({}).pending_lifetime == timedelta(hours=24)
    assert SignupRules.from_env({"APP_PENDING_SIGNUP_HOURS": "48"}).pending_hours == 48
    for bound in ("1", "720"):  # an hour, and thirty days: the least and the most
        assert SignupRules.from_env({"APP_PENDING_SIGNUP_HOURS": bound}).pending_hours == int(bound)
    for bad in ("0", "-1", "1.5", "abc", "721"):
        with pytest.raises(SettingsError, match="APP_PENDING_SIGNUP_HOURS"):
            SignupRules.from_env({"APP_PENDING_SIGNUP_HOURS": bad})


def test_only_the_pages_own_scripts_are_served_from_their_folder(client: TestClient) -> None:
    answer = client.get("/static/saas/dashboard.js")
    assert answer.status_code == 200 and "javascript" in answer.headers["content-type"]
    for name in ("nothing.js", "__init__.py", "..%2Fproduct.py"):
        assert client.get(f"/static/saas/{name}").status_code == 404, name
