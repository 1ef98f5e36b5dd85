"""`python mutation/worker.py PORT KILLS SUITE-LOG`: cosmic-ray's HTTP worker, listening on the
loopback only, that tries first the scenarios that killed this module's earlier mutants.

cosmic-ray's own `cosmic-ray http-worker --port` listens on every interface; this serves the
same handler (cosmic_ray.distribution.http.handle_mutate_and_test) on 127.0.0.1. The worker
mutates, tests and restores the module paths it is sent relative to its working directory,
which mutation/run.py makes a copy of the tree of its own.

A mutant is killed by its first failing scenario (behave --stop), and the scenarios that killed
a module's earlier mutants are the likeliest to kill the next one. Every worker appends each
kill (module, failing scenario's file:line) to the shared file KILLS; for a mutant whose module
has kills, the test command becomes two runs: first only those scenarios (at most FIRST_TRY),
then, if they all pass, every feature, the killing features first. A survivor therefore still
runs every scenario: the order changes the time, never the outcome.

The test command is the suite's runner (harness/run_suite.py). With --workers N its behave
processes write only to its log (SUITE-LOG, relative to the copy, each line marked `w<N>| `), so
the failing scenario is looked for there when the output does not name it.

With --killers FILE (mutation/killers.py: the scenario that killed each mutant in the last
runs) a mutant's last killer runs first, when it still reaches the mutant; then the killers of
the other mutants of its statement (this run's and the last runs'), which is what a mutant no
run has killed yet is most likely killed by.

With --kept-behave COMMAND the worker keeps one behave up in its copy (harness/mutant_runner.py:
the emulator, the databases and the browser started once, the apps restarted per mutant) and a
mutant's test command asks it to run the scenarios, in the same order (mutation/ask.py); the
planned command stays that command's fallback, run when the kept behave does not answer.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import killers
from aiohttp import web
from cosmic_ray.distribution.http import handle_mutate_and_test
from coverage_map import mutant_key, read_covering, start_up_file

from base.processes import spawn, stop
from harness import code_swap
from harness.mutant_runner import DURATIONS_ENV, MUTANT_SOCKET_ENV

FIRST_TRY = 3
NOT_REACHED = "mutation: no scenario runs this statement (mutation/coverage_map.py): survived"
_FAILING = re.compile(r"^(w\d+\| )?Failing scenarios:$", re.MULTILINE)
_SCENARIO = re.compile(r"\s*(\S+\.feature):(\d+)\s")


class KillLog:
    """The kills of every worker of the run, one JSON line each, in a file they share."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def add(self, modules: set[str], location: str, mutants: Sequence[str] = ()) -> None:
        lines = "".join(
            json.dumps({"module": m, "location": location, "mutants": list(mutants)}) + "\n"
            for m in modules
        )
        with self.path.open("a", encoding="utf-8") as log:
            fcntl.flock(log, fcntl.LOCK_EX)
            log.write(lines)

    def read(self) -> list[dict]:
        """Every kill logged so far, by every worker."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as log:
            fcntl.flock(log, fcntl.LOCK_SH)
            return [json.loads(line) for line in log if line.strip()]


def counts_of(logged: list[dict], modules: set[str]) -> Counter[str]:
    """How often each scenario (file:line) of the logged kills killed a mutant of these modules."""
    return Counter(kill["location"] for kill in logged if kill["module"] in modules)


def read_durations(path: Path) -> dict[str, float]:
    """Each scenario's last measured seconds in the kept behaves' shared file
    (harness/mutant_runner.py); none before the first."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as lines:
        fcntl.flock(lines, fcntl.LOCK_SH)
        measured = [json.loads(line) for line in lines if line.strip()]
    return {entry["location"]: entry["seconds"] for entry in measured}


def quickest_killers_first(
    locations: Sequence[str], kills: Counter[str], durations: dict[str, float]
) -> list[str]:
    """Kills per second first (a scenario that killed often and quickly), then the quickest;
    unmeasured scenarios count as the mean of the measured ones."""
    usual = sum(durations.values()) / len(durations) if durations else 1.0

    def seconds(location: str) -> float:
        return max(durations.get(location, usual), 0.1)

    def key(location: str) -> tuple[float, float, tuple[str, int]]:
        return (-kills[location] / seconds(location), seconds(location), _suite_order(location))

    return sorted(locations, key=key)


