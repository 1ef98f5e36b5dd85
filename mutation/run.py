"""`make mutation PRODUCT=<name>`: the mutation score of a product's features.

    .venv/bin/python mutation/run.py --product saas [--plan] [--workers N] [--suite-workers N]
        [--sample N [--seed S]] [--survivors RESULT] [--keep]

1. copies the tree (no .git, .venv, reports) to a temporary folder: nothing in the repository
   is ever mutated, and the run tests the tree as it was when it started;
2. finds the product's features (every feature file tagged @product.<name>) and builds the
   test command: the suite's runner (harness/run_suite.py, --workers suite-workers) over them
   with mutation/<name>.toml's behave options, its Allure results and log in the copy's
   reports/, artifacts in the temporary folder;
3. runs that command unmutated, its scenarios shared out between the workers' copies (each
   copy one --shard, all at once, each copy's apps measured by scenario): all must pass; the
   shards' seconds added up set the time-out per mutant (timeout-factor x them, at least
   min-timeout);
4. `cosmic-ray init` over the configured modules, then the rules of mutation/<name>.toml
   (mutation/rules.py) mark what is left out, with the reason;
5. starts one cosmic-ray HTTP worker per copy (mutation/worker.py) and `cosmic-ray exec`;
   each worker mutates its own copy, runs the command (exit code non-zero or time-out:
   killed) and restores the module; no mutant starts after budget-minutes. Each worker keeps
   one behave up (harness/mutant_runner.py; --fresh-behave: a behave per mutant), which runs
   the mutant's scenarios with its apps started again;
6. prints the survivors (file:line, operator, change) and the score, and writes
   mutation/<name>-result.md.

Exit code: 0 when the score reaches fail-under and every mutant was tested; 1 otherwise;
2 for a wrong command line or configuration; 3 when the unmutated features fail; 130 when
interrupted (Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from concurrent.futures import TimeoutError as FuturesTimeout
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(1, str(REPO))  # this tree's products/ and base/, not another checkout's

import coverage_map  # noqa: E402
import killers  # noqa: E402
import toml  # noqa: E402  (cosmic-ray's own TOML writer)
from behave.parser import parse_file  # noqa: E402
from cosmic_ray.commands import init as cosmic_ray_init  # noqa: E402
from cosmic_ray.modules import find_modules  # noqa: E402
from cosmic_ray.work_db import WorkDB, use_db  # noqa: E402
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult  # noqa: E402
from report import (  # noqa: E402
    NOT_A_SURVIVOR,
    SAMPLE,
    RunFacts,
    change_cell,
    code_put_in_text,
    previous_survivors,
    previous_whys,
    print_survivors,
    read_session,
    render,
    survivor_key,
)
from rules import (  # noqa: E402
    Config,
    ConfigError,
    apply,
    check_every_module_accounted,
    describe,
    load_config,
)

from base.processes import dying_with_parent, install_exit_handlers, spawn, stop  # noqa: E402
from harness.app_server import APP_COVERAGE_ENV  # noqa: E402
from harness.config import OPTIONS  # noqa: E402
from products import PRODUCTS  # noqa: E402

COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "reports", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache",
    "*.egg-info",
)  # fmt: skip
BASELINE_LIMIT = 600.0
# relative to each copy (the working directory of its runs): every copy has its own
SUITE_RESULTS = "reports/mutation-allure"
SUITE_LOG = "reports/mutation-behave.log"
PROGRESS_EVERY = 60.0
RUNNER = "harness.run_suite"


def say(message: str) -> None:
    print(f"mutation: {message}", flush=True)


class RunError(RuntimeError):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def product_features(product) -> list[Path]:
    """Every feature file under features/ whose Feature line carries @product.<name>, except
    @load (features/load.feature: minutes of measuring per run; `make load` runs it)."""
    found = []
    for path in sorted((REPO / "features").rglob("*.feature")):
        feature = parse_file(str(path))
        if feature is not None and product.tag in feature.tags and "load" not in feature.tags:
            found.append(path.relative_to(REPO))
    return found


def copy_tree(source: Path, destination: Path) -> None:
    shutil.copytree(source, destination, ignore=COPY_IGNORE, symlinks=True)


def set_keys(behave_options: tuple[str, ...]) -> set[str]:
    keys = set()
    for before, option in zip(("", *behave_options), behave_options, strict=False):
        if before == "-D":
            keys.add(option.split("=", 1)[0])
        elif option.startswith("--define="):
            keys.add(option.removeprefix("--define=").split("=", 1)[0])
    return keys


def run_env(copy: Path, index: int, keys: set[str]) -> dict[str, str]:
    """The environment of a worker and its test runs: this copy's code, databases of its own,
    the reference app (not a deployed one), and the settings the command line gives."""
    env = dict(os.environ)
    drop = {option.env for option in OPTIONS if option.env and (option.key in keys)}
    drop |= {f"{product.name.upper()}_BASE_URL" for product in PRODUCTS}
    drop |= {"MAIL_API_URL", "MAIL_SMTP_PORT", "TEST_OUTPUT", "SPANNER_DATABASE_PREFIX"}
    for name in drop:
        env.pop(name, None)
    env["PYTHONPATH"] = str(copy)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # a shared Spanner (an external emulator) must not see two runs' databases clash
    env["SPANNER_DATABASE_PREFIX"] = f"test-mut{index}-"
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(child: subprocess.Popen[bytes], port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            pass
        try:  # the pause between tries; ends early only when the worker died
            child.wait(timeout=0.2)
            raise RunError(f"the worker on port {port} exited with code {child.returncode}")
        except subprocess.TimeoutExpired:
            pass
    raise RunError(f"the worker on port {port} did not listen within {seconds:.0f} s")


def tail(path: Path, lines: int = 25) -> str:
    if not path.is_file():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def sharded(command: list[str], index: int, count: int) -> list[str]:
    """The test command for the index-th of count slices of its scenarios (run_suite's
    --shard, balanced by the copy's timings.json), given before the behave arguments."""
    runner = command.index(RUNNER)  # the command may start with setpriv's own `--`
    cut = command.index("--", runner)
    return [*command[:cut], "--shard", f"{index}/{count}", *command[cut:]]


def baseline(
    command: list[str], copies: list[Path], envs: list[dict], logs: Path
) -> tuple[float, float]:
    """The unmutated features, their scenarios shared out between the copies (each copy runs
    one --shard of them, all at once): the wall time, and the shards' seconds added up (what
    one copy would take to run every scenario while the others are busy too)."""
    started = time.monotonic()
    children = []
    for index, copy in enumerate(copies, 1):
        log = logs / f"baseline-{index}.log"
        shard = sharded(command, index, len(copies))
        children.append((spawn(shard, log, env=envs[index - 1], cwd=copy), log))
    seconds: list[float] = []
    pool = ThreadPoolExecutor(len(children))
    try:
        ends = {pool.submit(_wait_timed, child, started): log for child, log in children}
        for done in as_completed(ends, timeout=BASELINE_LIMIT):
            code, took = done.result()
            seconds.append(took)
            if code != 0:
                log = ends[done]
                raise RunError(
                    f"the unmutated features fail (exit code {code}); fix that first. "
                    f"The end of {log}:\n{tail(log)}",
                    3,
                )
    except FuturesTimeout:
        raise RunError(f"the unmutated features ran over {BASELINE_LIMIT:.0f} s", 3) from None
    finally:
        for child, _ in children:  # the other shards, when one failed or time ran out
            if child.poll() is None:
                stop(child)
        pool.shutdown()
    return time.monotonic() - started, sum(seconds)


def _wait_timed(child: subprocess.Popen, started: float) -> tuple[int, float]:
    code = child.wait()
    return code, time.monotonic() - started


def write_scenarios_reaching(path: Path, runs: list[tuple[Path, Path]], session: Path) -> str:
    """Each mutant to run: the scenarios that reach its statement in the baseline (None: every
    scenario), into `path` for the workers (mutation/worker.py); a line saying how many.
    `runs`: each copy's coverage folder and the copy (the apps ran its files)."""
    found = coverage_map.CoverageMap()
    for measured, copy in runs:
        data_files = sorted(measured.glob("*.coverage.*"))  # one per app process
        if not data_files:
            raise RunError(f"the baseline left no coverage data in {measured}: is the app run "
                           "by harness/app_gate.py (a reference app)?")  # fmt: skip
        coverage_map.read(data_files, copy, into=found)
    tree = runs[0][1]
    covering: dict[str, list[str] | None] = {}
    at_start: list[str] = []
    with use_db(str(session), WorkDB.Mode.open) as work_db:
        for item in work_db.pending_work_items:
            for mutation in item.mutations:
                module, line = str(mutation.module_path), mutation.start_pos[0]
                key = coverage_map.mutant_key(module, mutation.operator_name, mutation.occurrence)
                covering[key] = found.covering(tree, module, line)
                if found.runs_outside_scenarios(tree, module, line):
                    at_start.append(key)
    coverage_map.write_covering(path, covering)
    # their code is put into the apps by a restart, never a swap (harness/code_swap.py)
    coverage_map.write_covering(coverage_map.start_up_file(path), dict.fromkeys(at_start))
    every = sum(1 for scenarios in covering.values() if scenarios is None)
    unreached = sum(1 for scenarios in covering.values() if scenarios == [])
    some = [len(scenarios) for scenarios in covering.values() if scenarios]
    mean = f"{sum(some) / len(some):.1f}" if some else "0"
    return (
        f"coverage: of {len(covering)} mutants, {len(some)} run only the scenarios that reach "
        f"their statement ({mean} on average), {every} every scenario (a statement run at "
        f"start-up), {unreached} none (no scenario runs their statement: they survive)"
    )


def keep_survivors(
    work_db: WorkDB, survivors: Iterable[tuple[str, str, str]], tree: Path
) -> tuple[int, list[tuple[str, str, str]]]:
    """Keep the mutants to run that are listed survivors (module, operator, change as the
    result file writes them); mark the others. How many were marked, and the listed survivors
    that are no mutant to run any more (their line changed, or a rule excludes them now)."""
    listed = set(survivors)
    sources: dict[str, str] = {}
    others: list[str] = []
    found: set[tuple[str, str, str]] = set()
    for item in work_db.pending_work_items:
        (spec,) = item.mutations
        module = str(spec.module_path)
        if module not in sources:
            sources[module] = (tree / module).read_text(encoding="utf-8")
        mutant, _ = describe(spec, item.job_id, sources[module])
        key = survivor_key(mutant.module, mutant.operator, change_cell(mutant))
        if key in listed:
            found.add(key)
        else:
            others.append(item.job_id)
    if others:
        work_db.set_multiple_results(
            others, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=NOT_A_SURVIVOR)
        )
    return len(others), sorted(listed - found)


