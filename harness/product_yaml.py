"""A product declared in a small YAML file instead of Python (docs/adding-a-product.md).

    name: library                 # @product.library, the setting library.base_url
    title: Library catalogue
    databases: [books, loans]     # their schemas: <schema>/<database>/*.sql
    aliases: {primary: books}     # other names features and fixtures may use
    schema: ../db/schema          # default: schema/ beside this file
    fixtures: ../tests/fixtures   # common/<name>/, <feature>/ ...; default: fixtures/ beside it
    pages: {home: /, sign-in: /login}
    app:                          # one of command or base_url
      command: python app.py      # a string or a list; {port} and {host} are filled in
      cwd: ../app                 # where it runs; default: this file's folder
      health: /healthz            # ready when GET answers 200; default /healthz
      port: 8080                  # a fixed port; default: a free one
    #  base_url: https://library.staging.example.com

Paths are relative to the YAML file and may lie outside the suite's tree. Every mistake is a
ProductFileError naming the file and the key.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from harness.products import Product, ProductError

# a name becomes a tag, an environment variable (<NAME>_BASE_URL, APP_DATABASE_<NAME>) and a
# Spanner database id: lower-case letters, digits and underscores, starting with a letter
NAME = re.compile(r"^[a-z][a-z0-9_]{0,28}$")
TOP_KEYS = ("name", "title", "databases", "aliases", "schema", "fixtures", "pages", "app")
APP_KEYS = ("command", "cwd", "health", "port", "base_url")
# SUITE_PRODUCTS=path/a.yaml:path/b.yaml adds YAML products living anywhere
PRODUCT_FILES_VARIABLE = "SUITE_PRODUCTS"


class ProductFileError(ProductError):
    """A YAML product declaration is wrong; the message names its file and key."""


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.parent

    def fail(self, key: str, problem: str) -> ProductFileError:
        return ProductFileError(f"{self.path}: {key}: {problem}")

    def text(self, data: Mapping[str, Any], key: str, where: str = "") -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}{key}", f"expected a non-empty text, got {value!r}")
        return value.strip()

    def name(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not NAME.match(value):
            raise self.fail(
                key,
                f"{value!r} is not a name: lower-case letters, digits and _, "
                "starting with a letter, at most 29 characters",
            )
        return value

    def folder_of(self, data: Mapping[str, Any], key: str, default: str) -> Path:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a folder path, got {value!r}")
        return (self.folder / os.path.expanduser(value)).resolve()

    def mapping(self, data: Mapping[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping (name: value lines), got {value!r}")
        return value

    def unknown(self, data: Mapping[str, Any], known: tuple[str, ...], where: str = "") -> None:
        extra = [str(key) for key in data if key not in known]
        if extra:
            raise self.fail(
                f"{where}{extra[0]}", f"unknown key; the known keys are {', '.join(known)}"
            )


def load_product_file(path: Path) -> Product:
    """The product declared in one YAML file; ProductFileError naming the file and key."""
    path = Path(path).resolve()
    read = _Reader(path)
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as error:
        raise ProductFileError(f"{path}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ProductFileError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ProductFileError(f"{path}: expected a mapping of name, title, databases ...")
    read.unknown(data, TOP_KEYS)
    name = read.name(data.get("name"), "name")
    title = read.text(data, "title")

    raw_databases = data.get("databases")
    if isinstance(raw_databases, str):
        raw_databases = [raw_databases]
    if not isinstance(raw_databases, list) or not raw_databases:
        raise read.fail("databases", f"expected a list of database names, got {raw_databases!r}")
    databases = tuple(read.name(db, "databases") for db in raw_databases)

    aliases = {
        read.name(alias, "aliases"): str(target)
        for alias, target in read.mapping(data, "aliases").items()
    }
    schema_root = read.folder_of(data, "schema", "schema")
    for database in databases:
        if not sorted((schema_root / database).glob("*.sql")):
            raise read.fail(
                "schema", f"no {schema_root / database}/*.sql for database {database!r}"
            )
    fixtures_root = read.folder_of(data, "fixtures", "fixtures")

    page_paths: dict[str, str] = {}
    for page, page_path in read.mapping(data, "pages").items():
        if not isinstance(page_path, str) or not page_path.startswith("/"):
            raise read.fail(f"pages.{page}", f"expected a path starting with /, got {page_path!r}")
        page_paths[str(page)] = page_path

    app = _app(read, read.mapping(data, "app"))
    try:
        return Product(
            name=name,
            title=title,
            databases=databases,
            app_module=None,
            aliases=aliases,
            page_paths=page_paths,
            schema_root=schema_root,
            fixtures_root=fixtures_root,
            declared_in=path,
            **app,
        )
    except ProductFileError:
        raise
    except ProductError as error:
        raise ProductFileError(f"{path}: {error}") from None


def _app(read: _Reader, app: Mapping[str, Any]) -> dict[str, Any]:
    """The Product fields of the `app:` section."""
    read.unknown(app, APP_KEYS, "app.")
    if "command" in app and "base_url" in app:
        raise read.fail(
            "app", "give a command to start or the base_url of a deployed copy, not both"
        )
    if "base_url" in app:
        extra = [key for key in app if key != "base_url"]
        if extra:
            raise read.fail(f"app.{extra[0]}", "only for an app started by a command")
        url = read.text(app, "base_url", "app.")
        if not re.match(r"^https?://[^/\s]+", url):
            raise read.fail("app.base_url", f"expected an http(s) URL, got {url!r}")
        return {"base_url": url.rstrip("/")}
    if "command" not in app:
        extra = list(app)
        if extra:
            raise read.fail(f"app.{extra[0]}", "only for an app started by a command")
        return {}  # deployed only: <name>.base_url must be set when a feature runs
    command = app["command"]
    if isinstance(command, str):
        command = shlex.split(command)
    if (
        not isinstance(command, list)
        or not command
        or not all(isinstance(word, (str, int)) for word in command)
    ):
        raise read.fail(
            "app.command", f"expected a command line or a list of words, got {command!r}"
        )
    fields: dict[str, Any] = {
        "app_command": tuple(str(word) for word in command),
        "app_cwd": read.folder_of(app, "cwd", "."),
    }
    if not fields["app_cwd"].is_dir():
        raise read.fail("app.cwd", f"no folder {fields['app_cwd']}")
    if "health" in app:
        health = app["health"]
        if not isinstance(health, str) or not health.startswith("/"):
            raise read.fail("app.health", f"expected a path starting with /, got {health!r}")
        fields["health_path"] = health
    if "port" in app:
        port = app["port"]
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise read.fail("app.port", f"expected a port number 1-65535, got {port!r}")
        fields["app_port"] = port
    return fields


def product_files(folder: Path, environ: Mapping[str, str] | None = None) -> list[Path]:
    """The YAML declarations: folder/*.yaml, then each file SUITE_PRODUCTS lists (separated
    by the path separator, ':' on Linux; relative to the current folder)."""
    environ = os.environ if environ is None else environ
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    for entry in environ.get(PRODUCT_FILES_VARIABLE, "").split(os.pathsep):
        if not entry.strip():
            continue
        path = Path(entry.strip()).expanduser().resolve()
        if not path.is_file():
            raise ProductFileError(f"{PRODUCT_FILES_VARIABLE} names {path}, which is no file")
        if path not in files:
            files.append(path)
    return files


def load_product_files(paths: Iterable[Path]) -> tuple[Product, ...]:
    return tuple(load_product_file(path) for path in paths)
