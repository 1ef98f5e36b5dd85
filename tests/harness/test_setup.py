"""The set-up's decisions (harness/setup_check.py) and the pins it installs (constraints.txt).

Most tests hand `Setup` a fake machine and read what it ran. A few run the real module with a
fake PATH (a recording `apt-get`, no Chromium) and an environment that points Playwright's
download at a closed local port: no network, and no change to this machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pytest

from base.ports import free_port
from harness.config import load_settings
from harness.setup_check import (
    APT_CHROMIUM,
    APT_EMULATOR,
    APT_FAKETIME,
    APT_HEADLESS_SHELL,
    Machine,
    Setup,
    find_faketime,
)

REPO = Path(__file__).resolve().parents[2]
PLAYWRIGHT = ["python", "-m", "playwright"]
LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


@dataclass
class FakeMachine:
    """A machine whose state the fake commands change: `works` lists the commands that succeed
    (by a word in them), and what each one brings."""

    root: bool = True
    apt: bool = True
    browser: str | None = None
    emulator: str | None = None
    docker: bool = False
    works: tuple[str, ...] = ()
    starts_after: int = 0  # how many start attempts fail before the browser starts
    driver: str | None = None  # what Playwright's driver says when it does not start
    faketime: str | None = LIBFAKETIME  # libfaketime (present unless a test says otherwise)
    faketime_arrives: bool = True  # whether installing the package brings the library
    # Chromium's headless shell: present unless a test says otherwise (None)
    headless_shell: str | None = "/usr/bin/chromium-headless-shell"
    commands: list[str] = field(default_factory=list)
    start_attempts: int = 0

    def run(self, command: list[str], timeout: float, what: str) -> bool:
        assert timeout > 0 and what
        line = " ".join(command)
        self.commands.append(line)
        if not any(word in line for word in self.works):
            return False
        if line.endswith(("playwright install chromium", "playwright install firefox")):
            self.browser = "Playwright's own browser"
        elif line.endswith(f"install -y -q {APT_CHROMIUM}"):
            self.browser = "/usr/bin/chromium"
        elif line.endswith("install -y -q libatomic1"):
            self.driver = None
        elif line.endswith(f"install -y -q {APT_EMULATOR}"):
            self.emulator = "/usr/lib/google-cloud-sdk/bin/cloud_spanner_emulator/emulator_main"
        elif line.endswith(f"install -y -q {APT_FAKETIME}") and self.faketime_arrives:
            self.faketime = LIBFAKETIME
        elif line.endswith(f"install -y -q {APT_HEADLESS_SHELL}"):
            self.headless_shell = "/usr/bin/chromium-headless-shell"
        return True

    def browser_starts(self) -> str | None:
        self.start_attempts += 1
        return None if self.start_attempts > self.starts_after else "libnss3.so: not found"

    def machine(self) -> Machine:
        return Machine(
            run=self.run,
            is_root=lambda: self.root,
            has_apt=lambda: self.apt,
            find_browser=lambda: self.browser,
            browser_starts=self.browser_starts,
            find_emulator=lambda: self.emulator,
            docker_answers=lambda: self.docker,
            driver_problem=lambda: self.driver,
            playwright_cli=PLAYWRIGHT,
            find_faketime=lambda: self.faketime,
            find_headless_shell=lambda: self.headless_shell,
        )


def set_up(
    fake: FakeMachine,
    capsys: pytest.CaptureFixture[str],
    environ: dict[str, str] | None = None,
    install: bool = True,
) -> tuple[int, str]:
    settings = load_settings({}, environ=environ or {})
    status = Setup(settings, fake.machine(), install=install).run()
    captured = capsys.readouterr()
    return status, captured.out + captured.err


EMULATOR = "/usr/lib/google-cloud-sdk/bin/cloud_spanner_emulator/emulator_main"
# as root, when Playwright's download of its Chromium fails: the system's, by apt
APT_CHROMIUM_AFTER_THE_DOWNLOAD = [
    "python -m playwright install chromium",
    "apt-get update -q",
    f"apt-get install -y -q {APT_CHROMIUM}",
]


def test_nothing_is_run_when_the_browser_and_the_emulator_are_there(capsys) -> None:
    fake = FakeMachine(browser="/usr/bin/chromium", emulator=EMULATOR)
    status, said = set_up(fake, capsys)
    assert (status, fake.commands) == (0, [])
    assert "browser: /usr/bin/chromium" in said and f"spanner emulator: {EMULATOR}" in said


def test_playwright_s_own_chromium_when_its_download_works(capsys) -> None:
    fake = FakeMachine(emulator=EMULATOR, works=("playwright install",))
    status, said = set_up(fake, capsys)
    assert status == 0
    assert fake.commands == ["python -m playwright install chromium"]
    assert "installed: Playwright's own Chromium" in said


def test_as_root_the_apt_chromium_when_playwright_s_download_fails(capsys) -> None:
    fake = FakeMachine(emulator=EMULATOR, works=("apt-get",))
    status, said = set_up(fake, capsys)
    assert status == 0
    assert fake.commands == APT_CHROMIUM_AFTER_THE_DOWNLOAD
    assert "browser: /usr/bin/chromium (installed: apt package chromium)" in said


def test_not_root_a_message_naming_both_ways_and_no_apt(capsys) -> None:
    fake = FakeMachine(root=False, emulator=EMULATOR, works=("apt-get",))
    status, said = set_up(fake, capsys)
    assert status == 1
    assert fake.commands == ["python -m playwright install chromium"]
    for way in (
        ".venv/bin/playwright install --with-deps chromium",
        "apt-get install -y chromium",
        "-D browser.executable=",
        "-D browser.ws_endpoint=",
    ):
        assert way in said


def test_root_without_apt_gets_the_message(capsys) -> None:
    fake = FakeMachine(apt=False, emulator=EMULATOR, works=("apt-get",))
    status, said = set_up(fake, capsys)
    assert status == 1 and "apt-get update -q" not in fake.commands
    assert "apt-get install -y chromium" in said


def test_playwright_s_chromium_gets_its_system_libraries_when_it_does_not_start(capsys) -> None:
    fake = FakeMachine(emulator=EMULATOR, works=("playwright",), starts_after=1)
    status, said = set_up(fake, capsys)
    assert status == 0
    assert fake.commands == [
        "python -m playwright install chromium",
        "python -m playwright install-deps chromium",
    ]
    assert "libnss3" not in said.split("browser:")[-1]


def test_an_installed_browser_that_does_not_start_does_not_count(capsys) -> None:
    fake = FakeMachine(root=False, emulator=EMULATOR, works=("playwright",), starts_after=9)
    status, said = set_up(fake, capsys)
    assert status == 1
    assert "does not start: libnss3.so: not found" in said
    assert "apt-get install -y chromium" in said


def test_without_install_nothing_is_run(capsys) -> None:
    fake = FakeMachine(works=("apt-get", "playwright"))
    status, said = set_up(fake, capsys, install=False)
    assert (status, fake.commands) == (1, [])
    assert "apt-get install -y chromium" in said and APT_EMULATOR in said


def test_a_remote_playwright_server_needs_no_local_browser(capsys) -> None:
    fake = FakeMachine(emulator=EMULATOR, works=("apt-get", "playwright"))
    status, said = set_up(fake, capsys, {"PW_WS_ENDPOINT": "ws://127.0.0.1:3000/x"})
    assert (status, fake.commands) == (0, [])
    assert "Playwright server at ws://127.0.0.1:3000/x" in said


def test_a_browser_executable_that_is_not_there_is_named_not_installed(capsys) -> None:
    fake = FakeMachine(emulator=EMULATOR, works=("apt-get", "playwright"))
    status, said = set_up(fake, capsys, {"BROWSER_EXECUTABLE": "/nowhere/chromium"})
    assert (status, fake.commands) == (1, [])
    assert "browser.executable: no file at /nowhere/chromium" in said


def test_another_engine_has_no_apt_way(capsys) -> None:
    fake = FakeMachine(emulator=EMULATOR, works=("apt-get",))
    status, said = set_up(fake, capsys, {"BROWSER": "firefox"})
    assert status == 1
    assert fake.commands == ["python -m playwright install firefox"]
    assert (
        "playwright install --with-deps firefox" in said
        and "apt-get install -y chromium" not in said
    )


NODE_WITHOUT_LIBATOMIC = (
    ".venv/lib/python3.11/site-packages/playwright/driver/node: error while loading shared "
    "libraries: libatomic.so.1: cannot open shared object file: No such file or directory"
)


def test_as_root_the_library_playwright_s_driver_lacks(capsys) -> None:
    fake = FakeMachine(
        browser="/usr/bin/chromium", emulator=EMULATOR, driver=NODE_WITHOUT_LIBATOMIC,
        works=("apt-get",),
    )  # fmt: skip
    status, said = set_up(fake, capsys)
    assert status == 0, said
    assert fake.commands == ["apt-get update -q", "apt-get install -y -q libatomic1"]


def test_not_root_the_driver_s_missing_library_is_named(capsys) -> None:
    fake = FakeMachine(root=False, emulator=EMULATOR, driver=NODE_WITHOUT_LIBATOMIC)
    status, said = set_up(fake, capsys)
    assert (status, fake.commands) == (1, [])
    assert "libatomic.so.1" in said and "sudo apt-get install -y libatomic1" in said
    assert f"spanner emulator: {EMULATOR}" in said  # checked all the same


def test_as_root_the_emulator_package_when_it_is_missing(capsys) -> None:
    fake = FakeMachine(browser="/usr/bin/chromium", works=("apt-get",))
    status, said = set_up(fake, capsys)
    assert status == 0
    assert fake.commands == ["apt-get update -q", f"apt-get install -y -q {APT_EMULATOR}"]
    assert f"installed: apt package {APT_EMULATOR}" in said


def test_apt_get_update_runs_once_for_both_packages(capsys) -> None:
    fake = FakeMachine(works=("apt-get",))
    status, _ = set_up(fake, capsys)
    assert status == 0
    assert fake.commands.count("apt-get update -q") == 1
    assert fake.commands[-1] == f"apt-get install -y -q {APT_EMULATOR}"


@pytest.mark.parametrize(
    "environ",
    [
        {"SPANNER_EMULATOR_HOST": "127.0.0.1:9010"},
        {"SPANNER_BACKEND": "cloud"},
    ],
)
def test_no_emulator_is_installed_when_the_settings_bring_spanner(environ, capsys) -> None:
    fake = FakeMachine(browser="/usr/bin/chromium", works=("apt-get",))
    status, _ = set_up(fake, capsys, environ)
    assert (status, fake.commands) == (0, [])


def test_smoke_mode_on_cloud_spanner_installs_the_emulator_for_the_schema_check(capsys) -> None:
    fake = FakeMachine(browser="/usr/bin/chromium", works=("apt-get",))
    status, said = set_up(fake, capsys, {"SPANNER_BACKEND": "cloud", "SUITE_MODE": "smoke"})
    assert status == 0
    assert fake.commands == ["apt-get update -q", f"apt-get install -y -q {APT_EMULATOR}"]


def test_an_emulator_binary_that_is_not_there_is_named_not_installed(capsys) -> None:
    fake = FakeMachine(browser="/usr/bin/chromium", works=("apt-get",))
    status, said = set_up(fake, capsys, {"SPANNER_EMULATOR_BINARY": "/nowhere/emulator_main"})
    assert (status, fake.commands) == (1, [])
    assert "spanner.emulator_binary: no file at /nowhere/emulator_main" in said


def test_not_root_the_emulator_message_names_the_ways(capsys) -> None:
    fake = FakeMachine(root=False, browser="/usr/bin/chromium", works=("apt-get",))
    status, said = set_up(fake, capsys)
    assert (status, fake.commands) == (1, [])
    for way in (f"apt-get install -y {APT_EMULATOR}", "SPANNER_EMULATOR_HOST", "Docker"):
        assert way in said


def test_docker_serves_when_the_emulator_package_cannot_be_had(capsys) -> None:
    fake = FakeMachine(browser="/usr/bin/chromium", docker=True)  # apt-get fails
    status, said = set_up(fake, capsys)
    assert status == 0
    assert f"apt-get install -y -q {APT_EMULATOR}" in fake.commands
    assert "through Docker" in said


# -- faketime: only `make behave-la-evening` needs it ----------------------------------------


def test_as_root_faketime_is_installed_when_missing(capsys) -> None:
    fake = FakeMachine(browser="/usr/bin/chromium", emulator=EMULATOR, faketime=None,
                       works=("apt-get",))  # fmt: skip
    status, said = set_up(fake, capsys)
    assert status == 0, said
    assert fake.commands == ["apt-get update -q", f"apt-get install -y -q {APT_FAKETIME}"]
    assert f"faketime: {LIBFAKETIME} (installed: apt package {APT_FAKETIME})" in said


def test_faketime_that_is_there_is_named_and_nothing_is_run(capsys) -> None:
    fake = FakeMachine(browser="/usr/bin/chromium", emulator=EMULATOR, works=("apt-get",))
    status, said = set_up(fake, capsys)
    assert (status, fake.commands) == (0, [])
    assert f"faketime: {LIBFAKETIME}" in said and "missing" not in said


def test_apt_get_update_runs_once_for_every_package(capsys) -> None:
    fake = FakeMachine(faketime=None, works=("apt-get",))
    status, said = set_up(fake, capsys)
    assert status == 0, said
    assert fake.commands == [
        *APT_CHROMIUM_AFTER_THE_DOWNLOAD,
        f"apt-get install -y -q {APT_EMULATOR}",
        f"apt-get install -y -q {APT_FAKETIME}",
    ]


@pytest.mark.parametrize(
    "fake",
    [
        FakeMachine(root=False, works=("apt-get",)),  # not root: apt is not tried
        FakeMachine(apt=False, works=("apt-get",)),  # no apt-get
        FakeMachine(),  # apt-get fails
        FakeMachine(works=("apt-get",), faketime_arrives=False),  # installed, yet no library
    ],
    ids=["not-root", "no-apt", "apt-fails", "no-library-after"],
)
def test_without_faketime_the_set_up_says_how_to_get_it_and_still_succeeds(fake, capsys) -> None:
    fake.browser, fake.emulator, fake.faketime = "/usr/bin/chromium", EMULATOR, None
    status, said = set_up(fake, capsys)
    assert status == 0, said
    assert f"sudo apt-get install -y {APT_FAKETIME}" in said
    assert "make behave-la-evening" in said and "not needed by make test" in said
    if not fake.root:
        assert fake.commands == []


def test_without_install_a_missing_faketime_is_only_named(capsys) -> None:
    fake = FakeMachine(browser="/usr/bin/chromium", emulator=EMULATOR, faketime=None,
                       works=("apt-get",))  # fmt: skip
    status, said = set_up(fake, capsys, install=False)
    assert (status, fake.commands) == (0, [])
    assert f"sudo apt-get install -y {APT_FAKETIME}" in said


def test_find_faketime_takes_libfaketime_from_the_environment(tmp_path: Path) -> None:
    library = tmp_path / "libfaketime.so.1"
    assert find_faketime({"LIBFAKETIME": str(library)}) is None
    library.touch()
    assert find_faketime({"LIBFAKETIME": str(library)}) == str(library)


# -- the real module, with a fake PATH and environment ---------------------------------------

FAKE_APT_GET = """#!/bin/sh
# records its arguments; `install ... chromium` leaves a chromium on the fake PATH
PATH=/usr/bin:/bin
echo "$*" >> "{calls}"
case "$*" in
  *install*" chromium")
    printf '#!/bin/sh\\nPATH=/usr/bin:/bin exec {chromium} "$@"\\n' > "{bin}/chromium"
    chmod 755 "{bin}/chromium" ;;
