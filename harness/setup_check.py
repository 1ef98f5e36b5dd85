"""`python -m harness.setup_check [--install]`: what this machine lacks to run the suite.

Without --install it only looks and says. With --install (what `make setup` runs) it gets what is
missing, each way bounded in time, and does nothing at all when everything is there:

browser   Playwright's own Chromium (`playwright install chromium`; its download cannot reach its
          servers everywhere), else, as root, the system package (`apt-get install -y chromium`),
          else a message naming both ways and -D browser.executable / -D browser.ws_endpoint.
          A browser it installed must start before it counts.
emulator  as root, `apt-get install -y google-cloud-cli-spanner-emulator` unless
          SPANNER_EMULATOR_HOST or SPANNER_EMULATOR_BINARY (or another backend) is set,
          else Docker if its engine answers, else a message naming the ways.
faketime  as root, `apt-get install -y faketime` (libfaketime), which only `make behave-la-evening`
          needs (the suite with every clock set back into the hours where the UTC and the Los
          Angeles dates differ); without it the set-up says how to get it and still succeeds.

`apt-get update` runs at most once, and only when a package is to be installed. The settings
are read as the suite reads them (behave.ini's [behave.userdata], then the environment).
The decisions live in `Setup`, whose hands on the machine (`Machine`) tests replace.
"""

from __future__ import annotations

import argparse
import configparser
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Playwright, PlaywrightContextManager, sync_playwright

from harness.browser import (
    SYSTEM_HEADLESS_SHELLS,
    BrowserLaunchError,
    chromium_executable,
    launch_browser,
)
from harness.config import Settings, SettingsError, load_settings
from spanner.emulator import docker_engine_answers, find_emulator_binary

REPO = Path(__file__).resolve().parent.parent
APT_CHROMIUM = "chromium"
APT_HEADLESS_SHELL = "chromium-headless-shell"  # what headless runs use when it is there
APT_EMULATOR = "google-cloud-cli-spanner-emulator"
APT_FAKETIME = "faketime"
# the library scripts/at_hour.sh preloads (Debian's libfaketime, which the package faketime
# brings), looked for where that script looks: $LIBFAKETIME, else these places
FAKETIME_LIBRARY_GLOBS = (
    "/usr/lib/*/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
    "/usr/local/lib/faketime/libfaketime.so.1",
)
# bounds of the slow steps, in seconds: a download that hangs on a closed network ends here
DOWNLOAD_TIMEOUT = 600.0
APT_UPDATE_TIMEOUT = 300.0
APT_INSTALL_TIMEOUT = 1200.0
BROWSER_START_TIMEOUT_MS = 30_000
TITLES = {"chromium": "Chromium", "firefox": "Firefox", "webkit": "WebKit"}
# what Playwright's bundled Node.js links against beyond the C library, and its Debian/Ubuntu
# package: a minimal system may lack libatomic1
DRIVER_LIBRARIES = {
    "libatomic.so.1": "libatomic1",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
}
MISSING_LIBRARY = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")


def browser_help(browser: str) -> str:
    """Every way to give the suite a browser, for the message when none could be had."""
    title = TITLES.get(browser, browser)
    ways = [
        f"Playwright's own {title}: .venv/bin/playwright install --with-deps {browser} "
        "(--with-deps, as root, adds its system libraries); it downloads from Playwright's "
        "servers, which not every network reaches",
    ]
    if browser == "chromium":
        ways.append(
            "the system's Chromium: sudo apt-get install -y chromium "
            "(as root, `make setup` does this itself; the suite finds /usr/bin/chromium)"
        )
    ways.append(
        f"a {title} you have: -D browser.executable=/path/to/{browser} "
        "(or BROWSER_EXECUTABLE=/path/to/it)"
    )
    ways.append(
        "a Playwright server elsewhere: -D browser.ws_endpoint=ws://host:port/path "
        "(or PW_WS_ENDPOINT; `make browser-server` starts one)"
    )
    return f"no {title} for the suite. Any one of these gives it one:\n" + "\n".join(
        f"  - {way}" for way in ways
    )


