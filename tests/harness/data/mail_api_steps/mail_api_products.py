"""The product of the mail and API steps' test project: a notice board that mails invitations."""

from __future__ import annotations

from pathlib import Path

from harness.products import Product

HERE = Path(__file__).resolve().parent

PRODUCTS = (
    Product(
        name="board",
        title="Notice board",
        databases=("notes",),
        app_module="mail_api_app",
        page_paths={"sign-in": "/signin"},
        schema_root=HERE / "schema",
        fixtures_root=HERE / "fixtures",
        app_cwd=HERE,
    ),
)
