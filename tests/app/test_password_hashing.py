"""Password hashing that is fast for real and bounded (app/platform/security.py, issue 16):
OWASP's argon2id parameters, old hashes upgraded at the next successful login (and only then),
one hash per login attempt known email or not, and at most N hashes at once, the rest in line
until a bounded wait ends in a 503 with Retry-After."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type, extract_parameters
from fastapi.testclient import TestClient
from google.cloud import spanner

from app.platform import security
from app.platform.db import Databases, query_one
from app.platform.security import (
    HashingBusy,
    hash_concurrency,
    hash_password,
    hash_wait_seconds,
    limit_hashing,
    verify_password,
)
from app.platform.settings import Settings, SettingsError, load_settings
from app.platform.web import create_app
from app.saas.product import PRODUCT

PASSWORD = "Hashing-Rules-2026!"
WRONG = "Hashing-Rules-2026?"
# the fixtures' cost (fixtures/*/users/UserCredentials.yaml): a hash to be upgraded
OLD_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# OWASP Password Storage Cheat Sheet, argon2id: m=19 MiB (19456 KiB), t=2, p=1
OWASP = {"type": Type.ID, "memory_cost": 19456, "time_cost": 2, "parallelism": 1}
WAIT_SECONDS = 10  # a bound on every wait for another thread here; none is reached when right
REPO_ROOT = Path(__file__).resolve().parents[2]
# Run in a process of its own: THREADS threads, alive together, hash one after the other; it
# prints how many MiB more are resident once all have hashed.
RESIDENT_AFTER_HASHES = """
import threading
from pathlib import Path

from app.platform import security

THREADS = 8


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


one_at_a_time = threading.Lock()
all_hashed = threading.Barrier(THREADS + 1, timeout=60)
finish = threading.Event()


def worker() -> None:
    with one_at_a_time:
        security.hash_password("Rss-Check-2026!")
    all_hashed.wait()
    finish.wait(60)


security.hash_password("warm-up-2026!")
before = rss_kib()
threads = [threading.Thread(target=worker) for _ in range(THREADS)]
for t in threads:
    t.start()
all_hashed.wait()
after = rss_kib()
finish.set()
for t in threads:
    t.join(60)
