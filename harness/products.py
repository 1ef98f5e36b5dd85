"""Products: the one declaration that ties a system under test to its parts in every layer.

A product is declared once (see products/ at the top of the repository) and the machinery
below only reads declarations, the way Django reads INSTALLED_APPS. A feature names the
product it tests with a tag on its Feature line: `@product.<name>`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spanner.schema import SCHEMA_ROOT

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES_ROOT = REPO_ROOT / "fixtures"
PRODUCT_TAG = "product."


class ProductError(ValueError):
    """A product declaration is wrong, or a feature names no product or an unknown one."""


@dataclass(frozen=True)
class Product:
    """Everything the suite needs to know to test one system.

    name          the tag `@product.<name>`, the setting `<name>.base_url`, the module names
                  steps/<name>/, pages/<name>/, queries/<name>/, fixtures/common/<name>/
    title         how people call it, for messages and reports
    databases     its Spanner databases; the schema of each is schema_root/<database>/*.sql
    app_module    the reference app, started as `python -m <app_module>` (None: deployed only)
    aliases       other names of its databases that features and fixtures may use
    steps, pages, queries
                  where its step files, page objects and SQL live (checked by the tests)
    page_paths    the names people give its pages -> their paths, for the generic browser
                  steps ("When I open the sign-up page" opens /signup)
    schema_root, fixtures_root
                  the folders of its DDL (<database>/*.sql) and of its fixtures
    app_command   an app in any language, started as this command in app_cwd on a port the
                  suite chooses (docs/app-contract.md); instead of app_module
    health_path   the path that answers 200 once the app is ready
    app_port      a fixed port for app_command (None: a free one)
    base_url      the URL of a deployed copy, when the declaration names one (the setting
                  <name>.base_url still wins)
    declared_in   the YAML file it was read from, for messages (None: a Python module)
    """

    name: str
    title: str
    databases: tuple[str, ...]
    app_module: str | None
    aliases: Mapping[str, str] = field(default_factory=dict)
    steps: tuple[str, ...] = ()
    pages: str | None = None
    queries: str | None = None
    page_paths: Mapping[str, str] = field(default_factory=dict)
    schema_root: Path = SCHEMA_ROOT
    fixtures_root: Path = FIXTURES_ROOT
    app_cwd: Path = REPO_ROOT
    app_command: tuple[str, ...] = ()
    health_path: str = "/healthz"
    app_port: int | None = None
    base_url: str | None = None
    declared_in: Path | None = None

    @property
    def tag(self) -> str:
        return f"{PRODUCT_TAG}{self.name}"

    @property
    def base_url_setting(self) -> str:
        return f"{self.name}.base_url"

    @property
    def app_description(self) -> str:
        """How its app is started, for messages: `python -m app.saas`, or its command."""
        if self.app_module:
            return f"python -m {self.app_module}"
        if self.app_command:
            return " ".join(self.app_command)
        return f"the deployed copy at {self.base_url}" if self.base_url else "(no app)"

    @property
    def starts_an_app(self) -> bool:
        """Whether the suite can start its app (a reference app or a command)."""
        return bool(self.app_module or self.app_command)

    def __post_init__(self) -> None:
        if self.app_module and self.app_command:
            raise ProductError(
                f"product {self.name!r} declares both a reference app ({self.app_module}) "
                "and an app command; one only"
            )
        if not self.databases:
            raise ProductError(f"product {self.name!r} declares no database")
        for alias, target in self.aliases.items():
            if target not in self.databases:
                raise ProductError(
                    f"product {self.name!r}: alias {alias!r} names {target!r}, "
                    f"which is not one of its databases ({', '.join(self.databases)})"
                )


@dataclass(frozen=True)
class Registry:
    products: Mapping[str, Product]

    @classmethod
    def of(cls, products: Iterable[Product]) -> Registry:
        by_name: dict[str, Product] = {}
        owner: dict[str, str] = {}
        for product in products:
            where = f" (in {product.declared_in})" if product.declared_in else ""
            if product.name in by_name:
                raise ProductError(f"product {product.name!r} is declared twice{where}")
            for database in product.databases:
                if database in owner:
                    raise ProductError(
                        f"database {database!r} is declared by both {owner[database]!r} "
                        f"and {product.name!r}{where}; every database belongs to one product"
                    )
                owner[database] = product.name
            by_name[product.name] = product
        return cls(by_name)

    def __iter__(self):
        return iter(self.products.values())

    def titles(self) -> list[tuple[str, str]]:
        """(name, title) of each product: what its settings are named after."""
        return [(p.name, p.title) for p in self]

    def declared_urls(self) -> dict[str, str]:
        """The deployed copies the declarations name: the defaults of <name>.base_url."""
        return {p.name: p.base_url for p in self if p.base_url}

    def listing(self) -> str:
        return ", ".join(f"@{p.tag} ({p.title})" for p in self) or "(none declared)"

    def product_of(self, tags: Sequence[str], where: str) -> Product:
        """The product a feature's tags name; a clear error when none, several or unknown."""
        named = [tag[len(PRODUCT_TAG) :] for tag in tags if tag.startswith(PRODUCT_TAG)]
        if not named:
            raise ProductError(
                f"{where} names no product: tag its Feature line with one of {self.listing()}"
            )
        if len(named) > 1:
            raise ProductError(f"{where} names several products ({', '.join(named)}); one only")
        if named[0] not in self.products:
            raise ProductError(
                f"{where} names the unknown product {named[0]!r}; known products: {self.listing()}"
            )
        return self.products[named[0]]