esac
exit 0
"""


@pytest.fixture
def fake_machine() -> Iterator[Path]:
    """A world-readable folder (the set-up may run as `nobody`): bin/ with the fake apt-get,
    calls.log, and an empty Playwright browser folder."""
    folder = Path(tempfile.mkdtemp(prefix="setup-test-"))
    try:
        (folder / "bin").mkdir()
        (folder / "browsers").mkdir()
        calls = folder / "calls.log"
        calls.touch()
        real_chromium = shutil.which("chromium") or "/usr/bin/chromium"
        apt_get = folder / "bin" / "apt-get"
        apt_get.write_text(
            FAKE_APT_GET.format(calls=calls, bin=folder / "bin", chromium=real_chromium)
        )
        for path in (folder, folder / "bin", folder / "browsers", calls, apt_get):
            path.chmod(0o777 if path.is_dir() or path == calls else 0o755)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def closed_download_host() -> str:
    """Where Playwright's download is refused at once: a free loopback port nobody listens on."""
    return f"http://127.0.0.1:{free_port()}"


SETPRIV = shutil.which("setpriv")
AS_NOBODY = [SETPRIV or "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
             "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]  # fmt: skip


def run_setup(folder: Path, env: dict[str, str], as_nobody: bool = False):
    command = [sys.executable, "-m", "harness.setup_check", "--install"]
    if as_nobody:  # a non-root user that may still read this checkout and its virtualenv
        command = [*AS_NOBODY, *command]
    return subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=180, check=False
    )


