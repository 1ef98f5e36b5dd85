"""One typed settings object, read once from behave userdata and the environment.

Userdata comes from `-D key=value` and `[behave.userdata]` in behave.ini; an environment
variable of the listed name overrides it (for CI). An unknown or malformed setting is an
error that names it.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import tracing as trace_modes
from spanner.settings import BACKENDS, SpannerSettings

BROWSERS = ("chromium", "firefox", "webkit")
SCREENSHOT_MODES = ("on", "off", "only-on-failure")
# acceptance: the suite owns its databases and apps; smoke: deployed apps, read only, @smoke only
RUN_MODES = ("acceptance", "smoke")

# userdata keys that belong to formatters, not to us
FOREIGN_PREFIXES = ("AllureFormatter.",)


class SettingsError(ValueError):
    """A setting is unknown or its value is malformed."""


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise ValueError(f"expected one of {', '.join(options)}")
        return value

    return parse


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("expected true or false")


def _non_negative_float(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError("expected a finite number of seconds")
    if value < 0:
        raise ValueError("must not be negative")
    return value


def _positive_float(raw: str) -> float:
    value = _non_negative_float(raw)
    if value == 0:
        raise ValueError("must be more than 0")
    return value


def _port(raw: str) -> int:
    if not raw.strip().isdigit() or not 0 <= int(raw) <= 65535:
        raise ValueError("expected a port number 1-65535, or 0 for a free port")
    return int(raw)


def _optional(raw: str) -> str | None:
    return raw.strip() or None


@dataclass(frozen=True)
class Option:
    key: str
    env: str | None
    default: str
    parse: Callable[[str], Any]
    help: str


OPTIONS: tuple[Option, ...] = (
    Option(
        "run.mode",
        "SUITE_MODE",
        "acceptance",
        _choice(RUN_MODES),
        "acceptance, or smoke: @smoke scenarios only, against deployed apps, writing nothing",
    ),
    Option(
        "spanner.backend",
        "SPANNER_BACKEND",
        "auto",
        _choice(BACKENDS),
        "where Spanner comes from: auto, binary, external, docker, cloud",
    ),
    Option(
        "spanner.emulator_host",
        "SPANNER_EMULATOR_HOST",
        "",
        _optional,
        "host:port of a running emulator (the external backend)",
    ),
    Option(
        "spanner.emulator_binary",
        "SPANNER_EMULATOR_BINARY",
        "",
        _optional,
        "path of emulator_main (the binary backend)",
    ),
    Option("spanner.project", "SPANNER_PROJECT", "test-project", str, "Spanner project id"),
    Option("spanner.instance", "SPANNER_INSTANCE", "test-instance", str, "Spanner instance id"),
    Option(
        "spanner.database_prefix",
        "SPANNER_DATABASE_PREFIX",
        "test-",
        str,
        "database id = prefix + logical name",
    ),
    Option(
        "spanner.allow_destructive",
        "SPANNER_ALLOW_DESTRUCTIVE",
        "false",
        _bool,
        "cloud backend: allow creating, seeding and resetting databases",
    ),
    Option(
        "spanner.fault_injection",
        "SPANNER_FAULT_INJECTION",
        "false",
        _bool,
        "start the run's emulator with --enable_fault_injection: it aborts commits at random",
    ),
    Option(
        "db.poll_timeout",
        "DB_POLL_TIMEOUT",
        "5",
        _non_negative_float,
        "seconds a database check waits for the app to catch up",
    ),
    Option("browser", "BROWSER", "chromium", _choice(BROWSERS), "browser engine"),
    Option(
        "browser.executable",
        "BROWSER_EXECUTABLE",
        "",
        _optional,
        "browser program; default: Playwright's own, else a system Chromium",
    ),
    Option(
        "browser.ws_endpoint",
        "PW_WS_ENDPOINT",
        "",
        _optional,
        "connect to a remote Playwright server instead of launching; several, comma-separated: "
        "a load burst spreads over them",
    ),
    Option("headed", "HEADED", "false", _bool, "show the browser window"),
    Option("slowmo", "SLOWMO", "0", _non_negative_float, "milliseconds between browser actions"),
    Option(
        "tracing",
        "TRACING",
        trace_modes.DEFAULT,
        _choice(trace_modes.MODES),
        "Playwright trace: on, off, retain-on-failure, on-first-retry (harness/tracing.py)",
    ),
    Option(
        "screenshot",
        "SCREENSHOT",
        "only-on-failure",
        _choice(SCREENSHOT_MODES),
        "screenshot at scenario end: on, off, only-on-failure",
    ),
    Option(
        "app.start_timeout",
        "APP_START_TIMEOUT",
        "30",
        _non_negative_float,
        "seconds the reference app may take to answer its health check",
    ),
    Option(
        "browser.action_timeout",
        "BROWSER_ACTION_TIMEOUT",
        "5",
        _positive_float,
        "seconds a click, fill or other browser action may wait for its element",
    ),
    Option(
        "browser.navigation_timeout",
        "BROWSER_NAVIGATION_TIMEOUT",
        "10",
        _positive_float,
        "seconds a page may take to load",
    ),
    Option(
        "browser.expect_timeout",
        "BROWSER_EXPECT_TIMEOUT",
        "5",
        _positive_float,
        "seconds a check of what the page shows waits for it to come true",
    ),
    Option(
        "mail.smtp_port",
        "MAIL_SMTP_PORT",
        "0",
        _port,
        "port of the suite's mail sink; 0: a free port (set it when a deployed app sends mail)",
    ),
    Option(
        "mail.api_url",
        "MAIL_API_URL",
        "",
        _optional,
        "read mail from a Mailpit API (http://host:8025) instead of the suite's own sink",
    ),
    Option(
        "mail.wait_timeout",
        "MAIL_WAIT_TIMEOUT",
        "10",
        _non_negative_float,
        "seconds a mail step waits for an email to arrive",
    ),
    Option(
        "output", "TEST_OUTPUT", "reports/artifacts", str, "folder for traces, screenshots and logs"
    ),
)


def base_url_option(product: str, title: str, declared: str | None = None) -> Option:
    """The setting that points the suite at a deployed copy of a product: <product>.base_url;
    its default is the URL the product's declaration names, if any."""
    return Option(
        f"{product}.base_url",
        f"{product.upper()}_BASE_URL",
        declared or "",
        _optional,
        f"URL of a deployed {title}; unset: start its app",
    )


