"""Settings read once from environment variables into a frozen dataclass.

The contract is the same for every product: SPANNER_EMULATOR_HOST, SPANNER_PROJECT,
SPANNER_INSTANCE, one APP_DATABASE_<NAME> per database the product declares (default
``test-<name>``), APP_SMTP_HOST, APP_SMTP_PORT, APP_PUBLIC_URL, APP_MAIL_FROM and
APP_SUPPORT_EMAIL; optionally APP_PASSWORD_HASH_CONCURRENCY (how many password hashes may run
at once; default one per core) and APP_PASSWORD_HASH_WAIT_SECONDS (how long a login waits in
line for one before a 503; default 10).

Sign-in protection and sessions (app/platform/lockout.py, throttle.py, sessions.py):
APP_LOGIN_FAILURES_BEFORE_LOCK (wrong passwords in a row that lock an account; default 5),
APP_LOGIN_LOCK_MINUTES (how long the lock lasts; default 15), APP_LOGIN_FAILURES_PER_ADDRESS
(failed sign-ins one client address may make, in the `limits` notation; default 100/10 minutes),
APP_SESSION_IDLE_MINUTES (a session unused this long ends; default the product's),
APP_TRUSTED_PROXIES (comma-separated addresses or networks whose X-Forwarded-For is believed;
default none).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from limits import parse as parse_limit

from app.platform.security import DEFAULT_HASH_WAIT_SECONDS

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_HOST_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SettingsError(ValueError):
    """An environment variable is malformed; the message names it."""


class ProductDefaults(Protocol):
    """What the settings take from a product's declaration (AppProduct, app/platform/product.py,
    has these): its database names and the defaults its environment may override. A protocol,
    so the settings sit below the product, whose databases and sessions need them."""

    @property
    def databases(self) -> tuple[str, ...]: ...

    @property
    def mail_from(self) -> str: ...

    @property
    def support_email(self) -> str: ...

    @property
    def session_idle_minutes(self) -> int: ...


@dataclass(frozen=True)
class Settings:
    spanner_emulator_host: str | None
    spanner_project: str
    spanner_instance: str
    databases: Mapping[str, str]  # the product's database name -> Spanner database id
    smtp_host: str
    smtp_port: int
    mail_from: str
    public_url: str
    support_email: str
    password_hash_concurrency: int | None = None  # None: one per core (os.cpu_count())
    password_hash_wait_seconds: float = DEFAULT_HASH_WAIT_SECONDS
    login_failures_before_lock: int = 5
    login_lock_minutes: int = 15
    login_failures_per_address: str = "100/10 minutes"
    session_idle_minutes: int = 60
    trusted_proxies: tuple[str, ...] = ()

    @property
    def https(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def origin(self) -> str:
        """The scheme, host and port browsers send as Origin for this app's own pages."""
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}".lower()


def database_variable(name: str) -> str:
    """The environment variable that gives the id of the database ``name``."""
    return f"APP_DATABASE_{name.upper()}"


def _host(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
        return True
    except ValueError:
        return bool(_HOST_RE.match(value))


def _port(name: str, value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise SettingsError(f"{name} must be a port number 1-65535, got {value!r}")
    return int(value)


def _identifier(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, default)
    if not _NAME_RE.match(value):
        raise SettingsError(f"{name} must be a Spanner identifier, got {value!r}")
    return value


def _emulator_host(env: Mapping[str, str]) -> str | None:
    value = env.get("SPANNER_EMULATOR_HOST")
    if value is None or value == "":
        return None
    host, sep, port = value.rpartition(":")
    if not sep or not host or not _host(host):
        raise SettingsError(f"SPANNER_EMULATOR_HOST must be host:port, got {value!r}")
    _port("SPANNER_EMULATOR_HOST", port)
    return value


def _email(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, default)
    if not _EMAIL_RE.match(value):
        raise SettingsError(f"{name} must be an email address, got {value!r}")
    return value


def _hash_concurrency(env: Mapping[str, str]) -> int | None:
    name = "APP_PASSWORD_HASH_CONCURRENCY"
    value = env.get(name, "")
    if value == "":
        return None
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(f"{name} must be a whole number of hashes, 1 or more, got {value!r}")
    return int(value)


def _hash_wait(env: Mapping[str, str]) -> float:
    name = "APP_PASSWORD_HASH_WAIT_SECONDS"
    value = env.get(name, str(DEFAULT_HASH_WAIT_SECONDS))
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds <= 600:
        raise SettingsError(
            f"{name} must be a number of seconds, above 0 and at most 600, got {value!r}"
        )
    return seconds


def _whole_number(env: Mapping[str, str], name: str, default: int, top: int) -> int:
    value = env.get(name, "") or str(default)
    if not value.isdigit() or not 1 <= int(value) <= top:
        raise SettingsError(f"{name} must be a whole number from 1 to {top}, got {value!r}")
    return int(value)


def _rate(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, "") or default
    try:
        parse_limit(value)
    except ValueError:
        raise SettingsError(
            f"{name} must be a rate such as 100/10 minutes or 30/minute, got {value!r}"
        ) from None
    return value


def _proxies(env: Mapping[str, str]) -> tuple[str, ...]:
    name = "APP_TRUSTED_PROXIES"
    entries = tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise SettingsError(
                f"{name} must list IP addresses or networks separated by commas, "
                f"got {entry!r} in {env[name]!r}"
            ) from None
    return entries


def load_settings(
    product: ProductDefaults,
    env: Mapping[str, str] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8123,
) -> Settings:
    """Read the product's settings; host/port are where the app listens (default for
    APP_PUBLIC_URL). The product gives its database names and its mail defaults."""
    env = os.environ if env is None else env
    smtp_host = env.get("APP_SMTP_HOST", "127.0.0.1")
    if not _host(smtp_host):
        raise SettingsError(f"APP_SMTP_HOST must be a host name or IP, got {smtp_host!r}")
    public_url = env.get("APP_PUBLIC_URL", f"http://{host}:{port}").rstrip("/")
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"APP_PUBLIC_URL must be an http(s) URL, got {public_url!r}")
    return Settings(
        spanner_emulator_host=_emulator_host(env),
        spanner_project=_identifier(env, "SPANNER_PROJECT", "test-project"),
        spanner_instance=_identifier(env, "SPANNER_INSTANCE", "test-instance"),
        databases={
            name: _identifier(env, database_variable(name), f"test-{name}")
            for name in product.databases
        },
        smtp_host=smtp_host,
        smtp_port=_port("APP_SMTP_PORT", env.get("APP_SMTP_PORT", "1025")),
        mail_from=_email(env, "APP_MAIL_FROM", product.mail_from),
        public_url=public_url,
        support_email=_email(env, "APP_SUPPORT_EMAIL", product.support_email),
        password_hash_concurrency=_hash_concurrency(env),
        password_hash_wait_seconds=_hash_wait(env),
        login_failures_before_lock=_whole_number(env, "APP_LOGIN_FAILURES_BEFORE_LOCK", 5, 100),
        login_lock_minutes=_whole_number(env, "APP_LOGIN_LOCK_MINUTES", 15, 24 * 60),
        login_failures_per_address=_rate(env, "APP_LOGIN_FAILURES_PER_ADDRESS", "100/10 minutes"),
        session_idle_minutes=_whole_number(
            env, "APP_SESSION_IDLE_MINUTES", product.session_idle_minutes, 24 * 60
        ),
        trusted_proxies=_proxies(env),
    )