def first_failing_scenario(output: str) -> str | None:
    """file:line of the first scenario behave's summary lists as failing, if any; in a log of
    several workers, the first line after the list's title from the same worker (`w<N>| `)."""
    title = _FAILING.search(output)
    if title is None:
        return None
    prefix = title.group(1) or ""
    for line in output[title.end() :].splitlines()[1:]:
        if prefix and not line.startswith(prefix):
            continue  # another worker's line, interleaved
        match = _SCENARIO.match(line.removeprefix(prefix))
        if match is None:
            return None  # the list ended without a location
        return f"{match.group(1)}:{match.group(2)}"
    return None


def _suite_order(location: str) -> tuple[str, int]:
    filename, _, line = location.rpartition(":")
    return filename, int(line) if line.isdigit() else 0


def kills_by_feature(kills: Counter[str]) -> Counter[str]:
    """The kills of each feature file, its scenarios' added up."""
    by_feature: Counter[str] = Counter()
    for location, count in kills.items():
        by_feature[location.rsplit(":", 1)[0]] += count
    return by_feature


def scenario_order(
    command: str,
    kills: Counter[str],
    covering: list[str] | None = None,
    in_module: Sequence[str] = (),
    durations: dict[str, float] | None = None,
) -> list[str] | None:
    """The scenarios (file:line) and feature files to run for a mutant, in order, for the kept
    behave (which runs each scenario once); None: none reaches the mutant's statement. The
    scenarios that reach it: quickest_killers_first. Every scenario (covering None): those
    that killed the module's mutants, then those that run its code (in_module), then the
    features, the killing ones first."""
    if covering is not None:
        if not covering:
            return None
        return quickest_killers_first(covering, kills, durations or {})
    words = shlex.split(command)
    features = [word for word in words if word.endswith(".feature")]
    by_feature = kills_by_feature(kills)
    likeliest = [location for location, _ in kills.most_common(FIRST_TRY)]
    nearby = quickest_killers_first(in_module, kills, durations or {})
    return likeliest + nearby + sorted(features, key=lambda path: -by_feature[path])


def ask_command(
    command: str, socket_path: Path, locations: list[str], fallback: str, restart: bool = False
) -> str:
    """The test command that asks the kept behave on socket_path to run `locations`, with the
    apps started again first when `restart` (else the mutant swapped in where it can be)."""
    asker = [sys.executable, str(Path(__file__).resolve().parent / "ask.py")]
    asker += ["--restart-apps"] if restart else []
    words = [*asker, str(socket_path), fallback, "--", *locations]
    return shlex.join(_death_signal_prefix(shlex.split(command)) + words)


def plan_command(command: str, kills: Counter[str], covering: list[str] | None = None) -> str:
    """The test command for a mutant, given the kills of its module's earlier mutants and the
    scenarios that reach its statement (mutation/coverage_map.py; None: every scenario)."""
    if covering is not None:
        return _plan_covering(command, kills, covering)
    if not kills:
        return command
    words = shlex.split(command)
    slots = [index for index, word in enumerate(words) if word.endswith(".feature")]
    by_feature = kills_by_feature(kills)
    features = sorted((words[index] for index in slots), key=lambda path: -by_feature[path])
    everything = list(words)
    for index, path in zip(slots, features, strict=True):
        everything[index] = path
    likeliest = [location for location, _ in kills.most_common(FIRST_TRY)]
    return _first_try_then_all(words, likeliest, everything)


def _plan_covering(command: str, kills: Counter[str], covering: list[str]) -> str:
    """Only the scenarios that reach the mutant's statement, those that killed its module's
    mutants first; none: a command that says so and passes (the mutant survives)."""
    if not covering:
        return shlex.join(["/bin/sh", "-c", f"echo {shlex.quote(NOT_REACHED)}"])
    words = shlex.split(command)
    runner, rest = _around_features(words)
    ordered = sorted(covering, key=lambda location: (-kills[location], _suite_order(location)))
    everything = runner + ordered + rest
    likeliest = [location for location in ordered if kills[location]][:FIRST_TRY]
    if not likeliest or len(likeliest) == len(ordered):
        return shlex.join(everything)
    return _first_try_then_all(words, likeliest, everything)


