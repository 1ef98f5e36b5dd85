"""A reference app's process, started before its databases exist: it imports the app, then
waits for the harness to hand it its environment and command line, and runs it as
`python -m <module>` would, in the same process.

    python <repo>/harness/app_gate.py <host>:<port> -m <module>

(run by its path, so that it needs nothing on the app's path; `-m <module>` names the app in
process listings as its own command line would)

Only what `<module>/__main__.py` imports at its top is imported ahead, none of its own code.
With SUITE_APP_GATE_OWN_CODE_LATER set, nothing of the app's own package is imported ahead
either, only what it shares (app/platform, the libraries): a mutation run's kept behave
(harness/mutant_runner.py) starts the next app so, before the next mutant is written.
The app's imports (most of its start) so overlap the emulator's start and the databases'
creation. The harness listens on <host>:<port>; this process connects once imported, sends how
many seconds the imports took (a line), and reads a JSON object {"env": {...}, "args": [...]}
to the end of the stream. The app then starts exactly as it would have: os.environ is that
environment (nothing of the harness's is left), sys.argv its command line.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import os
import runpy
import socket
import sys
import time
from pathlib import Path


def import_what_main_imports(module: str, own_code_later: bool = False) -> None:
    """The modules `<module>/__main__.py` imports at its top, imported now; none of its own
    code runs before the launch (it may act at its top, not under `if __name__ == ...`).
    own_code_later: none of the package `module` either."""
    package = importlib.util.find_spec(module)  # imports its parents, not the package
    if package is None or package.submodule_search_locations is None:
        return  # a plain module runs itself as __main__: importing it ahead would run its code
    main_file = Path(next(iter(package.submodule_search_locations))) / "__main__.py"
    if not main_file.is_file():
        return  # runpy will say what is wrong, as `python -m` would
    tree = ast.parse(main_file.read_bytes(), str(main_file))
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not (own_code_later and _within(alias.name, module)):
                    importlib.import_module(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            name = "." * node.level + (node.module or "")
            if own_code_later and (node.level or _within(name, module)):
                continue
            importlib.import_module(name, package=module)


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def measure_coverage(folder: str, module: str) -> None:
    """SUITE_APP_COVERAGE=<folder> (mutation/coverage_map.py): the lines this app runs, by
    scenario, into <folder>/<module>.coverage.<suffix>. What runs before the first scenario
    (imports, start-up) has the empty context; on SIGUSR1 the context becomes the text of
    <folder>/context, which the harness writes before each scenario (harness/app_coverage.py).
    The data is saved when the app exits."""
    import atexit
    import signal

    import coverage

    measured = coverage.Coverage(  # the app's top package: its own code and what it shares
        data_file=os.path.join(folder, f"{module}.coverage"),
        # a file of its own per process (<module>.coverage.<host>.<pid>.<random>): a run has
        # more than one app of a product (a feature's own, a restarted one), and processes
        # sharing one data file lost whole features' lines
        data_suffix=True,
        source_pkgs=[module.split(".")[0]],
    )
    context_file = Path(folder) / "context"

    def switch(_signum: int, _frame: object) -> None:
        measured.switch_context(context_file.read_text(encoding="utf-8").strip())
        clear_caches(module)

    signal.signal(signal.SIGUSR1, switch)
    measured.start()

    def save() -> None:
        measured.stop()
        measured.save()

    atexit.register(save)


def clear_caches(package: str) -> None:
    """Empty the functools caches of the package's modules (lru_cache, cache), at each
    scenario's start while lines are measured: a cached answer runs its function's lines for
    the first scenario only, and the map would miss the later scenarios that depend on them
    (academy_security's skipped video reads the video's length, cached by an earlier one)."""
    for name, loaded in list(sys.modules.items()):
        if loaded is None or not (name == package or name.startswith(f"{package}.")):
            continue
        for value in list(vars(loaded).values()):
            if callable(getattr(value, "cache_clear", None)) and hasattr(value, "cache_info"):
                value.cache_clear()


def main(argv: list[str]) -> None:
    address, module = argv[1], argv[3]
    sys.path[0] = os.getcwd()  # the app's folder first, as `python -m` puts it
    coverage_folder = os.environ.get("SUITE_APP_COVERAGE")
    if coverage_folder:
        measure_coverage(coverage_folder, module)
    started = time.perf_counter()
    import_what_main_imports(module, bool(os.environ.get("SUITE_APP_GATE_OWN_CODE_LATER")))
    imported = time.perf_counter() - started
    host, port = address.rsplit(":", 1)
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(f"{imported:.6f}\n".encode())
        received = bytearray()
        while chunk := connection.recv(65536):
            received.extend(chunk)
    launch = json.loads(received)
    os.environ.clear()
    os.environ.update(launch["env"])
    sys.argv = [module, *launch["args"]]
    swap_folder = os.environ.get("SUITE_APP_CODE_SWAP")
    if swap_folder:  # a mutation run's kept behave puts each mutant in so (harness/code_swap.py)
        port = os.environ.get("APP_PORT", str(os.getpid()))
        load_code_swap().serve(swap_folder, module, port, clear_caches)
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def load_code_swap():
    """harness/code_swap.py, loaded by its path: this process has nothing of the harness on its
    path."""
    spec = importlib.util.spec_from_file_location(
        "suite_code_swap", Path(__file__).with_name("code_swap.py")
    )
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


if __name__ == "__main__":
    main(sys.argv)