def no_browser_environment(folder: Path) -> dict[str, str]:
    """No Chromium on PATH, no Playwright browser, its download refused, the emulator given."""
    return {
        "PATH": str(folder / "bin"),
        "HOME": str(folder),
        "PLAYWRIGHT_BROWSERS_PATH": str(folder / "browsers"),
        "PLAYWRIGHT_DOWNLOAD_HOST": closed_download_host(),
        "SPANNER_EMULATOR_HOST": "127.0.0.1:9010",
    }


def test_the_real_set_up_runs_nothing_when_all_is_there(fake_machine: Path) -> None:
    env = {**os.environ, "PATH": f"{fake_machine / 'bin'}:{os.environ.get('PATH', '')}"}
    check = run_setup(fake_machine, env)
    if check.returncode != 0:
        pytest.skip(f"this machine lacks something the suite needs:\n{check.stderr}")
    if find_faketime() is None:
        pytest.skip("this machine lacks faketime, which the set-up (as root) would install")
    started = time.monotonic()
    again = run_setup(fake_machine, env)
    took = time.monotonic() - started
    assert again.returncode == 0, again.stderr
    assert (fake_machine / "calls.log").read_text() == "", "apt-get ran with nothing missing"
    assert "browser:" in again.stdout and "spanner" in again.stdout
    assert took < 15, f"the set-up took {took:.1f} s with nothing to do"


