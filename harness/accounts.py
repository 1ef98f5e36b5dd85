"""Sign-in details of the people in a feature's fixtures: fixtures/<feature>/accounts.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Accounts:
    file: Path
    passwords: dict[str, str]
    api_keys: dict[str, str]

    def password_of(self, email: str) -> str:
        if email not in self.passwords:
            raise KeyError(f"no password for {email} under `passwords:` in {self.file}")
        return self.passwords[email]

    def api_key_of(self, domain: str) -> str:
        if domain not in self.api_keys:
            raise KeyError(f"no API key for {domain} under `api_keys:` in {self.file}")
        return self.api_keys[domain]


def load_accounts(fixtures_root: Path, feature_stem: str) -> Accounts:
    file = fixtures_root / feature_stem / "accounts.yaml"
    if not file.exists():
        return Accounts(file, {}, {})
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"{file}: YAML syntax error: {error}") from None
    return Accounts(file, dict(data.get("passwords") or {}), dict(data.get("api_keys") or {}))
