"""Simultaneous sign-ups against a real app process: never a 500, one tenant per domain.

The emulator runs one read-write transaction per database at a time and aborts the others;
the app must retry every kind of abort (app/platform/db.py's run_write). Here the app runs as
``python -m app.saas`` on its own project and instance of the shared emulator, with its own
SMTP sink, and many sign-ups are released at once from threads. Each test prints what the
app's log says it retried (run with -s to see it).
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from csrf_client import add_csrf_token
from google.cloud.spanner_v1 import param_types
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from base.logs import tail
from base.ports import free_port
from harness.app_server import AppLaunch, start_reference_app
from spanner.databases import connect as connect_admin
from spanner.databases import create_database, ensure_instance
from spanner.emulator import Backend
from spanner.schema import schema_statements
from spanner.transactions import run_in_transaction

PROJECT, INSTANCE = "load-tests", "load-instance"
DATABASE_IDS = {"users": "load-users", "billing": "load-billing"}
PLAN_COLUMNS = ("PlanID", "DisplayName", "Amount", "Currency", "BillingCycle", "Tier")
PLANS = [
    ("basic", "Basic", Decimal("49.00"), "USD", "monthly", 1),
    ("professional", "Professional", Decimal("149.00"), "USD", "monthly", 2),
    ("enterprise", "Enterprise", Decimal("499.00"), "USD", "monthly", 3),
]
REPO_ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 30  # the app process until /healthz answers 200
REQUEST_SECONDS = 60  # one sign-up, retries included
SIGNUPS = 50
SAME_DOMAIN_SIGNUPS = 10
LOGINS = 3  # each also verifies a password (argon2, ~0.3 s of CPU here)
# run_write's line in the app's log, one per retried abort: the error's class, the attempt that
# failed, the start of its message
RETRY_LINE = re.compile(
    r"spanner write \S+ aborted \((\w+), attempt (\d+) of \d+\); retrying in \S+: "
    r"(?:\d+ )?(\D{1,40})"
)


@dataclass
class MailCounter:
    recipients: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.recipients.extend(envelope.rcpt_tos)  # type: ignore[attr-defined]
        return "250 OK"


@dataclass
class RunningApp:
    url: str
    log_path: Path
    users: Database
    mail: MailCounter


def _seed_plans(txn: Transaction) -> None:
    txn.insert("Plans", columns=PLAN_COLUMNS, values=PLANS)


@pytest.fixture(scope="module")
def load_databases(emulator: Backend) -> Iterator[dict[str, Database]]:
    client = connect_admin(PROJECT, emulator.emulator_host)
    instance = ensure_instance(client, INSTANCE, emulator=True)
    suffix = uuid.uuid4().hex[:6]  # fresh databases even if the module runs twice
    handles = {
        name: create_database(instance, f"{database_id}-{suffix}", schema_statements(name))
        for name, database_id in DATABASE_IDS.items()
    }
    run_in_transaction(handles["billing"], _seed_plans)
    try:
        yield handles
    finally:
        for database in handles.values():
            database.drop()
        client.close()


@pytest.fixture(scope="module")
def mail() -> Iterator[tuple[MailCounter, int]]:
    counter, port = MailCounter(), free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield counter, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def app(
    emulator: Backend,
    load_databases: dict[str, Database],
    mail: tuple[MailCounter, int],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningApp]:
    """The SaaS app as the suite starts it (harness/app_server.py), on the load databases."""
    counter, smtp_port = mail
    launch = AppLaunch(
        name="load",
        module="app.saas",
        cwd=REPO_ROOT,
        database_ids={name: db.database_id for name, db in load_databases.items()},
        spanner_project=PROJECT,
        spanner_instance=INSTANCE,
        emulator_host=emulator.emulator_host,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        log_dir=tmp_path_factory.mktemp("load-app"),
        timeout=START_SECONDS,
    )
    started = start_reference_app(launch)
    try:
        yield RunningApp(started.base_url, started.log_path, load_databases["users"], counter)
    finally:
        started.stop()


def _post_at_once(url: str, posts: list[tuple[str, dict[str, str]]]) -> list[httpx.Response]:
    """Every (path, form) POSTed from its own thread, all released together."""
    barrier = threading.Barrier(len(posts), timeout=REQUEST_SECONDS)
    responses: list[httpx.Response | BaseException | None] = [None] * len(posts)
    limits = httpx.Limits(max_connections=len(posts), max_keepalive_connections=len(posts))
    with httpx.Client(
        base_url=url,
        timeout=REQUEST_SECONDS,
        limits=limits,
        trust_env=False,
        event_hooks={"request": [add_csrf_token]},
    ) as client:

        def post(index: int) -> None:
            try:
                barrier.wait()
                path, form = posts[index]
                responses[index] = client.post(path, data=form)
            except BaseException as exc:  # noqa: BLE001 - reported by the test below
                responses[index] = exc

        threads = [threading.Thread(target=post, args=(i,)) for i in range(len(posts))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(REQUEST_SECONDS + 10)
    failed = [r for r in responses if not isinstance(r, httpx.Response)]
    assert not failed, f"requests without an answer: {failed[:3]}"
    return responses  # type: ignore[return-value]


def _sign_up(domain: str, email: str) -> tuple[str, dict[str, str]]:
    return "/signup", {"company_name": "Load Co", "domain": domain, "admin_email": email,
                       "plan": "basic"}  # fmt: skip


def _log_in(email: str) -> tuple[str, dict[str, str]]:
    return "/login", {"email": email, "password": "Not-the-password-1"}


def _tenants_per_domain(users: Database, domains: list[str]) -> Counter[str]:
    with users.snapshot() as snapshot:
        rows = snapshot.execute_sql(
            "SELECT Domain, COUNT(*) FROM Tenants WHERE Domain IN UNNEST(@domains) GROUP BY Domain",
            params={"domains": domains},
            param_types={"domains": param_types.Array(param_types.STRING)},
        )
        return Counter({domain: count for domain, count in rows})


def _users_with(users: Database, emails: list[str]) -> set[str]:
    with users.snapshot() as snapshot:
        rows = snapshot.execute_sql(
            "SELECT Email FROM Users WHERE Email IN UNNEST(@emails)",
            params={"emails": emails},
            param_types={"emails": param_types.Array(param_types.STRING)},
        )
        return {email for (email,) in rows}


@dataclass
class Retries:
    """What the app's log says it retried: how often, of which kind, the most attempts."""

    kinds: Counter[str]
    most_attempts: int

    def __str__(self) -> str:
        total = sum(self.kinds.values())
        return f"{total} retried aborts {dict(self.kinds)}, at most {self.most_attempts} attempts"