@pytest.mark.skipif(os.geteuid() != 0, reason="the apt way is for root")
def test_the_real_set_up_as_root_takes_apt_chromium_when_the_download_fails(
    fake_machine: Path,
) -> None:
    if not Path(shutil.which("chromium") or "/usr/bin/chromium").is_file():
        pytest.skip("no real Chromium for the fake apt-get to hand over")
    result = run_setup(fake_machine, no_browser_environment(fake_machine))
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    assert "Playwright's download of its Chromium" in said
    # faketime comes last, when this machine lacks it (the fake apt-get does not bring it)
    missing_faketime = [f"install -y -q {APT_FAKETIME}"] if find_faketime() is None else []
    assert (fake_machine / "calls.log").read_text().splitlines() == [
        "update -q",
        "install -y -q chromium",
        f"install -y -q {APT_HEADLESS_SHELL}",  # the fake apt-get brings Chromium only
        *missing_faketime,
    ]
    assert re.search(r"browser: \S+/bin/chromium \(installed: apt package chromium\)", said)
    assert "headless shell: none" in said


def test_the_real_set_up_not_as_root_names_both_ways(fake_machine: Path) -> None:
    as_nobody = os.geteuid() == 0
    if as_nobody and not SETPRIV:
        pytest.skip("running as root, and no setpriv to become another user")
    result = run_setup(fake_machine, no_browser_environment(fake_machine), as_nobody)
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert (fake_machine / "calls.log").read_text() == "", "apt-get ran without root"
    assert (
        "playwright install --with-deps chromium" in said and "apt-get install -y chromium" in said
    )
    assert "-D browser.executable=" in said


