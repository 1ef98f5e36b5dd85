"""scripts/find_python.sh: the virtualenv's Python is the first 3.11–3.14 on PATH, whatever its
name (Ubuntu 24.04 and Debian 13 ship no python3.11), and a clear error when there is none."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "find_python.sh"


def fake_python(folder: Path, name: str, version: tuple[int, int]) -> None:
    """A `python` that answers the version check as the given version would."""
    major, minor = version
    program = folder / name
    program.write_text(
        "#!/bin/sh\n"
        f'exec {sys.executable} -c "import sys; sys.version_info = ({major}, {minor}, 0); '
        f'exec(sys.argv[1])" "$2"\n'
    )
    program.chmod(0o755)


def find(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{path}:/usr/bin:/bin"}
    # /usr/bin may hold a real python3: the fakes come first, so they decide
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True)


def test_python3_is_taken_when_it_is_new_enough(tmp_path: Path) -> None:
    fake_python(tmp_path, "python3", (3, 12))
    fake_python(tmp_path, "python3.11", (3, 11))
    assert find(tmp_path).stdout.strip() == "python3"


def test_an_old_python3_gives_way_to_a_versioned_one(tmp_path: Path) -> None:
    fake_python(tmp_path, "python3", (3, 10))
    fake_python(tmp_path, "python3.13", (3, 13))
    assert find(tmp_path).stdout.strip() == "python3.13"


def test_a_python_newer_than_the_pins_support_is_passed_over(tmp_path: Path) -> None:
    fake_python(tmp_path, "python3", (3, 15))
    fake_python(tmp_path, "python3.14", (3, 14))
    assert find(tmp_path).stdout.strip() == "python3.14"


def test_no_suitable_python_is_a_clear_error(tmp_path: Path) -> None:
    for name in ("python3", "python3.14", "python3.13", "python3.12", "python3.11"):
        fake_python(tmp_path, name, (3, 10))
    result = find(tmp_path)
    assert result.returncode == 1
    assert "no Python 3.11 to 3.14 on PATH" in result.stderr
    assert "make setup PYTHON=" in result.stderr


def test_this_machine_has_one() -> None:
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    version = subprocess.run(
        [result.stdout.strip(), "-c", "import sys; print(sys.version_info[:2] >= (3, 11))"],
        capture_output=True,
        text=True,
    )
    assert version.stdout.strip() == "True"