print((after - before) // 1024)
"""


def _parameters(password_hash: str) -> dict[str, object]:
    p = extract_parameters(password_hash)
    return {"type": p.type, "memory_cost": p.memory_cost, "time_cost": p.time_cost,
            "parallelism": p.parallelism}  # fmt: skip


class CountingHasher:
    """The app's hasher, counting its hashes and verifications and keeping what it verified."""

    def __init__(self, real: PasswordHasher) -> None:
        self.real = real
        self.calls: Counter[str] = Counter()
        self.verified: list[str] = []

    def hash(self, password: str) -> str:
        self.calls["hash"] += 1
        return self.real.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.calls["verify"] += 1
        self.verified.append(password_hash)
        return self.real.verify(password_hash, password)

    def check_needs_rehash(self, password_hash: str) -> bool:
        return self.real.check_needs_rehash(password_hash)


class HeldHasher(CountingHasher):
    """Every verification waits until ``go`` is set; counts how many are inside at once."""

    def __init__(self, real: PasswordHasher) -> None:
        super().__init__(real)
        self.go = threading.Event()
        self.inside = 0
        self.most_inside = 0
        self.changed = threading.Condition()

    def verify(self, password_hash: str, password: str) -> bool:
        with self.changed:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
            self.changed.notify_all()
        try:
            assert self.go.wait(WAIT_SECONDS), "the test never let the held hashes go"
            return super().verify(password_hash, password)
        finally:
            with self.changed:
                self.inside -= 1

    def wait_inside(self, count: int, seconds: float) -> bool:
        """Whether at least ``count`` verifications are inside within ``seconds``."""
        with self.changed:
            return self.changed.wait_for(lambda: self.inside >= count, seconds)


@pytest.fixture(autouse=True)
def restore_limit() -> Iterator[None]:
    """Each test may set its own limit; the next one starts from the app's default again."""
    yield
    limit_hashing(None)


@pytest.fixture()
def counting(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    hasher = CountingHasher(security._hasher)
    monkeypatch.setattr(security, "_hasher", hasher)
    return hasher


@pytest.fixture()
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldHasher]:
    hasher = HeldHasher(security._hasher)
    monkeypatch.setattr(security, "_hasher", hasher)
    yield hasher
    hasher.go.set()  # never leave a thread waiting


def _add_user(databases: Databases, password_hash: str) -> tuple[str, str, str]:
    """An active tenant with one active user whose stored hash is ``password_hash``;
    returns (TenantID, UserID, email)."""
    tenant_id, user_id, run = str(uuid.uuid4()), str(uuid.uuid4()), uuid.uuid4().hex[:10]
    email = f"user@hashing-{run}.example.com"
    ts = spanner.COMMIT_TIMESTAMP
    with databases.users.batch() as batch:
        batch.insert(
            "Tenants",
            columns=("TenantID", "Name", "Domain", "Plan", "Status", "CreatedAt", "UpdatedAt"),
            values=[(tenant_id, "Hashing Co", f"hashing-{run}.example.com", "basic", "active",
                     ts, ts)],
        )  # fmt: skip
        batch.insert(
            "Users",
            columns=("TenantID", "UserID", "Email", "Role", "Status", "CreatedAt"),
            values=[(tenant_id, user_id, email, "member", "active", ts)],
        )
        batch.insert(
            "UserCredentials",
            columns=("TenantID", "UserID", "PasswordHash", "UpdatedAt"),
            values=[(tenant_id, user_id, password_hash, ts)],
        )
    return tenant_id, user_id, email


def _add_operator(databases: Databases, password_hash: str) -> tuple[str, str]:
    """A platform operator whose stored hash is ``password_hash``; returns (AdminID, email)."""
    admin_id = str(uuid.uuid4())
    email = f"ops-{admin_id[:10]}@platform.example.com"
    with databases.users.batch() as batch:
        batch.insert(
            "PlatformAdmins",
            columns=("AdminID", "Email", "PasswordHash", "CreatedAt"),
            values=[(admin_id, email, password_hash, spanner.COMMIT_TIMESTAMP)],
        )
    return admin_id, email


def _user_hash(databases: Databases, tenant_id: str, user_id: str) -> str:
    row = query_one(
        databases.users,
        "SELECT PasswordHash FROM UserCredentials WHERE TenantID = @t AND UserID = @u",
        {"t": tenant_id, "u": user_id},
    )
    assert row, f"no UserCredentials row for {user_id}"
    return row["PasswordHash"]


def _operator_hash(databases: Databases, admin_id: str) -> str:
    row = query_one(
        databases.users,
        "SELECT PasswordHash FROM PlatformAdmins WHERE AdminID = @a",
        {"a": admin_id},
    )
    assert row, f"no PlatformAdmins row {admin_id}"
    return row["PasswordHash"]


def _log_in(client: TestClient, email: str, password: str) -> int:
    client.cookies.clear()
    return client.post("/login", data={"email": email, "password": password}).status_code


# 1. The parameters


def test_a_new_hash_is_argon2id_at_owasps_parameters() -> None:
    password_hash = hash_password(PASSWORD)
    assert _parameters(password_hash) == OWASP, (
        f"a new password hash must use OWASP's argon2id parameters {OWASP}, "
        f"got {_parameters(password_hash)} ({password_hash[:32]}...)"
    )
    assert verify_password(password_hash, PASSWORD) and not verify_password(password_hash, WRONG)


def test_the_dummy_hash_of_an_unknown_email_costs_what_a_real_one_does(
    counting: CountingHasher,
) -> None:
    assert not verify_password(None, PASSWORD)
    assert counting.calls == Counter(verify=1), f"one verification, got {dict(counting.calls)}"
    assert _parameters(counting.verified[0]) == OWASP, (
        "an unknown email must be checked against a hash with the current parameters, or it "
        f"answers faster than a known one: the dummy hash has {_parameters(counting.verified[0])}"
    )


# 2. Upgraded at the next successful login, not at a failed one


def test_a_users_old_hash_is_upgraded_by_a_successful_login_only(
    client: TestClient, databases: Databases
) -> None:
    old_hash = OLD_HASHER.hash(PASSWORD)
    tenant_id, user_id, email = _add_user(databases, old_hash)

    assert _log_in(client, email, WRONG) == 401
    assert _user_hash(databases, tenant_id, user_id) == old_hash, (
        "a failed login must leave the stored hash as it was"
    )
    assert _log_in(client, email, PASSWORD) == 303
    new_hash = _user_hash(databases, tenant_id, user_id)
    assert _parameters(new_hash) == OWASP, (
        "a successful login must store the password's hash with the current parameters "
        f"(was m=1024,t=1,p=1): the stored hash has {_parameters(new_hash)}"
    )
    assert verify_password(new_hash, PASSWORD), "the upgraded hash must be of the same password"
    assert _log_in(client, email, PASSWORD) == 303
    assert _user_hash(databases, tenant_id, user_id) == new_hash, (
        "a hash with the current parameters must not be made again at each login"
    )


def test_an_operators_old_hash_is_upgraded_by_a_successful_login_only(
    client: TestClient, databases: Databases
) -> None:
    old_hash = OLD_HASHER.hash(PASSWORD)
    admin_id, email = _add_operator(databases, old_hash)

    assert _log_in(client, email, WRONG) == 401
    assert _operator_hash(databases, admin_id) == old_hash, (
        "a failed login must leave the operator's hash as it was"
    )
    assert _log_in(client, email, PASSWORD) == 303
    new_hash = _operator_hash(databases, admin_id)
    assert _parameters(new_hash) == OWASP, (
        f"an operator's successful login must upgrade their hash: it has {_parameters(new_hash)}"
    )
    assert verify_password(new_hash, PASSWORD), "the upgraded hash must be of the same password"


def test_a_suspended_tenants_user_is_refused_and_their_hash_left_alone(
    client: TestClient, databases: Databases
) -> None:
    old_hash = OLD_HASHER.hash(PASSWORD)
    tenant_id, user_id, email = _add_user(databases, old_hash)
    with databases.users.batch() as batch:
        batch.update("Tenants", columns=("TenantID", "Status"), values=[(tenant_id, "suspended")])

    assert _log_in(client, email, PASSWORD) == 403
    assert _user_hash(databases, tenant_id, user_id) == old_hash, (
        "a refused login (suspended tenant) is no successful login: the hash stays"
    )


# 3. One hash per login attempt, known email or not


@pytest.mark.parametrize("who", ["tenant user", "operator", "unknown email"])
@pytest.mark.parametrize("password", [PASSWORD, WRONG], ids=["right password", "wrong password"])
def test_a_login_attempt_costs_one_hash(
    client: TestClient, databases: Databases, counting: CountingHasher, who: str, password: str
) -> None:
    current = counting.real.hash(PASSWORD)  # the current parameters: nothing to upgrade
    if who == "tenant user":
        email = _add_user(databases, current)[2]
    elif who == "operator":
        email = _add_operator(databases, current)[1]
    else:
        email = f"nobody-{uuid.uuid4().hex[:10]}@hashing.example.com"
    counting.calls.clear()

    status = _log_in(client, email, password)

    assert status == (303 if password == PASSWORD and who != "unknown email" else 401)
    assert counting.calls == Counter(verify=1), (
        f"a login attempt of a {who} must cost one password hash, whoever it is; it cost "
        f"{dict(counting.calls)}"
    )
    assert _parameters(counting.verified[0]) == OWASP, (
        f"the one hash of a {who}'s login attempt uses the current parameters: "
        f"{_parameters(counting.verified[0])}"
    )


# 4. At most N hashes at once, the rest in line, a bounded wait


def test_no_more_hashes_run_at_once_than_the_limit(held: HeldHasher) -> None:
    limit, callers = 2, 7
    limit_hashing(limit)
    stored = OLD_HASHER.hash(PASSWORD)
    barrier = threading.Barrier(callers, timeout=WAIT_SECONDS)
    results: list[bool | BaseException] = []

    def check() -> None:
        try:
            barrier.wait()
            results.append(verify_password(stored, PASSWORD))
        except BaseException as error:  # noqa: BLE001 - reported below
            results.append(error)

    threads = [threading.Thread(target=check) for _ in range(callers)]
    for thread in threads:
        thread.start()
    assert held.wait_inside(limit, WAIT_SECONDS), f"{limit} hashes never started"
    # Released by one barrier, a caller the limit failed to stop is inside within
    # microseconds; a second is far more than enough to see one.
    assert not held.wait_inside(limit + 1, 1.0), (
        f"at most {limit} hashes may run at once; {held.inside} did"
    )
    held.go.set()
    for thread in threads:
        thread.join(WAIT_SECONDS)
    assert results == [True] * callers, f"every caller in line gets its answer: {results}"
    assert held.most_inside == limit, (
        f"the limit is {limit} at once, both used and never passed; at most {held.most_inside} ran"
    )


def test_a_wait_in_line_longer_than_the_bound_is_refused(held: HeldHasher) -> None:
    limit_hashing(1, wait_seconds=0.2)
    stored = OLD_HASHER.hash(PASSWORD)
    holder = threading.Thread(target=verify_password, args=(stored, PASSWORD))
    holder.start()
    assert held.wait_inside(1, WAIT_SECONDS), "the first hash never started"
    outcome: list[object] = []

    def second() -> None:
        try:
            outcome.append(verify_password(stored, PASSWORD))
        except HashingBusy as busy:
            outcome.append(busy)

    waiter = threading.Thread(target=second)
    waiter.start()
    waiter.join(WAIT_SECONDS)
    held.go.set()
    holder.join(WAIT_SECONDS)
    waiter.join(WAIT_SECONDS)
    assert outcome and isinstance(outcome[0], HashingBusy), (
        "a caller that finds every hashing slot taken for longer than the wait (0.2 s) must "
        f"be refused (HashingBusy); it got: {outcome or 'no answer'}"
    )
    assert outcome[0].retry_after_seconds >= 1
    assert held.calls["verify"] == 1, "the refused caller must not have hashed"


def test_a_login_refused_for_a_full_line_is_a_503_with_retry_after(
    client: TestClient, databases: Databases, held: HeldHasher
) -> None:
    limit_hashing(1, wait_seconds=0.2)
    email = _add_user(databases, OLD_HASHER.hash(PASSWORD))[2]
    holder = threading.Thread(target=verify_password, args=(None, PASSWORD))
    holder.start()
    assert held.wait_inside(1, WAIT_SECONDS), "the first hash never started"

    response = client.post("/login", data={"email": email, "password": PASSWORD})

    held.go.set()
    holder.join(WAIT_SECONDS)
    assert response.status_code == 503, (
        f"a login that found no hashing slot within the wait must be told to come back (503), "
        f"got {response.status_code}"
    )
    assert int(response.headers["Retry-After"]) >= 1
    assert "Too many sign-ins at once" in response.text
    assert "set-cookie" not in response.headers


def test_logins_waiting_in_line_leave_the_threads_to_other_pages(
    client: TestClient, held: HeldHasher
) -> None:
    """A burst of logins larger than the app's thread pool (40) waits for its turn without
    holding a thread: the login page itself is still served while they wait."""
    limit_hashing(1, wait_seconds=3 * WAIT_SECONDS)
    statuses: list[int] = []

    def log_in(index: int) -> None:
        response = client.post(
            "/login", data={"email": f"burst-{index}@nowhere.example", "password": PASSWORD}
        )
        statuses.append(response.status_code)

    burst = [threading.Thread(target=log_in, args=(index,)) for index in range(45)]
    for thread in burst:
        thread.start()
    assert held.wait_inside(1, WAIT_SECONDS), "the first login's hash never started"
    page: list[int] = []
    reader = threading.Thread(target=lambda: page.append(client.get("/login").status_code))
    reader.start()
    reader.join(5)
    served_while_waiting = list(page)
    held.go.set()
    for thread in (reader, *burst):
        thread.join(3 * WAIT_SECONDS)
    assert served_while_waiting == [200], (
        "while 44 logins wait in line behind a hash, the login page must still be served "
        "within 5 s (waiting logins must not hold the threads other pages need); got "
        f"{served_while_waiting or 'no answer'}"
    )
    assert held.most_inside == 1, f"one hash at a time was the limit; {held.most_inside} ran"
    assert statuses.count(401) == 45, f"every login of the burst must be answered: {statuses}"


def test_the_limit_is_one_hash_per_core_unless_set(app_env: dict[str, str]) -> None:
    create_app(PRODUCT, load_settings(PRODUCT, app_env))
    assert hash_concurrency() == (os.cpu_count() or 1)
    assert hash_wait_seconds() == security.DEFAULT_HASH_WAIT_SECONDS
    env = {**app_env, "APP_PASSWORD_HASH_CONCURRENCY": "3", "APP_PASSWORD_HASH_WAIT_SECONDS": "2.5"}
    settings: Settings = load_settings(PRODUCT, env)
    create_app(PRODUCT, settings)
    assert (hash_concurrency(), hash_wait_seconds()) == (3, 2.5)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("APP_PASSWORD_HASH_CONCURRENCY", "0"),
        ("APP_PASSWORD_HASH_CONCURRENCY", "two"),
        ("APP_PASSWORD_HASH_WAIT_SECONDS", "0"),
        ("APP_PASSWORD_HASH_WAIT_SECONDS", "soon"),
    ],
)
def test_a_malformed_hashing_setting_is_named(
    app_env: dict[str, str], variable: str, value: str
) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_settings(PRODUCT, {**app_env, variable: value})


# 5. A hash's memory goes back to the system when it ends


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
def test_the_memory_of_finished_hashes_is_not_kept() -> None:
    done = subprocess.run(
        [sys.executable, "-c", RESIDENT_AFTER_HASHES],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    grown_mib = int(done.stdout.strip())
    assert grown_mib < 2 * 19, (
        "the 19 MiB of a finished hash must go back to the system, not stay with the thread "
        f"that hashed: 8 threads hashing one after the other left {grown_mib} MiB more resident"
    )
