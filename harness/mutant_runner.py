"""behave's runner that stays up for a mutation worker: `behave --runner
harness.mutant_runner:MutantRunner <features> ...` with SUITE_MUTANT_SOCKET naming a Unix
socket (mutation/worker.py starts it in its copy of the tree; mutation/ask.py asks it).

A mutant's run in a behave of its own pays the interpreter, the emulator, the databases, the
browser and the apps before its first scenario: seconds, for every mutant. This runner starts
them once (before_all over the features named) and then serves runs, one at a time: each names
scenarios (file:line, or a whole feature file) in the order to run them. The apps are started
again first, so that they read the mutated code; the baseline is restored before each scenario
as in any run; the run stops at the first scenario that fails. The answer (one JSON line): how
many scenarios ran, and the first failure's location, name and message, or none. Should a
service other than the apps die (the emulator, the browser), or the run be aborted, no later
answer could be trusted: the answer says it is broken, and the runner ends (the worker starts
another; mutation/ask.py runs that mutant's scenarios in a behave of their own).

With SUITE_MUTANT_DURATIONS naming a file, each scenario's time is appended to it (a JSON line,
{"location", "seconds"}): the workers put the quickest of the likely killers first.

Without SUITE_MUTANT_SOCKET it is behave's own runner.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from behave.formatter._registry import make_formatters
from behave.model_core import Status
from behave.runner import Context, Runner, the_step_registry
from behave.runner_util import FileLocationParser, parse_features

from harness import code_swap

MUTANT_SOCKET_ENV = "SUITE_MUTANT_SOCKET"
DURATIONS_ENV = "SUITE_MUTANT_DURATIONS"
MESSAGE_LIMIT = 2000
SWAP_TIMEOUT = 5.0  # seconds for an app to take a mutant's code, or to answer its health page


class MutantRunner(Runner):
    def run_with_paths(self):
        socket_path = os.environ.get(MUTANT_SOCKET_ENV)
        if not socket_path:
            return super().run_with_paths()
        self.context = Context(self)
        self.last_at_start = False  # the apps run a change made at their start
        self.load_hooks()
        self.load_step_definitions()
        locations = [path for path in self.feature_locations() if not self.config.exclude(path)]
        self.features.extend(parse_features(locations, language=self.config.lang))
        self.formatters = make_formatters(self.config, self.config.outputs)
        self.config.stop = True  # a run ends at its first failing scenario
        if self.step_registry is None:  # as run_model: the registry the step files filled
            self.step_registry = the_step_registry
        self.hook_failures = 0
        self.run_hook("before_all")
        try:
            if not (self.aborted or self.hook_failures):
                self._serve(Path(socket_path))
        except KeyboardInterrupt as stopped:  # Ctrl-C, or SIGTERM (base/processes.py)
            self.abort(reason=str(stopped) or "KeyboardInterrupt")
        finally:
            self.run_hook_with_capture("after_all")
            self.context._do_remaining_cleanups()
            for formatter in self.formatters:
                formatter.close()
        return bool(self.aborted or self.hook_failures)

    def _serve(self, path: Path) -> None:
        """Answer runs until asked to stop. The socket appears only once it listens."""
        waiting = path.with_name(path.name + ".new")
        waiting.unlink(missing_ok=True)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            server.bind(str(waiting))
            server.listen(4)
            os.replace(waiting, path)
            try:
                while True:
                    connection, _ = server.accept()
                    with connection:
                        request = json.loads(connection.makefile("rb").readline() or b"{}")
                        if request.get("stop"):
                            return
                        answer = self.run_scenarios(
                            request.get("locations") or [], bool(request.get("restart_apps"))
                        )
                        try:
                            connection.sendall(json.dumps(answer).encode() + b"\n")
                        except OSError:
                            pass  # the asker was stopped (its time-out): nobody waits
                    if "broken" in answer:
                        return
            finally:
                path.unlink(missing_ok=True)

    def run_scenarios(self, locations: list[str], restart_apps: bool = False) -> dict:
        """Put the code into the apps (restart_apps: by starting them again), then run the
        scenarios in order up to the first that fails."""
        started = time.perf_counter()
        answer: dict = {"ran": 0, "failed": None}
        try:
            answer["code"] = put_code_in(self.context, restart_apps, self.last_at_start)
            self.last_at_start = restart_apps
        except Exception as error:  # the mutated app does not start: a run of it fails there
            answer["failed"] = failure("(the apps' start)", "starting the apps", error)
            return answer
        if broken := self._broken():
            return {"broken": broken}
        answer["restart_seconds"] = round(time.perf_counter() - started, 3)
        for group in by_file(self._scenarios_of(locations)):
            for feature in parse_features(
                [FileLocationParser.parse(location) for location in group],
                language=self.config.lang,
            ):
                self.feature = feature
                for formatter in self.formatters:
                    formatter.uri(feature.filename)
                failed = feature.run(self)
                measured = [s for s in feature.walk_scenarios() if ran(s)]
                answer["ran"] += len(measured)
                record_durations(measured)
                if broken := self._broken():
                    return {"broken": broken}
                if failed:
                    answer["failed"] = first_failure(feature)
                    answer["seconds"] = round(time.perf_counter() - started, 3)
                    return answer
        answer["seconds"] = round(time.perf_counter() - started, 3)
        return answer

    def _broken(self) -> str | None:
        """Why no answer of this runner can be trusted any more, if so. An app's death is not
        such a reason: the mutant did it (its scenario failed), and the next run restarts it."""
        if self.aborted:
            return "the run was aborted"
        watchdog = self.context.watchdog
        cause = watchdog.check_now()
        return None if cause is None or (watchdog.dead or "").startswith("app ") else cause

    def _scenarios_of(self, locations: list[str]) -> Iterator[str]:
        """Each scenario once, in the order asked (a feature file: its scenarios)."""
        seen: set[str] = set()
        for location in locations:
            if ":" in location:
                found = [location]
            else:
                found = [
                    f"{scenario.filename}:{scenario.line}"
                    for feature in parse_features(
                        [FileLocationParser.parse(location)], language=self.config.lang
                    )
                    for scenario in feature.walk_scenarios()
                ]
            for one in found:
                if one not in seen:
                    seen.add(one)
                    yield one


def record_durations(scenarios: list) -> None:
    path = os.environ.get(DURATIONS_ENV)
    if not path or not scenarios:
        return
    lines = "".join(
        json.dumps({"location": f"{s.filename}:{s.line}", "seconds": round(s.duration, 3)}) + "\n"
        for s in scenarios
    )
    with open(path, "a", encoding="utf-8") as durations:
        fcntl.flock(durations, fcntl.LOCK_EX)  # the workers share the file
        durations.write(lines)


def put_code_in(context, restart: bool = False, last_at_start: bool = False) -> str:
    """The copy's code, as it is now, into the run's apps: swapped into the running apps where
    they can take it (SUITE_APP_CODE_SWAP, harness/code_swap.py) and still answer, else the
    apps started again; restart: started again, the change being in what runs at their start
    (what it made then, a route's handler, is made again only so). How it went in: "swapped"
    or "restarted: <why>". last_at_start: the apps were started on the last mutant, whose
    change ran at their start: what it made then must be made again, without it."""
    folder = os.environ.get(code_swap.ENV)
    apps = _own_apps(context)
    if not apps:
        return "none running yet"  # the first feature starts them, on the code as it is
    why = "no code-swap folder" if not folder else None
    if last_at_start:
        why = "the last change ran at the apps' start"
    if restart:
        why = "the change ran at the apps' start"
    for app, health_path in apps if folder and why is None else ():
        answer = code_swap.ask(Path(folder), _port(app), "swap", SWAP_TIMEOUT)
        why = answer.get("restart") or _unanswered(app.base_url + health_path)
        if why:
            break
    if why is None:
        return "swapped"
    restart_apps(context)
    for app, _ in _own_apps(context) if folder else ():
        code_swap.ask(Path(folder), _port(app), "remember", SWAP_TIMEOUT)
    return f"restarted: {why}"


def _own_apps(context) -> list:
    """(app, its health path) for each app the run started itself."""
    products = context.products
    return [
        (products.started[name].app, launch.health_path)
        for name, launch in products.launches.items()
        if name in products.started
    ]


def _port(app) -> int:
    return urlsplit(app.base_url).port


def _unanswered(health_url: str) -> str | None:
    """Why the app cannot serve the next scenario (a mutant that left its event loop stuck),
    or None: its health page answers within SWAP_TIMEOUT."""
    try:
        urllib.request.urlopen(health_url, timeout=SWAP_TIMEOUT).close()
    except (urllib.error.URLError, OSError) as error:
        return f"{health_url} did not answer within {SWAP_TIMEOUT:g} s: {error}"
    return None


def restart_apps(context) -> None:
    """The run's apps started again, each watched anew by the next feature's set-up (a death
    of the one before, the last mutant's doing, is forgiven)."""
    watched = {f"app {name}" for name in context.products.started}
    for name in watched:
        context.watchdog.forget(name)
    context.products.restart_apps()
    context.watchdog.pardon(watched)


def by_file(locations: Iterator[str]) -> Iterator[list[str]]:
    """Runs of consecutive locations in the same feature file, each in the file's order (behave
    runs a feature's scenarios so): a location before the previous one starts a new run."""
    group: list[str] = []
    for location in locations:
        if group and not _follows(group[-1], location):
            yield group
            group = []
        group.append(location)
    if group:
        yield group


def _follows(previous: str, location: str) -> bool:
    before, _, before_line = previous.rpartition(":")
    filename, _, line = location.rpartition(":")
    return filename == before and int(line) > int(before_line)


def ran(scenario) -> bool:
    return scenario.status not in (Status.untested, Status.skipped)


def first_failure(feature) -> dict:
    for scenario in feature.walk_scenarios():
        if scenario.status.has_failed():
            steps = [step for step in scenario.all_steps if step.status.has_failed()]
            message = (
                (steps[0].error_message if steps else None)
                or scenario.error_message
                or getattr(scenario, "exception", None)
                or scenario.captured.make_report()
            )
            return failure(f"{scenario.filename}:{scenario.line}", scenario.name, message)
    message = getattr(feature, "error_message", None) or "the feature's set-up failed"
    return failure(feature.filename, feature.name, message)


def failure(location: str, name: str, message: object) -> dict:
    return {"location": location, "name": name, "message": str(message or "")[:MESSAGE_LIMIT]}