def _around_features(words: list[str]) -> tuple[list[str], list[str]]:
    """The command's words before its first feature file, and after its last."""
    slots = [index for index, word in enumerate(words) if word.endswith(".feature")]
    return list(words[: slots[0]]), words[slots[-1] + 1 :]


def _first_try_then_all(words: list[str], likeliest: list[str], everything: list[str]) -> str:
    """The likeliest scenarios in one behave process; if they all pass, `everything`."""
    runner, rest = _around_features(words)
    if "--workers" in runner:  # a few scenarios: one behave, not one start-up per worker
        runner[runner.index("--workers") + 1] = "1"
    first_try = runner + likeliest + rest
    shell = ["/bin/sh", "-c", f"{shlex.join(first_try)} && {shlex.join(everything)}"]
    return shlex.join(_death_signal_prefix(words) + shell)


def _death_signal_prefix(words: list[str]) -> list[str]:
    """The words that make the command die with the worker (base.processes.dying_with_parent):
    the shell that runs the two behave runs needs them too, or it outlives a stopped worker."""
    if words and Path(words[0]).name == "setpriv" and "--" in words:
        return words[: words.index("--") + 1]
    if words[1:3] == ["-m", "base.pdeathsig"]:
        return words[:3]
    return []


class _Rewritten:
    """The request as cosmic-ray's handler reads it, with the planned test command."""

    def __init__(self, args: dict) -> None:
        self._args = args

    async def json(self) -> dict:
        return self._args


def in_modules(covering: dict[str, list[str] | None], modules: set[str]) -> list[str]:
    """Every scenario that reaches a statement of these modules (sorted)."""
    found: set[str] = set()
    for key, scenarios in covering.items():
        if scenarios and key.split("|", 1)[0] in modules:
            found.update(scenarios)
    return sorted(found)


def reaching(covering: dict[str, list[str] | None], mutations: list[dict]) -> list[str] | None:
    """The scenarios that reach every statement the request mutates; None: every scenario
    (a statement run at start-up, or a mutant the baseline's coverage does not know)."""
    found: set[str] = set()
    for mutation in mutations:
        key = mutant_key(mutation["module_path"], mutation["operator"], mutation["occurrence"])
        if key not in covering or covering[key] is None:
            return None
        found.update(covering[key] or [])
    return sorted(found)


class KeptBehave:
    """One behave kept up in the worker's copy (harness/mutant_runner.py), started again when it
    has died; `socket()` is where it listens, or None when it cannot be had."""

    START_LIMIT = 180.0  # seconds for its before_all: the emulator, the browser, the first app
    STOP_LIMIT = 30.0  # seconds for its after_all: the browser, the apps, the emulator stopped

    def __init__(
        self, command: list[str], log: Path, durations: Path, swap_code: bool = True
    ) -> None:
        self.command = command
        self.swap_code = swap_code  # each mutant swapped into the running apps where it can be
        self.log = log
        self.durations = durations  # its scenarios' times, shared with the other workers
        self.path = Path.cwd() / "mutant-behave.sock"
        self.child: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def socket(self) -> Path | None:
        if self.child is not None and self.child.poll() is None and self.path.exists():
            return self.path
        if self.starts >= 3:  # it keeps dying: every mutant runs in a behave of its own
            return None
        return self._start()

    def _start(self) -> Path | None:
        self.stop()
        self.starts += 1
        self.path.unlink(missing_ok=True)
        env = {
            **os.environ,
            MUTANT_SOCKET_ENV: str(self.path),
            DURATIONS_ENV: str(self.durations),
        }
        if self.swap_code:
            swap_folder = Path.cwd() / "code-swap"
            swap_folder.mkdir(exist_ok=True)
            env[code_swap.ENV] = str(swap_folder)
        self.child = spawn(self.command, self.log, env=env, cwd=Path.cwd())
        deadline = time.monotonic() + self.START_LIMIT
        while not self.path.exists():
            if time.monotonic() > deadline or _exited_within(self.child, 0.05):
                print(
                    f"the kept behave did not listen on {self.path} within "
                    f"{self.START_LIMIT:g} s (or it exited): see {self.log}",
                    flush=True,
                )
                self.stop()
                return None
        return self.path

    def stop(self) -> None:
        """SIGTERM, which it takes as Ctrl-C, between two runs or inside one (a stop asked on
        its socket would wait for the run in progress to end)."""
        if self.child is not None:
            stop(self.child, grace_seconds=self.STOP_LIMIT)
            self.child = None


