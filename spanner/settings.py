"""What spanner/ needs to know about the run: where Spanner is, and which ids to use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BACKENDS = ("auto", "binary", "external", "docker", "cloud")


@dataclass(frozen=True)
class SpannerSettings:
    backend: str = "auto"
    emulator_host: str | None = None
    emulator_binary: str | None = None
    project: str = "test-project"
    instance: str = "test-instance"
    database_prefix: str = "test-"
    allow_destructive: bool = False
    # start the emulator with --enable_fault_injection: it aborts commits at random
    fault_injection: bool = False
    log_dir: Path = Path("reports/artifacts/logs")

    def database_id(self, name: str) -> str:
        return f"{self.database_prefix}{name}"
