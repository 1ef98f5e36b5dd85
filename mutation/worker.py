"""`python mutation/worker.py PORT`: cosmic-ray's HTTP worker, listening on the loopback only,
running first the feature files that killed this module's earlier mutants.

cosmic-ray's own `cosmic-ray http-worker --port` listens on every interface; this serves the
same handler (cosmic_ray.distribution.http.handle_mutate_and_test) on 127.0.0.1. The worker
mutates, tests and restores the module paths it is sent relative to its working directory,
which mutation/run.py makes a copy of the tree of its own.

The test command stops at the first failing scenario (behave --stop), so a mutant is killed
sooner when the feature that tells its rule runs first. Mutants of one module come one after
another, and the features that killed a module's mutants are likely to kill the next one: the
worker counts, per module, which feature files failed, and puts the most successful first.
Every feature still runs for a mutant that survives, so the order changes the time, never
the outcome.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from collections import Counter, defaultdict

from aiohttp import web
from cosmic_ray.distribution.http import handle_mutate_and_test

_FAILING = re.compile(r"^\s*(\S+\.feature):\d+", re.MULTILINE)


class FeatureOrder:
    """Which feature files killed mutants of each module, and the order that follows."""

    def __init__(self) -> None:
        self._kills: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def reorder(self, command: str, modules: set[str]) -> str:
        """The command with its feature files sorted by kills for these modules, most first
        (a stable sort: features with equal counts keep their order)."""
        words = shlex.split(command)
        slots = [index for index, word in enumerate(words) if word.endswith(".feature")]
        kills = Counter()
        for module in modules:
            kills.update(self._kills[module])
        ordered = sorted((words[index] for index in slots), key=lambda path: -kills[path])
        for index, path in zip(slots, ordered, strict=True):
            words[index] = path
        return shlex.join(words)

    def learn(self, modules: set[str], output: str, features: set[str]) -> None:
        """Counts the feature files behave's summary names as failing (only the first: --stop)."""
        failed = [path for path in _FAILING.findall(_failing_part(output)) if path in features]
        for module in modules:
            self._kills[module].update(failed[:1])


def _failing_part(output: str) -> str:
    """The "Failing scenarios:" block of behave's summary, or nothing."""
    start = output.find("Failing scenarios:")
    return output[start:] if start >= 0 else ""


class _Rewritten:
    """The request as cosmic-ray's handler reads it, with the reordered test command."""

    def __init__(self, args: dict) -> None:
        self._args = args

    async def json(self) -> dict:
        return self._args


def handler(order: FeatureOrder):
    async def handle(request: web.Request) -> web.StreamResponse:
        args = await request.json()
        modules = {mutation["module_path"] for mutation in args["mutations"]}
        args["test_command"] = order.reorder(args["test_command"], modules)
        features = {word for word in shlex.split(args["test_command"]) if word.endswith(".feature")}
        response = await handle_mutate_and_test(_Rewritten(args))
        result = json.loads(response.text)
        if result.get("test_outcome") == "killed":
            order.learn(modules, result.get("output") or "", features)
        return response

    return handle


def main(argv: list[str]) -> None:
    if len(argv) != 1 or not argv[0].isdigit():
        sys.exit("usage: python mutation/worker.py PORT")
    app = web.Application()
    app.add_routes([web.post("/", handler(FeatureOrder()))])
    web.run_app(app, host="127.0.0.1", port=int(argv[0]), print=None, access_log=None)


if __name__ == "__main__":
    main(sys.argv[1:])
