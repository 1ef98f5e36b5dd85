"""Sign-in details of the people in a feature's fixtures (spanner/fixture_layout.py says where).

The file holds sections of name -> secret; the databases hold only hashes of them:

    passwords:
      admin@example.com: SecurePassword123!
    api_keys:              # any other section a product's steps read with secret()
      example.com: sk_test_...
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Accounts:
    file: Path
    sections: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def secret(self, section: str, name: str) -> str:
        values = self.sections.get(section) or {}
        if name not in values:
            raise KeyError(f"no entry for {name} under `{section}:` in {self.file}")
        return str(values[name])

    def password_of(self, email: str) -> str:
        return self.secret("passwords", email)


def load_accounts(file: Path) -> Accounts:
    if not file.exists():
        return Accounts(file)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"{file}: YAML syntax error: {error}") from None
    if not isinstance(data, dict) or not all(
        isinstance(section, dict) for section in data.values()
    ):
        raise ValueError(f"{file}: expected sections of name: secret (passwords:, ...)")
    return Accounts(file, {str(name): dict(section) for name, section in data.items()})
