"""The products this suite tests: the Python declarations (products/<name>/, for products with
steps of their own), then the YAML ones: products/*.yaml and each file SUITE_PRODUCTS lists
(docs/adding-a-product.md)."""

from __future__ import annotations

from pathlib import Path

from harness.product_yaml import load_product_files, product_files
from harness.products import Product
from products.academy import PRODUCT as ACADEMY
from products.clinic import PRODUCT as CLINIC
from products.saas import PRODUCT as SAAS

PYTHON_PRODUCTS: tuple[Product, ...] = (SAAS, ACADEMY, CLINIC)
YAML_PRODUCTS: tuple[Product, ...] = load_product_files(product_files(Path(__file__).parent))
PRODUCTS: tuple[Product, ...] = (*PYTHON_PRODUCTS, *YAML_PRODUCTS)
