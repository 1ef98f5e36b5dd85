"""Smoke mode (run.mode=smoke): @smoke scenarios against deployed apps, writing nothing.

What the mode changes, each in one place:
- which scenarios run: `@smoke` ones only (select_smoke_scenarios); a scenario named on the
  command line (file:line) without the tag is refused, listed, before anything starts;
- what must be set: every product that runs needs <product>.base_url and <product>.smoke_account,
  and the account's password in <PRODUCT>_SMOKE_PASSWORD (check_smoke_settings);
- who signs in: the settings' account (smoke_account), not a fixture's person;
- Spanner: read only (spanner/service.py's read_only: nothing created, seeded or restored, and
  every database handle refuses writes); no mail sink, no reference app.

In acceptance mode the same @smoke scenarios run on fixtures like every other scenario: their
account is the `smoke:` section of the feature's accounts.yaml.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from behave.tag_expression import make_tag_expression

from harness.accounts import Accounts
from harness.config import Settings
from harness.mail_sink import Mail
from harness.products import Product

SMOKE_TAG = "smoke"
LOCATION_WITH_LINE = re.compile(r":\d+(:\d+)*$")


class SmokeModeError(RuntimeError):
    """Smoke mode cannot start as asked; the message says what to change."""


def select_smoke_scenarios(config, features: Iterable) -> None:
    """Narrow the run to @smoke scenarios (with any --tags given); refuse, listing them, the
    scenarios named by file:line on the command line that lack the tag."""
    features = list(features)
    named_by_line = any(LOCATION_WITH_LINE.search(path) for path in config.paths)
    if named_by_line:
        refused = [
            f"  {scenario.location}  {scenario.name}"
            for feature in features
            for scenario in feature.walk_scenarios()
            if not scenario.should_skip and SMOKE_TAG not in scenario.effective_tags
        ]
        if refused:
            raise SmokeModeError(
                "run.mode=smoke runs only scenarios tagged @smoke (they read and never write); "
                "these were named but are not tagged @smoke:\n" + "\n".join(refused)
            )
    config.tag_expression = BothTagExpressions(
        make_tag_expression(f"@{SMOKE_TAG}"), config.tag_expression
    )


class BothTagExpressions:
    """Tags that must satisfy two tag expressions: @smoke, and what the run asked for."""

    def __init__(self, first, second) -> None:
        self.first, self.second = first, second

    def check(self, tags) -> bool:
        return self.first.check(tags) and self.second.check(tags)

    def to_string(self) -> str:
        return f"{self.first} and ({self.second})"

    __str__ = to_string


def prepare_smoke_run(config, features: Iterable, registry, settings: Settings) -> None:
    """Before anything starts: the @smoke selection, then every setting it needs."""
    features = list(features)
    select_smoke_scenarios(config, features)
    check_smoke_settings(settings, products_that_run(config, features, registry.product_of))


def runs(scenario, config) -> bool:
    """Whether behave will run the scenario: not skipped by line, and matching the tags."""
    return not scenario.should_skip and scenario.should_run_with_tags(config.tag_expression)


def products_that_run(config, features: Iterable, product_of) -> list[Product]:
    """The products whose features hold at least one scenario the run will start."""
    found: dict[str, Product] = {}
    for feature in features:
        if any(runs(scenario, config) for scenario in feature.walk_scenarios()):
            product = product_of(feature.tags, feature.filename)
            found[product.name] = product
    return list(found.values())


def password_variable(product: Product) -> str:
    return secret_variable(product, "password")


def secret_variable(product: Product, secret: str) -> str:
    """<PRODUCT>_SMOKE_<SECRET>: where a smoke account's secret is read from."""
    return f"{product.name.upper()}_SMOKE_{secret.upper()}"


