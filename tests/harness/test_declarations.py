"""Every declared product points at parts that exist: schema, app, steps, pages, queries."""

from __future__ import annotations

import importlib
import importlib.util

import pytest

from harness.products import REPO_ROOT, Product, ProductError, Registry
from products import PRODUCTS


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.name)
def test_declared_parts_exist(product: Product) -> None:
    """A product declared in YAML brings no steps, pages or queries: only what it declares is
    checked."""
    for database in product.databases:
        assert sorted((product.schema_root / database).glob("*.sql")), (
            f"{product.name}: no schema files in {product.schema_root / database}"
        )
    if product.app_module:
        assert importlib.util.find_spec(product.app_module), (
            f"{product.name}: no app module {product.app_module}"
        )
    for steps in product.steps:
        assert (REPO_ROOT / steps).exists(), f"{product.name}: no step folder or file {steps}"
    for module in (product.pages, product.queries):
        if module:
            importlib.import_module(module)


@pytest.mark.parametrize("product", [p for p in PRODUCTS if p.steps], ids=lambda p: p.name)
def test_a_products_steps_pages_and_queries_are_laid_out_alike(product: Product) -> None:
    """steps/<name>/, pages/<name>/ and queries/<name>/: one package per product in each."""
    assert product.steps == (f"steps/{product.name}",), (
        f"{product.name}: its steps live in steps/{product.name}/, not {product.steps}"
    )
    for layer, module in (("pages", product.pages), ("queries", product.queries)):
        assert module == f"{layer}.{product.name}", f"{product.name}: {layer} is {module}"
        assert (REPO_ROOT / layer / product.name / "__init__.py").is_file(), (
            f"{product.name}: {layer}/{product.name}/ is not a package"
        )


def test_the_registry_knows_every_product_once() -> None:
    registry = Registry.of(PRODUCTS)
    assert [product.name for product in registry] == [product.name for product in PRODUCTS]


def test_a_database_belongs_to_one_product() -> None:
    first = Product("one", "One", ("shared",), None)
    second = Product("two", "Two", ("shared",), None)
    with pytest.raises(ProductError, match="'shared' is declared by both 'one' and 'two'"):
        Registry.of([first, second])


def test_an_alias_must_name_one_of_the_products_databases() -> None:
    with pytest.raises(ProductError, match="alias 'primary' names 'elsewhere'"):
        Product("one", "One", ("main",), None, aliases={"primary": "elsewhere"})


def test_a_feature_with_two_product_tags_is_refused() -> None:
    registry = Registry.of(
        [Product("one", "One", ("a",), None), Product("two", "Two", ("b",), None)]
    )
    with pytest.raises(ProductError, match="several products"):
        registry.product_of(["product.one", "product.two"], "x.feature")