EMULATOR_HELP = (
    "no Spanner emulator. Any one of these gives the suite one:\n"
    f"  - sudo apt-get install -y {APT_EMULATOR} (as root, `make setup` does this itself);\n"
    "    the package comes from the Google Cloud CLI apt repository\n"
    "    (https://cloud.google.com/sdk/docs/install#deb); or, where gcloud is not from apt,\n"
    "    gcloud components install cloud-spanner-emulator\n"
    "  - point SPANNER_EMULATOR_BINARY at an emulator_main you have\n"
    "  - run an emulator yourself and set SPANNER_EMULATOR_HOST=host:port\n"
    "  - start a Docker engine: the suite then runs the emulator of docker-compose.yml\n"
    "  - use real Cloud Spanner: SPANNER_BACKEND=cloud (-D spanner.backend=cloud)"
)

FAKETIME_HELP = (
    "no faketime (libfaketime): only `make behave-la-evening` needs it, which runs the suite "
    "with every clock set back into the hours where the UTC and the Los Angeles dates differ.\n"
    f"  sudo apt-get install -y {APT_FAKETIME} (as root, `make setup` does this itself),\n"
    "  or point LIBFAKETIME at a libfaketime.so.1 you have"
)


@dataclass
class Machine:
    """Everything the set-up learns from or does to the machine; tests pass fakes."""

    run: Callable[[Sequence[str], float, str], bool]
    """Run a command, bounded by a timeout in seconds; `what` names it in messages."""
    is_root: Callable[[], bool]
    has_apt: Callable[[], bool]
    find_browser: Callable[[], str | None]
    """The browser the suite would use (a path, or a name for Playwright's own), None if none."""
    browser_starts: Callable[[], str | None]
    """None when that browser starts and shows a page; else what went wrong."""
    find_emulator: Callable[[], str | None]
    docker_answers: Callable[[], bool]
    driver_problem: Callable[[], str | None] = lambda: None
    """None when Playwright's driver (the Node.js inside the playwright package) starts."""
    playwright_cli: Sequence[str] = (sys.executable, "-m", "playwright")
    find_faketime: Callable[[], str | None] = lambda: None
    """libfaketime's preload library (scripts/at_hour.sh needs it), None when missing."""
    find_headless_shell: Callable[[], str | None] = lambda: None
    """The system's Chromium headless shell (headless runs use it), None when missing."""


