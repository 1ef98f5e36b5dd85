"""A product declared in YAML: read into the same Product; every mistake named by file and key."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from harness.config import load_settings
from harness.fixture_folder import FixtureFolderError, fixture_folder_of
from harness.product_yaml import (
    PRODUCT_FILES_VARIABLE,
    ProductFileError,
    load_product_file,
    product_files,
)
from harness.products import Product, ProductError, Registry

TINY_APP = Path(__file__).resolve().parent / "data" / "tiny_app"

FULL = """
    name: library
    title: Library catalogue
    databases: [books, loans]
    aliases: {primary: books}
    schema: ../elsewhere/schema
    fixtures: ../elsewhere/fixtures
    pages:
      home: /
      sign-in: /login
    app:
      command: ./run-app --listen {host}:{port}
      cwd: ../elsewhere/app
      health: /ready
      port: 8123
"""


def declare(tmp_path: Path, text: str, databases: tuple[str, ...] = ("books", "loans")) -> Path:
    """team/product.yaml, with schemas for `databases` and an app folder in ../elsewhere/."""
    for database in databases:
        schema = tmp_path / "elsewhere" / "schema" / database
        schema.mkdir(parents=True, exist_ok=True)
        (schema / "001.sql").write_text("CREATE TABLE T (Id INT64) PRIMARY KEY (Id)")
    (tmp_path / "elsewhere" / "app").mkdir(parents=True, exist_ok=True)
    path = tmp_path / "team" / "product.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def test_a_yaml_declaration_becomes_a_product(tmp_path: Path) -> None:
    product = load_product_file(declare(tmp_path, FULL))
    elsewhere = (tmp_path / "elsewhere").resolve()
    assert product.name == "library" and product.title == "Library catalogue"
    assert product.databases == ("books", "loans")
    assert dict(product.aliases) == {"primary": "books"}
    assert product.schema_root == elsewhere / "schema"
    assert product.fixtures_root == elsewhere / "fixtures"
    assert dict(product.page_paths) == {"home": "/", "sign-in": "/login"}
    assert product.app_module is None
    assert product.app_command == ("./run-app", "--listen", "{host}:{port}")
    assert product.app_cwd == elsewhere / "app"
    assert (product.health_path, product.app_port) == ("/ready", 8123)
    assert product.starts_an_app and product.base_url is None
    assert product.declared_in == (tmp_path / "team" / "product.yaml").resolve()
    assert product.tag == "product.library"


def test_defaults_are_folders_beside_the_file_and_a_list_command(tmp_path: Path) -> None:
    path = tmp_path / "product.yaml"
    (tmp_path / "schema" / "shelf").mkdir(parents=True)
    (tmp_path / "schema" / "shelf" / "1.sql").write_text(
        "CREATE TABLE T (Id INT64) PRIMARY KEY (Id)"
    )
    path.write_text("name: shelf\ntitle: Shelf\ndatabases: shelf\napp: {command: [node, app.js]}\n")
    product = load_product_file(path)
    assert product.schema_root == tmp_path.resolve() / "schema"
    assert product.fixtures_root == tmp_path.resolve() / "fixtures"
    assert product.app_cwd == tmp_path.resolve()
    assert product.app_command == ("node", "app.js")
    assert (product.health_path, product.app_port) == ("/healthz", None)


def test_a_deployed_app_by_its_url_is_the_default_of_its_base_url_setting(tmp_path: Path) -> None:
    text = FULL.split("    app:")[0] + "    app:\n      base_url: https://library.example.com/\n"
    product = load_product_file(declare(tmp_path, text))
    assert product.base_url == "https://library.example.com"
    assert not product.starts_an_app
    registry = Registry.of([product])
    settings = load_settings(
        {}, environ={}, products=registry.titles(), declared_urls=registry.declared_urls()
    )
    assert settings.base_url("library") == "https://library.example.com"
    # the setting still wins
    settings = load_settings(
        {},
        environ={"LIBRARY_BASE_URL": "http://127.0.0.1:9000"},
        products=registry.titles(),
        declared_urls=registry.declared_urls(),
    )
    assert settings.base_url("library") == "http://127.0.0.1:9000"


@pytest.mark.parametrize(
    ("change", "key", "complaint"),
    [
        (("name: library", "name: Library"), "name", "'Library' is not a name"),
        (("title: Library catalogue", "title: ''"), "title", "expected a non-empty text"),
        (("databases: [books, loans]", "databases: []"), "databases", "expected a list"),
        (("databases: [books, loans]", "databases: [books, Loans]"), "databases", "'Loans'"),
        (("{primary: books}", "{primary: nowhere}"), "", "alias 'primary' names 'nowhere'"),
        (("schema: ../elsewhere/schema", "schema: ../nowhere"), "schema", "for database 'books'"),
        (("home: /", "home: home"), "pages.home", "expected a path starting with /"),
        (("health: /ready", "health: ready"), "app.health", "a path starting with /"),
        (("port: 8123", "port: 70000"), "app.port", "expected a port number"),
        (("cwd: ../elsewhere/app", "cwd: ../gone"), "app.cwd", "no folder"),
        (("command: ./run-app --listen {host}:{port}", "command: []"), "app.command", "expected"),
        (("port: 8123", "port: 8123\n      base_url: http://x"), "app", "not both"),
        (("pages:", "page:"), "page", "unknown key; the known keys are name, title"),
        (("health: /ready", "healthz: /ready"), "app.healthz", "unknown key"),
    ],
)
def test_a_mistake_is_named_by_its_file_and_key(
    tmp_path: Path, change: tuple[str, str], key: str, complaint: str
) -> None:
    old, new = change
    assert old in FULL
    path = declare(tmp_path, FULL.replace(old, new))
    with pytest.raises(ProductFileError) as raised:
        load_product_file(path)
    message = str(raised.value)
    assert message.startswith(f"{path.resolve()}: {key}"), message
    assert complaint in message


def test_a_base_url_with_command_settings_is_refused(tmp_path: Path) -> None:
    text = FULL.split("    app:")[0] + "    app:\n      base_url: http://x.example\n      port: 1\n"
    with pytest.raises(ProductFileError, match=r"product\.yaml: app\.port: only for an app"):
        load_product_file(declare(tmp_path, text))


def test_broken_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    path = declare(tmp_path, "name: library\ntitle: [unclosed\n")
    with pytest.raises(ProductFileError) as raised:
        load_product_file(path)
    assert f"{path.resolve()}: not valid YAML" in str(raised.value)
    assert "line" in str(raised.value)


def test_product_files_are_the_folders_and_the_ones_the_environment_lists(tmp_path: Path) -> None:
    folder = tmp_path / "products"
    folder.mkdir()
    (folder / "a.yaml").write_text("")
    outside = tmp_path / "team" / "b.yaml"
    outside.parent.mkdir()
    outside.write_text("")
    found = product_files(folder, {PRODUCT_FILES_VARIABLE: f"{outside}:"})
    assert found == [folder / "a.yaml", outside.resolve()]
    with pytest.raises(ProductFileError, match=f"{PRODUCT_FILES_VARIABLE} names .*gone.yaml"):
        product_files(folder, {PRODUCT_FILES_VARIABLE: str(tmp_path / "gone.yaml")})


def test_the_tiny_apps_declaration_reads(tmp_path: Path) -> None:
    product = load_product_file(TINY_APP / "product.yaml")
    assert product.app_command == ("python", "app.py")
    assert product.fixtures_root == TINY_APP / "fixtures"


class _Feature:
    def __init__(self, tags: list[str]) -> None:
        self.tags, self.filename = tags, "features/lending_rules.feature"


def test_a_feature_names_its_fixture_folder_with_a_tag(tmp_path: Path) -> None:
    (tmp_path / "lending").mkdir()
    assert fixture_folder_of(_Feature(["product.shelf"]), tmp_path) == "lending_rules"
    assert fixture_folder_of(_Feature(["fixtures.lending"]), tmp_path) == "lending"
    with pytest.raises(FixtureFolderError, match=r"@fixtures\.missing names no folder under"):
        fixture_folder_of(_Feature(["fixtures.missing"]), tmp_path)
    with pytest.raises(FixtureFolderError, match="several fixture folders"):
        fixture_folder_of(_Feature(["fixtures.lending", "fixtures.other"]), tmp_path)


def test_a_yaml_product_clashing_with_another_names_its_file(tmp_path: Path) -> None:
    text = FULL.replace("databases: [books, loans]", "databases: [users]").replace(
        "{primary: books}", "{primary: users}"
    )
    path = declare(tmp_path, text, databases=("users",))
    yaml_product = load_product_file(path)
    python_product = Product("saas", "SaaS", ("users",), "app.saas")
    with pytest.raises(ProductError) as raised:
        Registry.of([python_product, yaml_product])
    assert str(raised.value) == (
        f"database 'users' is declared by both 'saas' and 'library' (in {path.resolve()}); "
        "every database belongs to one product"
    )