def _retries(log_path: Path, since: int) -> Retries:
    """The retries logged after the first ``since`` bytes of the app's log."""
    with open(log_path, "rb") as log:
        log.seek(since)
        found = RETRY_LINE.findall(log.read().decode(errors="replace"))
    kinds = Counter(f"{kind} {message.strip(' .,:')}" for kind, _, message in found)
    return Retries(kinds, max((int(attempt) + 1 for _, attempt, _ in found), default=1))


def _is_check_email(response: httpx.Response) -> bool:
    return response.status_code == 303 and response.headers["location"] == "/signup/check-email"


def test_simultaneous_sign_ups_all_get_an_answer_and_none_a_500(app: RunningApp) -> None:
    run = uuid.uuid4().hex[:8]
    domains = [f"load{i}-{run}.example.com" for i in range(SIGNUPS)]
    # only an address at a domain signs it up
    emails = [f"admin@{domain}" for domain in domains]
    sign_ups = [_sign_up(d, e) for d, e in zip(domains, emails, strict=True)]
    # reads of the users database (single-use snapshots) in the middle of the writes
    log_ins = [_log_in(e) for e in emails[:LOGINS]]
    log_start = app.log_path.stat().st_size
    started = time.monotonic()
    responses = _post_at_once(app.url, sign_ups + log_ins)
    elapsed = time.monotonic() - started
    signed_up, logged_in = responses[:SIGNUPS], responses[SIGNUPS:]

    statuses = Counter(r.status_code for r in signed_up)
    print(f"\n{SIGNUPS} sign-ups: statuses {dict(statuses)} in {elapsed:.1f}s; "
          f"{_retries(app.log_path, log_start)}; log-ins meanwhile "
          f"{dict(Counter(r.status_code for r in logged_in))}")  # fmt: skip
    assert all(r.status_code < 500 for r in responses), tail(app.log_path)
    # distinct domains and emails: every one of them is a success
    assert all(_is_check_email(r) for r in signed_up), dict(statuses)
    # the users are still unverified (or not there yet): no one logs in
    assert all(r.status_code == 401 for r in logged_in)
    assert _tenants_per_domain(app.users, domains) == Counter(dict.fromkeys(domains, 1))
    assert set(emails) <= set(app.mail.recipients)


def test_simultaneous_sign_ups_of_one_domain_make_one_tenant(app: RunningApp) -> None:
    run = uuid.uuid4().hex[:8]
    domain = f"contested-{run}.example.com"
    emails = [f"admin{i}-{run}@{domain}" for i in range(SAME_DOMAIN_SIGNUPS)]
    log_start = app.log_path.stat().st_size
    started = time.monotonic()
    responses = _post_at_once(app.url, [_sign_up(domain, e) for e in emails])
    elapsed = time.monotonic() - started

    statuses = Counter(r.status_code for r in responses)
    print(f"\n{SAME_DOMAIN_SIGNUPS} sign-ups of one domain: statuses {dict(statuses)} in "
          f"{elapsed:.1f}s; {_retries(app.log_path, log_start)}")  # fmt: skip
    assert all(r.status_code < 500 for r in responses), tail(app.log_path)
    winners = [e for e, r in zip(emails, responses, strict=True) if _is_check_email(r)]
    losers = [r for r in responses if not _is_check_email(r)]
    assert len(winners) == 1, dict(statuses)
    # a clear answer: the form again, saying why
    assert all(r.status_code == 400 and "already registered" in r.text for r in losers)
    assert _tenants_per_domain(app.users, [domain]) == Counter({domain: 1})
    assert _users_with(app.users, emails) == set(winners)
