"""The environment contract every product shares (app/platform/settings.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from platform_testkit import SUPPORT, make_product

from app.platform.product import AppProduct
from app.platform.settings import SettingsError, database_variable, load_settings


@pytest.fixture()
def product(tmp_path: Path) -> AppProduct:
    return make_product(tmp_path, databases=("users", "case_notes"))


def test_settings_defaults(product: AppProduct) -> None:
    settings = load_settings(product, {}, host="127.0.0.1", port=8123)
    assert settings.spanner_emulator_host is None
    assert (settings.spanner_project, settings.spanner_instance) == (
        "test-project",
        "test-instance",
    )
    assert settings.databases == {"users": "test-users", "case_notes": "test-case_notes"}
    assert (settings.smtp_host, settings.smtp_port) == ("127.0.0.1", 1025)
    assert settings.public_url == "http://127.0.0.1:8123"
    assert settings.mail_from == "robot@product.example.org"  # the product's defaults
    assert settings.support_email == SUPPORT


def test_every_variable_is_read(product: AppProduct) -> None:
    settings = load_settings(
        product,
        {
            "SPANNER_EMULATOR_HOST": "127.0.0.1:9010",
            "SPANNER_PROJECT": "p-1",
            "SPANNER_INSTANCE": "i-1",
            "APP_DATABASE_USERS": "users-db",
            "APP_DATABASE_CASE_NOTES": "notes-db",
            "APP_SMTP_HOST": "mail.example.org",
            "APP_SMTP_PORT": "2525",
            "APP_PUBLIC_URL": "https://app.example.org/",
            "APP_MAIL_FROM": "from@example.org",
            "APP_SUPPORT_EMAIL": "support@example.org",
        },
    )
    assert settings.spanner_emulator_host == "127.0.0.1:9010"
    assert (settings.spanner_project, settings.spanner_instance) == ("p-1", "i-1")
    assert settings.databases == {"users": "users-db", "case_notes": "notes-db"}
    assert (settings.smtp_host, settings.smtp_port) == ("mail.example.org", 2525)
    assert settings.public_url == "https://app.example.org"
    assert (settings.mail_from, settings.support_email) == (
        "from@example.org",
        "support@example.org",
    )


def test_one_variable_per_database() -> None:
    assert database_variable("users") == "APP_DATABASE_USERS"
    assert database_variable("case_notes") == "APP_DATABASE_CASE_NOTES"


def test_the_old_database_variables_are_not_read(product: AppProduct) -> None:
    settings = load_settings(
        product, {"APP_PRIMARY_DATABASE": "bad name", "APP_SECONDARY_DATABASE": "x"}
    )
    assert settings.databases == {"users": "test-users", "case_notes": "test-case_notes"}


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"SPANNER_EMULATOR_HOST": "localhost"}, "SPANNER_EMULATOR_HOST"),
        ({"SPANNER_EMULATOR_HOST": "localhost:99999"}, "SPANNER_EMULATOR_HOST"),
        ({"SPANNER_PROJECT": "my project"}, "SPANNER_PROJECT"),
        ({"SPANNER_INSTANCE": ""}, "SPANNER_INSTANCE"),
        ({"APP_SMTP_HOST": "smtp host"}, "APP_SMTP_HOST"),
        ({"APP_SMTP_PORT": "smtp"}, "APP_SMTP_PORT"),
        ({"APP_PUBLIC_URL": "ftp://x"}, "APP_PUBLIC_URL"),
        ({"APP_MAIL_FROM": "robot"}, "APP_MAIL_FROM"),
        ({"APP_SUPPORT_EMAIL": "support"}, "APP_SUPPORT_EMAIL"),
        ({"APP_DATABASE_USERS": "bad name"}, "APP_DATABASE_USERS"),
        ({"APP_DATABASE_CASE_NOTES": "-x"}, "APP_DATABASE_CASE_NOTES"),
    ],
)
def test_malformed_settings_name_the_variable(
    product: AppProduct, env: dict[str, str], name: str
) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings(product, env)


@pytest.mark.parametrize("databases", [(), ("Users",), ("case-notes",), ("status",)])
def test_a_product_names_its_databases_plainly(tmp_path: Path, databases: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        make_product(tmp_path, databases=databases)