# -- the pins ---------------------------------------------------------------------------------

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


def read_pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            match = PIN.match(line.strip())
            assert match, f"{path.name}: not a name==version pin: {line!r}"
            pins[match.group(1)] = match.group(2)
    return pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_constraints_are_sorted_and_pin_grpcio() -> None:
    text = (REPO / "constraints.txt").read_text()
    assert text.startswith("#") and "make constraints" in text
    names = list(read_pins(REPO / "constraints.txt"))
    assert names == sorted(names, key=str.lower), "constraints.txt is not sorted by name"
    assert "grpcio" in names


def test_every_requirement_is_pinned_at_its_version() -> None:
    pins = {
        canonical(name): version for name, version in read_pins(REPO / "constraints.txt").items()
    }
    for name, version in read_pins(REPO / "requirements.txt").items():
        assert pins.get(canonical(name)) == version, f"constraints.txt: {name}=={version}"


def test_what_is_installed_is_what_the_constraints_pin() -> None:
    """Run in the virtualenv `make setup` built: a requirement added without `make constraints`
    pulls unpinned packages, and shows up here."""
    pins = {
        canonical(name): version for name, version in read_pins(REPO / "constraints.txt").items()
    }
    # this project (installed editable), and the installer's own tools, which a virtualenv
    # made before they were pinned may still have at another version
    skipped = {"spanner-acceptance", "pip", "setuptools", "wheel"}
    installed = {
        canonical(dist.metadata["Name"] or ""): dist.version for dist in metadata.distributions()
    }
    differ = sorted(
        f"{name}=={version} (pinned: {pins.get(name, 'not at all')})"
        for name, version in installed.items()
        if name and name not in skipped and pins.get(name) != version
    )
    assert not differ, (
        "installed, but not so pinned in constraints.txt (make setup; make constraints): "
        + ", ".join(differ)
    )


