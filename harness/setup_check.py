"""`python -m harness.setup_check`: say what this machine still lacks to run the suite."""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from harness.browser import BrowserLaunchError, chromium_executable
from spanner.emulator import docker_engine_answers, find_emulator_binary


def main() -> int:
    problems = []
    with sync_playwright() as playwright:
        try:
            executable = chromium_executable(playwright, None)
            print(f"browser: {executable or 'Playwright bundled Chromium'}")
        except BrowserLaunchError as error:
            problems.append(str(error))
    binary = find_emulator_binary(None)
    if binary:
        print(f"spanner emulator: {binary}")
    elif docker_engine_answers():
        print("spanner emulator: through Docker (docker-compose.yml)")
    else:
        problems.append(
            "no Spanner emulator: apt-get install google-cloud-cli-spanner-emulator, "
            "or set SPANNER_EMULATOR_HOST, or start Docker"
        )
    for problem in problems:
        print(f"missing: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
