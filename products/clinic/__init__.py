"""The healthcare clinic: providers with a second factor, patients in their care, visits and
signed prescriptions in `clinic`, and every access in the `audit` database."""

from __future__ import annotations

from harness.products import Product

PRODUCT = Product(
    name="clinic",
    title="Healthcare clinic",
    # the brief's two databases: the records, and the compliance audit log kept apart
    databases=("clinic", "audit"),
    app_module="app.clinic",
    aliases={},
    steps=("steps/clinic",),
    pages="pages.clinic",
    queries="queries.clinic",
)