@dataclass
class Setup:
    settings: Settings
    machine: Machine
    install: bool
    found: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What is missing but needed only by a target other than `make test` (no failure)."""
    _apt_updated: bool = False

    # -- apt: once updated, per package installed -------------------------------------------

    def can_apt(self) -> bool:
        return self.install and self.machine.is_root() and self.machine.has_apt()

    def _apt_optional(self, package: str, find: Callable[[], str | None], what: str) -> str | None:
        """A package the run can do without, installed as root; what `find` finds after it
        (None: not installed, or installed without the `what` it should bring)."""
        if not (self.can_apt() and self.apt_install(package)):
            return None
        found = find()
        if found is None:
            print(f"set-up: {package} installed, yet no {what} found", file=sys.stderr)
        return found

    def apt_install(self, package: str) -> bool:
        if not self._apt_updated:
            self._apt_updated = True
            # a failed update may still leave usable lists: the install decides
            self.machine.run(["apt-get", "update", "-q"], APT_UPDATE_TIMEOUT, "apt-get update")
        return self.machine.run(
            ["apt-get", "install", "-y", "-q", package],
            APT_INSTALL_TIMEOUT,
            f"apt-get install {package}",
        )

    # -- Playwright's driver ---------------------------------------------------------------

    def ensure_driver(self) -> bool:
        """Playwright's driver starts (installing a system library it lacks, as root)."""
        problem = self.machine.driver_problem()
        missing = MISSING_LIBRARY.search(problem or "")
        package = DRIVER_LIBRARIES.get(missing.group(1)) if missing else None
        if problem and package and self.can_apt() and self.apt_install(package):
            problem = self.machine.driver_problem()
        if problem:
            hint = (
                f"\n  sudo apt-get install -y {package} gives it what it lacks" if package else ""
            )
            self.problems.append(
                "Playwright's driver (the Node.js inside the playwright package) does not "
                f"start: {problem}{hint}"
            )
            return False
        return True

    # -- browser ---------------------------------------------------------------------------

    def ensure_browser(self) -> None:
        settings, machine = self.settings, self.machine
        name = settings.browser
        if settings.browser_ws_endpoint:
            self.found.append(f"browser: a Playwright server at {settings.browser_ws_endpoint}")
            return
        if settings.browser_executable:
            if Path(settings.browser_executable).is_file():
                self.found.append(f"browser: {settings.browser_executable} (browser.executable)")
            else:
                self.problems.append(
                    f"setting browser.executable: no file at {settings.browser_executable}"
                )
            return
        present = machine.find_browser()
        if present:
            self.found.append(f"browser: {present}")
            if name == "chromium" and not present.startswith("Playwright's own"):
                self._apt_headless_shell()
            return
        if not self.install:
            self.problems.append(browser_help(name))
            return
        if self._playwright_download(name) or (name == "chromium" and self._apt_chromium()):
            return
        self.problems.append(browser_help(name))

    def _playwright_download(self, name: str) -> bool:
        cli, title = list(self.machine.playwright_cli), TITLES.get(name, name)
        what = f"Playwright's download of its {title}"
        if not self.machine.run([*cli, "install", name], DOWNLOAD_TIMEOUT, what):
            return False
        return self._usable(f"Playwright's own {title}", deps=[*cli, "install-deps", name])

    def _apt_chromium(self) -> bool:
        if not self.can_apt():
            return False
        if not self.apt_install(APT_CHROMIUM):
            return False
        if not self._usable(f"apt package {APT_CHROMIUM}"):
            return False
        self._apt_headless_shell()
        return True

    def _apt_headless_shell(self) -> None:
        """Beside a system Chromium, its headless shell (headless runs use it: less CPU); without
        it they use the full Chromium, slower but the same. Playwright's own browser needs none."""
        if self.machine.find_headless_shell():
            return
        shell = self._apt_optional(
            APT_HEADLESS_SHELL, self.machine.find_headless_shell, "headless shell"
        )
        if shell:
            self.found.append(f"headless shell: {shell} (installed: apt package)")
            return
        self.found.append(
            f"headless shell: none (headless runs use the full Chromium; "
            f"`apt-get install -y {APT_HEADLESS_SHELL}` makes them faster)"
        )

    def _usable(self, source: str, deps: Sequence[str] | None = None) -> bool:
        """After an install: the suite finds a browser and it starts (with system libraries
        installed by Playwright, as root, if it does not start without them)."""
        present = self.machine.find_browser()
        if not present:
            print(f"set-up: after {source}, the suite still finds no browser", file=sys.stderr)
            return False
        error = self.machine.browser_starts()
        if error and deps and self.can_apt():
            self.machine.run(deps, APT_INSTALL_TIMEOUT, f"system libraries for {source}")
            error = self.machine.browser_starts()
        if error:
            print(f"set-up: {present} (from {source}) does not start: {error}", file=sys.stderr)
            return False
        self.found.append(f"browser: {present} (installed: {source})")
        return True

    # -- Spanner emulator ------------------------------------------------------------------

    def ensure_emulator(self) -> None:
        settings, machine = self.settings, self.machine
        backend = settings.spanner_backend
        if backend == "cloud" and not settings.smoke:
            self.found.append("spanner: real Cloud Spanner (spanner.backend=cloud), no emulator")
            return
        # smoke mode on Cloud Spanner still needs the emulator binary: the schema check builds
        # the schema the product expects in a scratch database of a private emulator
        if settings.spanner_emulator_host:
            self.found.append(
                f"spanner emulator: SPANNER_EMULATOR_HOST={settings.spanner_emulator_host}"
            )
            return
        if backend == "external":
            self.problems.append("spanner.backend=external needs SPANNER_EMULATOR_HOST=host:port")
            return
        if backend == "docker":
            if machine.docker_answers():
                self.found.append("spanner emulator: through Docker (docker-compose.yml)")
            else:
                self.problems.append("spanner.backend=docker, but no Docker engine answers")
            return
        if binary := settings.spanner_emulator_binary:
            if Path(binary).is_file():
                self.found.append(f"spanner emulator: {binary}")
            else:
                self.problems.append(f"setting spanner.emulator_binary: no file at {binary}")
            return
        present = machine.find_emulator()
        if present:
            self.found.append(f"spanner emulator: {present}")
            return
        if self.can_apt() and self.apt_install(APT_EMULATOR):
            present = machine.find_emulator()
            if present:
                self.found.append(
                    f"spanner emulator: {present} (installed: apt package {APT_EMULATOR})"
                )
                return
            print(f"set-up: {APT_EMULATOR} installed, yet no emulator_main found", file=sys.stderr)
        if backend == "auto" and machine.docker_answers():
            self.found.append("spanner emulator: through Docker (docker-compose.yml)")
            return
        self.problems.append(EMULATOR_HELP)

    # -- faketime (only for the clock-shifted run) ----------------------------------------

    def ensure_faketime(self) -> None:
        present = self.machine.find_faketime()
        if present:
            self.found.append(f"faketime: {present}")
            return
        present = self._apt_optional(APT_FAKETIME, self.machine.find_faketime, "libfaketime")
        if present:
            self.found.append(f"faketime: {present} (installed: apt package {APT_FAKETIME})")
            return
        self.notes.append(FAKETIME_HELP)

    def run(self) -> int:
        if self.ensure_driver():
            self.ensure_browser()
        self.ensure_emulator()
        self.ensure_faketime()
        for line in self.found:
            print(line)
        sys.stdout.flush()
        for note in self.notes:
            print(f"not needed by make test, missing: {note}", file=sys.stderr)
        for problem in self.problems:
            print(f"missing: {problem}", file=sys.stderr)
        return 1 if self.problems else 0