def survived_keys(work_db: WorkDB) -> list[str]:
    """The mutant keys (mutation/coverage_map.py) of the session's survivors."""
    return [
        coverage_map.mutant_key(str(spec.module_path), spec.operator_name, spec.occurrence)
        for item, result in work_db.completed_work_items
        if result.test_outcome == TestOutcome.SURVIVED
        for spec in item.mutations
    ]


def read_kills(path: Path) -> list[dict]:
    """The workers' kill log (mutation/worker.py's KillLog): one JSON object a line."""
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def draw_sample(work_db: WorkDB, size: int, seed: int | None = None) -> int:
    """Keep `size` random mutants of those to run (the same ones for the same seed and
    session); mark the others as not drawn."""
    # job ids are random per session: sort by what the mutant is, so a seed draws the same ones
    items = sorted(
        work_db.pending_work_items,
        key=lambda item: [
            (str(m.module_path), m.operator_name, m.occurrence) for m in item.mutations
        ],
    )
    pending = [item.job_id for item in items]
    random.Random(seed).shuffle(pending)
    left = pending[size:]
    if left:
        work_db.set_multiple_results(
            left, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=SAMPLE)
        )
    return len(left)


def progress(session: Path) -> tuple[int, int]:
    with use_db(str(session), WorkDB.Mode.open) as work_db:
        return work_db.num_results, work_db.num_work_items