def smoke_account_option(product: str, title: str) -> Option:
    """Who signs in to a deployed product in smoke mode: <product>.smoke_account. The account's
    secrets come only from the environment (<PRODUCT>_SMOKE_PASSWORD ...), never from -D."""
    return Option(
        f"{product}.smoke_account",
        f"{product.upper()}_SMOKE_ACCOUNT",
        "",
        _optional,
        f"smoke mode: the account that signs in to the deployed {title} "
        f"(its password in {product.upper()}_SMOKE_PASSWORD)",
    )


def product_options(
    product: str, title: str, declared_url: str | None = None
) -> tuple[Option, ...]:
    return base_url_option(product, title, declared_url), smoke_account_option(product, title)


@dataclass(frozen=True)
class Settings:
    run_mode: str
    spanner_backend: str
    spanner_emulator_host: str | None
    spanner_emulator_binary: str | None
    spanner_project: str
    spanner_instance: str
    spanner_database_prefix: str
    spanner_allow_destructive: bool
    spanner_fault_injection: bool
    db_poll_timeout: float
    browser: str
    browser_executable: str | None
    browser_ws_endpoint: str | None
    headed: bool
    slowmo: float
    tracing: str
    screenshot: str
    app_start_timeout: float
    browser_action_timeout: float
    browser_navigation_timeout: float
    browser_expect_timeout: float
    mail_smtp_port: int
    mail_api_url: str | None
    output: Path
    mail_wait_timeout: float = 10.0
    base_urls: Mapping[str, str | None] = field(default_factory=dict)
    smoke_accounts: Mapping[str, str | None] = field(default_factory=dict)
    run_id: str = "run"
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def spanner(self) -> SpannerSettings:
        return SpannerSettings(
            backend=self.spanner_backend,
            emulator_host=self.spanner_emulator_host,
            emulator_binary=self.spanner_emulator_binary,
            project=self.spanner_project,
            instance=self.spanner_instance,
            database_prefix=self.spanner_database_prefix,
            allow_destructive=self.spanner_allow_destructive,
            fault_injection=self.spanner_fault_injection,
            log_dir=self.log_dir,
        )

    @property
    def smoke(self) -> bool:
        """Smoke mode: deployed apps and their databases, read only, @smoke scenarios only."""
        return self.run_mode == "smoke"

    @property
    def log_dir(self) -> Path:
        """This run's own log folder: logs are never appended across runs."""
        return self.output / "logs" / self.run_id

    def base_url(self, product: str) -> str | None:
        return self.base_urls.get(product)

    def smoke_account(self, product: str) -> str | None:
        return self.smoke_accounts.get(product)


def load_settings(
    userdata: Mapping[str, str],
    environ: Mapping[str, str] | None = None,
    products: Iterable[tuple[str, str]] = (),
    declared_urls: Mapping[str, str | None] | None = None,
) -> Settings:
    """Build Settings from userdata and environment; raise SettingsError naming the culprit.

    `products` are (name, title) pairs: each gets its <name>.base_url and <name>.smoke_account
    settings. `declared_urls` maps a product to the deployed copy its declaration names: the
    default of its <name>.base_url.
    """
    environ = os.environ if environ is None else environ
    urls = declared_urls or {}
    per_product = [
        option
        for name, title in products
        for option in product_options(name, title, urls.get(name))
    ]
    by_key = {option.key: option for option in (*OPTIONS, *per_product)}
    unknown = sorted(
        key for key in userdata if key not in by_key and not key.startswith(FOREIGN_PREFIXES)
    )
    if unknown:
        known = ", ".join(by_key)
        raise SettingsError(f"unknown setting {', '.join(unknown)} (known settings: {known})")

    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for option in by_key.values():
        raw, source = option.default, "default"
        if option.key in userdata:
            raw, source = str(userdata[option.key]), f"-D {option.key}"
        if option.env and option.env in environ:
            raw, source = environ[option.env], f"environment variable {option.env}"
        try:
            value = option.parse(raw)
        except ValueError as error:
            raise SettingsError(
                f"setting {option.key} from {source}: {raw!r} is invalid: {error}"
            ) from None
        values[option.key.replace(".", "_")] = value
        sources[option.key] = source
    values["output"] = Path(values["output"])
    by_product: dict[str, dict[str, str | None]] = {"base_url": {}, "smoke_account": {}}
    for option in per_product:
        product, _, name = option.key.partition(".")
        by_product[name][product] = values.pop(option.key.replace(".", "_"))
    run_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    return Settings(
        **values,
        base_urls=by_product["base_url"],
        smoke_accounts=by_product["smoke_account"],
        run_id=run_id,
        sources=sources,
    )


def describe_options(products: Iterable[tuple[str, str]] = ()) -> str:
    """The settings table, for --help style output and the README."""
    lines = [f"{'setting':26} {'environment':26} {'default':20} meaning"]
    per_product = (option for name, title in products for option in product_options(name, title))
    for option in (*OPTIONS, *per_product):
        lines.append(f"{option.key:26} {option.env or '':26} {option.default:20} {option.help}")
    return "\n".join(lines)
