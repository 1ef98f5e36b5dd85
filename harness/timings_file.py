"""`python -m harness.timings_file RESULTS_DIR... OUT`: each scenario's last measured seconds.

Reads the Allure results (start and stop of each scenario) and writes OUT, a JSON object
`scenario key -> seconds` (keys: harness/scenario_selection.py), which `harness.run_suite --shard`
balances its shards by and `--workers` deals longest first by. `make timings` writes it from a
run's results; `make bench` (benchmarks/suite.py) refreshes it from the runs it times. A result
is matched to its scenario in the feature files by historyId, computed the way allure-behave
computes it, so labels and titles may change freely.

A scenario's time is its last passed attempt's, else its last attempt's (a skipped one does not
count). Scenarios measured before but not in these results keep their old time from OUT, so a
partial run refreshes only what it ran; scenarios no longer in the feature files are dropped.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from allure_behave.utils import scenario_history_id

from harness.allure_results import Attempt, by_scenario, read_results
from harness.scenario_selection import all_scenarios, behave_configuration, scenario_key


def last_measured(attempts: list[Attempt]) -> float | None:
    measured = [a for a in attempts if a.status != "skipped"]
    passed = [a for a in measured if a.status == "passed"]
    chosen = passed or measured
    return chosen[-1].seconds if chosen else None


def read_timings(path: Path) -> dict[str, float]:
    """A timings file; anything but an object of scenario keys to seconds names the fault."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"{path}: not a timings file ({error})") from error
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a timings file is a JSON object of scenario keys to seconds")
    for key, seconds in data.items():
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ValueError(f"{path}: {key!r} has {seconds!r}, not a number of seconds")
    return {key: float(seconds) for key, seconds in data.items()}


def build(folders: list[Path], out: Path, features: list[str]) -> str:
    """Write out; return one line saying what it holds and where it came from."""
    config = behave_configuration(features)
    key_of = {scenario_history_id(s): scenario_key(s) for s in all_scenarios(config)}
    results = read_results(folders)
    for problem in results.problems:
        print(f"timings: not read: {problem}", file=sys.stderr)
    if not results.attempts:
        raise ValueError(f"no Allure results in {', '.join(map(str, folders))}: {out} not written")

    measured: dict[str, float] = {}
    unmatched = 0
    for history_id, attempts in by_scenario(results.attempts).items():
        seconds = last_measured(attempts)
        if history_id not in key_of:
            unmatched += 1
        elif seconds is not None:
            measured[key_of[history_id]] = round(seconds, 2)

    known = set(key_of.values())
    old = read_timings(out) if out.exists() else {}
    kept = {key: s for key, s in old.items() if key in known and key not in measured}
    dropped = sum(1 for key in old if key not in known)
    timings = dict(sorted({**kept, **measured}.items()))
    out.write_text(json.dumps(timings, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return (
        f"timings: {out}: {len(timings)} scenarios, {sum(timings.values()):.1f} s in all; "
        f"{len(measured)} measured in {', '.join(map(str, folders))}, {len(kept)} kept from "
        f"before, {dropped} dropped (no longer in the features), {unmatched} results of "
        f"scenarios not in the features ignored; {len(known) - len(timings)} scenarios unmeasured"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.timings_file", description=__doc__)
    parser.add_argument("paths", nargs="+", metavar="RESULTS_DIR... OUT", help="folders, then OUT")
    parser.add_argument(
        "--features",
        action="append",
        metavar="PATH",
        help="feature files or folders (default: behave.ini's paths)",
    )
    args = parser.parse_args(argv)
    if len(args.paths) < 2:
        parser.error("name at least one Allure results folder, then the timings file to write")
    *folders, out = args.paths
    try:
        print(build([Path(f) for f in folders], Path(out), args.features or []))
    except (ValueError, FileNotFoundError) as error:
        print(f"timings: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