def check_smoke_settings(
    settings: Settings, products: Iterable[Product], environ: Mapping[str, str] | None = None
) -> None:
    """Every setting and secret the products that run need in smoke mode; all missing ones
    are named at once."""
    environ = os.environ if environ is None else environ
    missing = []
    for product in products:
        if not settings.base_url(product.name):
            missing.append(
                f"{product.base_url_setting} (or {product.name.upper()}_BASE_URL): the URL of "
                f"the deployed {product.title}"
            )
        if not settings.smoke_account(product.name):
            missing.append(
                f"{product.name}.smoke_account (or {product.name.upper()}_SMOKE_ACCOUNT): the "
                f"account that signs in to the {product.title}"
            )
        if not environ.get(password_variable(product)):
            missing.append(
                f"environment variable {password_variable(product)}: that account's password "
                "(secrets are read from the environment only, never from -D)"
            )
    if missing:
        raise SmokeModeError(
            "run.mode=smoke needs:\n" + "\n".join(f"  - {line}" for line in missing)
        )


@dataclass(frozen=True)
class SmokeAccount:
    """The person a smoke scenario signs in as, and where their secrets come from."""

    email: str
    source: str  # for messages: the settings, or the fixture file
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    # where a missing secret would be given; {NAME} and {name} stand for the secret's name
    secret_hint: str = "{name}"

    @property
    def password(self) -> str:
        return self.secret("password")

    def secret(self, name: str) -> str:
        if name not in self.secrets:
            raise KeyError(
                f"the smoke account {self.email} has no {name}: set "
                + self.secret_hint.format(NAME=name.upper(), name=name)
            )
        return self.secrets[name]


def smoke_account(
    settings: Settings,
    product: Product,
    accounts: Accounts,
    environ: Mapping[str, str] | None = None,
) -> SmokeAccount:
    """Smoke mode: the settings' account, its secrets from <PRODUCT>_SMOKE_<SECRET>.
    Acceptance mode: the `smoke:` section of the feature's accounts.yaml (account, password,
    and any other secret a product's smoke steps read)."""
    if settings.smoke:
        environ = os.environ if environ is None else environ
        prefix = secret_variable(product, "")
        secrets = {
            key[len(prefix) :].lower(): value
            for key, value in environ.items()
            if key.startswith(prefix) and key != f"{prefix}ACCOUNT"
        }
        email = settings.smoke_account(product.name)
        if not email:
            raise SmokeModeError(f"run.mode=smoke: set {product.name}.smoke_account")
        return SmokeAccount(
            email,
            f"setting {product.name}.smoke_account",
            secrets,
            f"the environment variable {prefix}{{NAME}}",
        )
    section = dict(accounts.sections.get("smoke") or {})
    if "account" not in section:
        raise KeyError(
            f"a @smoke scenario signs in as the `smoke:` section's account, and {accounts.file} "
            "has none: add `smoke: {account: <email>, password: <password>}`"
        )
    email = str(section.pop("account"))
    return SmokeAccount(
        email,
        str(accounts.file),
        {key: str(value) for key, value in section.items()},
        f"`{{name}}:` under `smoke:` in {accounts.file}",
    )


class NoMail:
    """Smoke mode's mailbox: deployed apps send their mail elsewhere, and no smoke step reads
    mail; a step that tries is told so."""

    host: str | None = None
    port: int | None = None
    where = "no mailbox (run.mode=smoke reads no mail)"

    def clear(self) -> None:
        return None

    def received_mail(self) -> list[Mail]:
        raise SmokeModeError("run.mode=smoke reads no mail (asked for every email that arrived)")

    def messages_to(self, address: str) -> list[Mail]:
        raise SmokeModeError(f"run.mode=smoke reads no mail (asked for mail to {address})")

    def wait_for(self, address: str, timeout: float = 10.0) -> Mail:
        raise SmokeModeError(f"run.mode=smoke reads no mail (waited for mail to {address})")

    def stop(self) -> None:
        return None


def refuse_unless_smoke(scenario) -> None:
    """The last guard, in before_scenario: a scenario without @smoke never starts in smoke
    mode, whatever selected it."""
    if SMOKE_TAG not in scenario.effective_tags:
        raise SmokeModeError(
            f"run.mode=smoke refuses to start {scenario.location} {scenario.name!r}: it is not "
            "tagged @smoke, and only @smoke scenarios are known to write nothing"
        )