def _exited_within(child: subprocess.Popen[bytes], seconds: float) -> bool:
    try:
        child.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    return True


def handler(
    kill_log: KillLog,
    suite_log: Path,
    covering: dict[str, list[str] | None],
    kept: KeptBehave | None = None,
    last_killers: dict[str, str] | None = None,
    at_start: set[str] | frozenset[str] = frozenset(),
):
    """at_start: the mutants whose statement ran at the apps' start, put in by a restart."""
    scenarios = sorted({location for found in covering.values() if found for location in found})

    async def handle(request: web.Request) -> web.StreamResponse:
        args = await request.json()
        modules = {mutation["module_path"] for mutation in args["mutations"]}
        mutants = [
            mutant_key(mutation["module_path"], mutation["operator"], mutation["occurrence"])
            for mutation in args["mutations"]
        ]
        logged = kill_log.read()  # once per mutant: the counts and this run's killers
        command, kills = args["test_command"], counts_of(logged, modules)
        reached = reaching(covering, args["mutations"])
        args["test_command"] = plan_command(command, kills, reached)
        durations = read_durations(kept.durations) if kept is not None else {}
        order = scenario_order(command, kills, reached, in_modules(covering, modules), durations)
        if order is not None:
            guesses = _guesses(mutants, covering, last_killers, killers.of_kills(logged))
            order = killers.first(order, guesses, scenarios)
        socket_path = kept.socket() if kept is not None and order is not None else None
        if socket_path is not None and order is not None:
            restart = any(mutant in at_start for mutant in mutants)
            args["test_command"] = ask_command(
                command, socket_path, order, args["test_command"], restart
            )
        suite_log.unlink(missing_ok=True)  # never the previous mutant's
        response = await handle_mutate_and_test(_Rewritten(args))
        result = json.loads(response.text)
        location = first_failing_scenario(result.get("output") or "")
        if location is None and suite_log.is_file():
            location = first_failing_scenario(suite_log.read_text(errors="replace"))
        if result.get("test_outcome") == "killed" and location:
            kill_log.add(modules, location, mutants)
        return response

    return handle


def _guesses(
    mutants: list[str],
    covering: dict[str, list[str] | None],
    last_killers: dict[str, str] | None,
    killed_now: dict[str, str],
) -> list[str]:
    """The scenarios to try first: each mutant's last killer, then the killers of the other
    mutants of its statement (this run's where it killed them, else the last runs')."""
    last = last_killers or {}
    known = {**last, **killed_now}
    own = [last[mutant] for mutant in mutants if mutant in last]
    return own + killers.of_siblings(mutants, covering, known)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python mutation/worker.py")
    parser.add_argument("port", type=int)
    parser.add_argument("kills", type=Path, help="the kills file all workers share")
    parser.add_argument("suite_log", type=Path, help="harness/run_suite.py's log, in the copy")
    parser.add_argument("covering", type=Path, nargs="?", help="mutation/coverage_map.py's file")
    parser.add_argument("--kept-behave", help="the command of the behave kept up (shell words)")
    parser.add_argument(
        "--killers", type=Path, help="mutation/killers.py's file: each mutant's last killer first"
    )
    parser.add_argument(
        "--restart-apps",
        action="store_true",
        help="start the kept behave's apps again for every mutant (harness/code_swap.py off)",
    )
    args = parser.parse_args(argv)
    covering = read_covering(args.covering) if args.covering else {}
    at_start = set(read_covering(start_up_file(args.covering))) if args.covering else set()
    last_killers = killers.read(args.killers) if args.killers else {}
    kept = None
    if args.kept_behave:
        kept = KeptBehave(
            shlex.split(args.kept_behave),
            Path.cwd() / "mutant-behave.log",
            args.kills.with_name("durations.jsonl"),
            swap_code=not args.restart_apps,
        )
    app = web.Application()
    handle = handler(KillLog(args.kills), args.suite_log, covering, kept, last_killers, at_start)
    app.add_routes([web.post("/", handle)])
    try:
        web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)
    finally:
        if kept is not None:
            kept.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