def test_as_root_the_headless_shell_beside_the_apt_chromium(capsys) -> None:
    fake = FakeMachine(emulator=EMULATOR, works=("apt-get",), headless_shell=None)
    status, said = set_up(fake, capsys)
    assert status == 0, said
    assert fake.commands == [
        *APT_CHROMIUM_AFTER_THE_DOWNLOAD,
        f"apt-get install -y -q {APT_HEADLESS_SHELL}",
    ]
    assert "headless shell: /usr/bin/chromium-headless-shell (installed: apt package)" in said


def test_a_machine_with_chromium_but_no_headless_shell_gets_it_as_root(capsys) -> None:
    fake = FakeMachine(
        browser="/usr/bin/chromium", emulator=EMULATOR, works=("apt-get",), headless_shell=None
    )
    status, said = set_up(fake, capsys)
    assert status == 0, said
    assert fake.commands == ["apt-get update -q", f"apt-get install -y -q {APT_HEADLESS_SHELL}"]


def test_without_the_headless_shell_the_set_up_says_so_and_succeeds(capsys) -> None:
    fake = FakeMachine(root=False, browser="/usr/bin/chromium", emulator=EMULATOR,
                       headless_shell=None)  # fmt: skip
    status, said = set_up(fake, capsys)
    assert (status, fake.commands) == (0, [])
    assert f"apt-get install -y {APT_HEADLESS_SHELL}` makes them faster" in said


def test_playwright_s_own_chromium_needs_no_headless_shell(capsys) -> None:
    fake = FakeMachine(emulator=EMULATOR, works=("playwright install",), headless_shell=None)
    status, _ = set_up(fake, capsys)
    assert status == 0
    assert fake.commands == ["python -m playwright install chromium"]
