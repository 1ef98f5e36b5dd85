"""The products this suite tests, one declaration each (see README, "Adding a product")."""

from __future__ import annotations

from harness.products import Product
from products.academy import PRODUCT as ACADEMY
from products.clinic import PRODUCT as CLINIC
from products.saas import PRODUCT as SAAS

PRODUCTS: tuple[Product, ...] = (SAAS, ACADEMY, CLINIC)