def tree_description() -> str:
    """The commit of the tree and whether it had local changes (read-only git calls)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10, env=env, check=True,
        ).stdout.strip()  # fmt: skip
        status = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=10, env=env, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"
    return f"commit {commit}" + (" with uncommitted changes" if status else "")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mutation/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--product", required=True, help="a product declared in products/")
    parser.add_argument("--workers", type=int, help="parallel mutants (default: the config's)")
    parser.add_argument("--modules", nargs="+", help="only these of the configured modules")
    parser.add_argument(
        "--suite-workers",
        type=int,
        help="behave processes per mutant's run, harness/run_suite.py --workers (default: the "
        "config's suite-workers)",
    )
    parser.add_argument("--sample", type=int, help="only this many random mutants")
    parser.add_argument(
        "--seed", type=int, help="draw the --sample with this seed (the same mutants each time)"
    )
    parser.add_argument(
        "--budget-minutes",
        type=float,
        help="start no mutant after this (default: the config's)",
    )
    parser.add_argument(
        "--every-scenario",
        action="store_true",
        help="run every scenario of the product for each mutant, not only those that reach its "
        "statement (to compare: mutation/coverage_map.py)",
    )
    parser.add_argument(
        "--fresh-behave",
        action="store_true",
        help="a behave of its own per mutant, not one kept up per worker (to compare)",
    )
    parser.add_argument(
        "--restart-apps",
        action="store_true",
        help="start the apps again for every mutant instead of swapping its code into the "
        "running ones (harness/code_swap.py; to compare)",
    )
    parser.add_argument(
        "--survivors",
        type=Path,
        metavar="RESULT",
        help="only the mutants a result file lists as survivors (mutation/<product>-result.md): "
        "after writing scenarios for them, which are killed now",
    )
    parser.add_argument("--plan", action="store_true", help="count the mutants; run nothing")
    parser.add_argument("--result", type=Path, help="where to write the result file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    install_exit_handlers()
    args = parse_args(argv)
    products = {product.name: product for product in PRODUCTS}
    if args.product not in products:
        say(f"unknown product {args.product!r}; known: {', '.join(sorted(products))}")
        return 2
    product = products[args.product]
    try:
        config = load_config(REPO / "mutation" / f"{product.name}.toml", product.name)
        check_every_module_accounted(config, REPO)
    except ConfigError as exc:
        say(str(exc))
        return 2
    modules = config.modules
    if args.modules:
        unknown = sorted(set(args.modules) - set(modules))
        if unknown:
            say(f"not configured modules: {', '.join(unknown)}; configured: {', '.join(modules)}")
            return 2
        modules = tuple(args.modules)
    partial = []
    if args.modules:
        partial.append(f"modules {', '.join(modules)} only")
    if args.sample:
        partial.append(f"a sample of {args.sample} mutants")
    if args.survivors:
        if not args.survivors.is_file():
            say(f"--survivors: no result file at {args.survivors}")
            return 2
        partial.append(f"the survivors listed in {args.survivors} only")
    result_path = args.result
    if result_path is None and not partial:
        result_path = REPO / "mutation" / f"{product.name}-result.md"
    workers = args.workers or config.workers
    if (args.suite_workers or config.suite_workers) < 1 or workers < 1:
        say("--workers and --suite-workers: 1 or more")
        return 2

    temp = Path(tempfile.mkdtemp(prefix=f"mutation-{product.name}-"))
    keep = args.keep
    try:
        return _run(args, config, product, modules, workers, temp, result_path, partial)
    except RunError as exc:
        say(str(exc))
        keep = True
        return exc.code
    except KeyboardInterrupt as exc:
        say(f"interrupted ({exc or 'Ctrl-C'}): the workers and their runs are stopped")
        keep = True
        return 130
    finally:
        if keep:
            say(f"kept {temp} (logs in {temp / 'logs'})")
        else:
            shutil.rmtree(temp, ignore_errors=True)


def _run(args, config: Config, product, modules, workers, temp, result_path, partial) -> int:
    started = time.monotonic()
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    tree_state = tree_description()
    tree = temp / "tree"
    logs = temp / "logs"
    logs.mkdir()
    copy_tree(REPO, tree)
    features = product_features(product)
    if not features:
        raise RunError(f"no feature file under features/ is tagged @{product.tag}", 2)
    missing = [module for module in modules if not (tree / module).is_file()]
    if missing:
        raise RunError(f"configured modules not found: {', '.join(missing)}", 2)

    session = temp / "session.sqlite"
    with use_db(str(session)) as work_db:
        cosmic_ray_init(find_modules(Path(module) for module in modules), work_db, {})
        # cosmic-ray's module paths are relative: read them in the snapshot
        cwd = Path.cwd()
        os.chdir(tree)
        try:
            plan = apply(config, work_db, tree)
        finally:
            os.chdir(cwd)
        not_drawn = 0
        if args.survivors:
            not_drawn, gone = keep_survivors(work_db, previous_survivors(args.survivors), tree)
            for module, operator, change in gone:
                say(f"listed survivor no longer a mutant to run: {module} {operator} {change}")
        if args.sample:
            not_drawn += draw_sample(work_db, args.sample, args.seed)
    to_run = plan.to_run - not_drawn
    say(
        f"{product.title}: {len(modules)} modules, "
        f"{plan.to_run + sum(plan.excluded.values()) + sum(plan.not_used.values())} mutants: "
        f"{to_run} to run, {sum(plan.excluded.values())} excluded, "
        f"{sum(plan.not_used.values())} of operators not used"
        + (f", {not_drawn} left out (--survivors, --sample)" if not_drawn else "")
    )
    for rule in plan.stale:
        say(f"stale rule (matches no mutant): {rule}")
    if args.plan:
        with use_db(str(session), WorkDB.Mode.open) as work_db:  # after --survivors, --sample
            by_module = Counter(
                str(item.mutations[0].module_path) for item in work_db.pending_work_items
            )
        for module, count in sorted(by_module.items()):
            say(f"  {count:4} to run in {module}")
        for why, count in plan.excluded.most_common():
            say(f"  excluded {count:4}: {why}")
        for why, count in plan.not_used.most_common():
            say(f"  not used {count:4}: {why}")
        return 0

    python = sys.executable
    suite_workers = args.suite_workers or config.suite_workers
    command = [
        *dying_with_parent([python, "-m", RUNNER]),
        "--workers", str(suite_workers), "--results", SUITE_RESULTS, "--log", SUITE_LOG,
        "--",
        *(str(feature) for feature in features),
        *config.behave,
        "-D", f"output={temp / 'artifacts'}",
    ]  # fmt: skip
    kept_behave = [  # mutation/worker.py starts it, dying with the worker
        python, "-m", "behave",
        "--runner", "harness.mutant_runner:MutantRunner",
        *(str(feature) for feature in features),
        *config.behave,
        "-D", f"output={temp / 'artifacts'}",
    ]  # fmt: skip
    keys = set_keys(config.behave) | {"output"}
    copies = [temp / f"worker-{index}" for index in range(1, workers + 1)]
    for copy in copies:
        copy_tree(tree, copy)
    envs = [run_env(copy, index, keys) for index, copy in enumerate(copies, 1)]
    say(f"test command: {shlex.join(command)}")
    say(
        f"baseline: the unmutated features shared out between {workers} copies, "
        f"{suite_workers} behave processes each"
        + ("" if args.every_scenario else "; the apps measured by scenario")
    )
    measured = [temp / f"coverage-{index}" for index in range(1, workers + 1)]
    baseline_envs = list(envs)
    if not args.every_scenario:
        for index, folder in enumerate(measured):
            folder.mkdir()  # one each: a copy's runs name the scenario they are in there
            baseline_envs[index] = {**envs[index], APP_COVERAGE_ENV: str(folder)}
    wall, every_shard = baseline(command, copies, baseline_envs, logs)
    timeout = max(config.timeout_factor * every_shard, config.min_timeout)
    say(
        f"baseline passed in {wall:.1f} s ({every_shard:.1f} s over every shard); "
        f"time-out per mutant {timeout:.0f} s"
    )
    covering_file = temp / "covering.json"  # absent with --every-scenario: every scenario
    if not args.every_scenario:
        say(
            write_scenarios_reaching(
                covering_file, list(zip(measured, copies, strict=True)), session
            )
        )

    ports = [free_port() for _ in copies]
    cosmic_config = dict(config.cosmic_ray)
    cosmic_config.update(
        {
            "module-path": list(modules),
            "timeout": timeout,
            "test-command": shlex.join(command),
            "distributor": {
                "name": "http",
                "http": {"worker-urls": [f"http://127.0.0.1:{port}" for port in ports]},
            },
        }
    )
    config_file = temp / "cosmic-ray.toml"
    config_file.write_text(toml.dumps({"cosmic-ray": cosmic_config}), encoding="utf-8")

    worker_script = Path(__file__).resolve().parent / "worker.py"
    killers_file = REPO / "mutation" / f"{product.name}-killers.json"
    names = killers.scenario_names(REPO, features)
    try:
        last_killers = killers.located(killers.read(killers_file), names)
    except ValueError as exc:
        raise RunError(f"{exc}; delete it to start afresh", 2) from None
    killers_now = temp / "killers-now.json"  # today's lines, for the workers
    killers_now.write_text(json.dumps(last_killers, indent=0, sort_keys=True), encoding="utf-8")
    worker_procs = []
    executor = None
    stopped_early = False
    try:
        for index, (copy, port) in enumerate(zip(copies, ports, strict=True), 1):
            log = logs / f"worker-{index}.log"
            worker_procs.append(
                spawn(
                    [
                        python,
                        str(worker_script),
                        str(port),
                        str(temp / "kills.jsonl"),
                        SUITE_LOG,
                        str(covering_file),
                        *([] if args.fresh_behave else ["--kept-behave", shlex.join(kept_behave)]),
                        *(["--restart-apps"] if args.restart_apps else []),
                        "--killers",
                        str(killers_now),
                    ],  # fmt: skip
                    log,
                    env=envs[index - 1],
                    cwd=copy,
                )
            )
        for child, port in zip(worker_procs, ports, strict=True):
            wait_listening(child, port, 30)
        launcher = str(Path(__file__).resolve().parent / "exec.py")
        budget_minutes = args.budget_minutes or config.budget_minutes
        budget = budget_minutes * 60
        exec_log = logs / "exec.log"
        executor = spawn([python, launcher, str(config_file), str(session)], exec_log, cwd=tree)
        say(f"running {to_run} mutants on {workers} workers (budget {budget_minutes:g} min)")
        last_report = time.monotonic()
        while True:
            try:
                code = executor.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                pass
            for index, child in enumerate(worker_procs, 1):
                if child.poll() is not None:
                    stop(executor)
                    raise RunError(
                        f"worker {index} exited with code {child.returncode}; the end of its "
                        f"log:\n{tail(logs / f'worker-{index}.log')}"
                    )
            elapsed = time.monotonic() - started
            if elapsed > budget:
                say(f"the budget of {budget_minutes:g} min is spent: stopping")
                stop(executor)
                stopped_early = True
                code = 0
                break
            if time.monotonic() - last_report >= PROGRESS_EVERY:
                last_report = time.monotonic()
                done, total = progress(session)
                say(f"{done - (total - to_run)} of {to_run} mutants tested, {elapsed / 60:.1f} min")
        if code != 0:
            raise RunError(f"cosmic-ray exec exited with code {code}:\n{tail(exec_log)}")
    finally:
        # the executor first: with its workers gone it would record every mutant it had not
        # sent yet as a worker error, where they were simply not run
        if executor is not None:
            stop(executor)
        for child in worker_procs:
            stop(child, grace_seconds=10)

    minutes = (time.monotonic() - started) / 60
    with use_db(str(session), WorkDB.Mode.open) as work_db:
        outcome = read_session(work_db)
        survived = survived_keys(work_db)
    held = killers.update(
        killers_file,
        killers.named(killers.of_kills(read_kills(temp / "kills.jsonl")), names),
        survived,
    )
    say(f"{_shown(killers_file)}: the last killer of {held} mutants, tried first next time")
    facts = RunFacts(
        product=product.name,
        title=product.title,
        date=date,
        minutes=minutes,
        baseline_seconds=wall,
        timeout_seconds=timeout,
        workers=workers,
        suite_workers=suite_workers,
        kept_behave=not args.fresh_behave,
        tree=tree_state,
        tool=f"cosmic-ray {version('cosmic-ray')}",
        command=shlex.join(command).replace(str(temp), "$TMP"),
        fail_under=config.fail_under,
        modules=modules,
        left_out=config.left_out,
        stale=tuple(plan.stale),
        partial="; ".join(partial) or None,
    )
    print_survivors(outcome)
    if outcome.code_put_in:
        say(f"the code put in: {code_put_in_text(outcome.code_put_in)}")
    score = outcome.score
    score_text = f"{score:.1f} %" if score is not None else "n/a"
    say(
        f"{product.name} score {score_text}: {outcome.run} mutants run, {outcome.killed} killed "
        f"({outcome.timeouts} by time-out), {outcome.survived} survived; "
        f"{sum(outcome.excluded.values())} excluded; {minutes:.1f} min"
    )
    if result_path is not None:
        whys = previous_whys(result_path)
        result_path.parent.mkdir(parents=True, exist_ok=True)
        result_path.write_text(render(facts, outcome, whys), encoding="utf-8")
        say(f"result written to {_shown(result_path)}")
    failed = []
    if outcome.errors:
        failed.append(f"{len(outcome.errors)} mutants could not be tested")
    if outcome.not_run or stopped_early:
        failed.append(f"{outcome.not_run} mutants not run (time budget)")
    if score is not None and score < config.fail_under:
        failed.append(f"the score is under {config.fail_under:g} % (fail-under)")
    for reason in failed:
        say(reason)
    return 1 if failed else 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