# -- the real machine ------------------------------------------------------------------------


def run_bounded(command: Sequence[str], timeout: float, what: str) -> bool:
    """Run `command` in its own process group; on timeout stop the group and say what it was."""
    print(f"set-up: {what}: {' '.join(command)}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with tempfile.TemporaryFile() as output:
        try:
            child = subprocess.Popen(
                list(command),
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        except OSError as error:
            print(f"set-up: {what} could not start: {error}", file=sys.stderr)
            return False
        try:
            code = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(child)
            print(f"set-up: gave up waiting for {what} after {timeout:.0f} s", file=sys.stderr)
            code = None
        except BaseException:
            _kill_group(child)
            raise
        if code != 0:
            output.seek(0)
            lines = output.read().decode(errors="replace").splitlines()[-15:]
            if code is not None:
                print(f"set-up: {what} failed (exit status {code}):", file=sys.stderr)
            print("\n".join(f"    {line}" for line in lines), file=sys.stderr)
        return code == 0


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    child.wait()


def find_faketime(environ: Mapping[str, str] = os.environ) -> str | None:
    """libfaketime's preload library, as scripts/at_hour.sh finds it; None when missing."""
    if explicit := environ.get("LIBFAKETIME"):
        return explicit if Path(explicit).is_file() else None
    for pattern in FAKETIME_LIBRARY_GLOBS:
        for library in sorted(glob.glob(pattern)):
            if Path(library).is_file():
                return library
    return None


def read_settings(environ: Mapping[str, str]) -> Settings:
    """Settings as behave would build them: behave.ini's userdata, then the environment."""
    userdata: dict[str, str] = {}
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keep the keys' case
    if parser.read(REPO / "behave.ini") and parser.has_section("behave.userdata"):
        userdata = dict(parser.items("behave.userdata"))
    # a product's <product>.base_url needs the product declarations; the set-up needs none
    userdata = {key: value for key, value in userdata.items() if not key.endswith(".base_url")}
    return load_settings(userdata, environ)


class RealMachine:
    """This machine; Playwright is started on first use (after its driver was checked)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._manager: PlaywrightContextManager | None = None
        self._playwright: Playwright | None = None

    def playwright(self) -> Playwright:
        if self._playwright is None:
            self._manager = sync_playwright()
            self._playwright = self._manager.start()
        return self._playwright

    def close(self) -> None:
        if self._manager is not None:
            self._manager.__exit__(None, None, None)
            self._manager = self._playwright = None

    def driver_problem(self) -> str | None:
        try:  # where the playwright package keeps its Node.js (what `python -m playwright` runs)
            from playwright._impl._driver import compute_driver_executable

            node = compute_driver_executable()[0]
        except Exception:  # another layout: starting Playwright will tell
            return None
        try:
            result = subprocess.run(
                [node, "--version"], capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"{node}: {error}"
        if result.returncode == 0:
            return None
        return (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"

    def find_browser(self) -> str | None:
        playwright, settings = self.playwright(), self.settings
        if settings.browser != "chromium":
            bundled = Path(getattr(playwright, settings.browser).executable_path)
            title = TITLES.get(settings.browser, settings.browser)
            return f"Playwright's own {title}" if bundled.is_file() else None
        try:
            system = chromium_executable(playwright, settings.browser_executable)
        except BrowserLaunchError:
            return None
        return system or "Playwright's own Chromium"

    @staticmethod
    def find_headless_shell() -> str | None:
        return next(filter(None, map(shutil.which, SYSTEM_HEADLESS_SHELLS)), None)

    def browser_starts(self) -> str | None:
        try:
            browser = launch_browser(self.playwright(), self.settings)
        except Exception as error:  # any launch failure is the answer
            return str(error).strip().splitlines()[0]
        try:
            page = browser.new_page()
            page.set_default_timeout(BROWSER_START_TIMEOUT_MS)
            page.set_content("<p>set-up check</p>")
            if page.inner_text("p") != "set-up check":
                return "it started but did not show a page"
            return None
        except Exception as error:
            return str(error).strip().splitlines()[0]
        finally:
            browser.close()

    @staticmethod
    def find_emulator() -> str | None:
        binary = find_emulator_binary(None)
        return str(binary) if binary else None

    @staticmethod
    def find_faketime() -> str | None:
        return find_faketime()

    def machine(self) -> Machine:
        return Machine(
            run=run_bounded,
            is_root=lambda: os.geteuid() == 0,
            has_apt=lambda: shutil.which("apt-get") is not None,
            find_browser=self.find_browser,
            browser_starts=self.browser_starts,
            find_emulator=self.find_emulator,
            docker_answers=docker_engine_answers,
            driver_problem=self.driver_problem,
            find_faketime=self.find_faketime,
            find_headless_shell=self.find_headless_shell,
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.setup_check", description=__doc__)
    parser.add_argument(
        "--install", action="store_true", help="install what is missing (what `make setup` runs)"
    )
    args = parser.parse_args(argv)
    try:
        settings = read_settings(os.environ)
    except SettingsError as error:
        print(f"set-up: {error}", file=sys.stderr)
        return 1
    machine = RealMachine(settings)
    try:
        return Setup(settings, machine.machine(), install=args.install).run()
    finally:
        machine.close()


if __name__ == "__main__":
    sys.exit(main())
