"""A running reference app takes its package's changed function bodies without a restart: a
mutation run's kept behave (harness/mutant_runner.py) puts each mutant into the apps so, in
milliseconds, instead of starting them again (0.4 to 0.8 s a mutant, on a core the other
worker needs).

With SUITE_APP_CODE_SWAP=<folder> in its environment, harness/app_gate.py serves `serve` on a
Unix socket, <folder>/<port>.sock (APP_PORT, where the app listens), in a thread of the app's
process. The harness sends one JSON line and reads one back:

- {"do": "remember"}: the package's sources, as the app imported them, are noted (the harness
  asks right after the app started, while the files do not change).
- {"do": "swap"}: every module of the package whose file differs from what is live is read
  again; when only function bodies differ, each changed function's code object is replaced
  (every reference to the function, a route's, a decorator's, sees it), the package's functools
  caches emptied, and the answer is {"swapped": [qualified names]}. Anything else that differs
  (a module's constant, a default, a decorator, a class attribute, a module added), a function
  not found live, or a thread of the app still inside the package's code (a request the last
  mutant left running) answers {"restart": why}: the harness then starts the app again, as
  before. The code swapped in is the file's, compiled as an import compiles it.

It imports nothing outside the standard library: app_gate.py loads it by path.
"""

from __future__ import annotations

import ast
import gc
import json
import os
import socket
import sys
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path

ENV = "SUITE_APP_CODE_SWAP"
ANSWER_LIMIT = 1 << 16


class MustRestart(Exception):
    """Why the change cannot be put into the running app."""


class CodeSwapper:
    def __init__(self, package: str, clear_caches: Callable[[str], None]) -> None:
        self.package = package
        self.clear_caches = clear_caches  # the package's functools caches emptied (app_gate's)
        self.live: dict[str, str] | None = None  # module name -> the source it runs

    def remember(self) -> None:
        self.live = {name: _source(module) for name, module in self._modules()}

    def swap(self) -> list[str]:
        if self.live is None:
            raise MustRestart("the app's sources were not noted after it started")
        _no_thread_inside(self._files())
        changed: list[tuple[types.ModuleType, str, str]] = []
        modules = dict(self._modules())
        if set(modules) != set(self.live):
            raise MustRestart("the package's modules are not the ones the app imported")
        for name, module in modules.items():
            now = _source(module)
            if now != self.live[name]:
                changed.append((module, self.live[name], now))
        swapped: list[str] = []
        replacements = [
            (module, now, _replacements(module, was, now)) for module, was, now in changed
        ]
        for module, now, pairs in replacements:
            for function, code in pairs:
                function.__code__ = code
                swapped.append(f"{module.__name__}.{code.co_qualname}")
            self.live[module.__name__] = now
        if replacements:
            self.clear_caches(self.package)
        return swapped

    def _modules(self) -> Iterator[tuple[str, types.ModuleType]]:
        for name, module in sorted(sys.modules.items()):
            if module is None or not (name == self.package or name.startswith(self.package + ".")):
                continue
            if getattr(module, "__file__", None):
                yield name, module

    def _files(self) -> set[str]:
        return {os.path.realpath(module.__file__) for _, module in self._modules()}


def _source(module: types.ModuleType) -> str:
    return Path(module.__file__).read_text(encoding="utf-8")


def _no_thread_inside(files: set[str]) -> None:
    """No other thread is running the package's code (a request the last change left looping)."""
    here = threading.get_ident()
    for ident, frame in sys._current_frames().items():
        while frame is not None and ident != here:
            if os.path.realpath(frame.f_code.co_filename) in files:
                raise MustRestart(f"a thread of the app is still in {frame.f_code.co_qualname}")
            frame = frame.f_back


def _replacements(
    module: types.ModuleType, was: str, now: str
) -> list[tuple[types.FunctionType, types.CodeType]]:
    """(live function, its new code) for each function whose code the change alters."""
    path = module.__file__
    was_tree, now_tree = ast.parse(was, path), ast.parse(now, path)
    if ast.dump(_without_bodies(was_tree)) != ast.dump(_without_bodies(now_tree)):
        raise MustRestart(f"{module.__name__} changed outside a function's body")
    old = _functions_code(compile(was_tree, path, "exec", dont_inherit=True))
    new = _functions_code(compile(now_tree, path, "exec", dont_inherit=True))
    live = _live_functions(module)
    pairs = []
    for qualname, codes in new.items():
        if old.get(qualname) == codes:
            continue
        functions = live.get(qualname, [])
        if len(codes) != 1 or len(functions) != 1:
            # not found (a decorator that keeps no __wrapped__), or a name two functions share
            # (a property's getter and setter): which is which is not known
            raise MustRestart(f"{module.__name__}.{qualname} is not found once in the running app")
        function, code = functions[0], codes[0]
        pairs.append(_checked(module, function, code))
        pairs += _nested_replacements(module, old[qualname][0], code)
    return pairs


def _checked(
    module: types.ModuleType, function: types.FunctionType, code: types.CodeType
) -> tuple[types.FunctionType, types.CodeType]:
    if len(code.co_freevars) != len(function.__code__.co_freevars):
        raise MustRestart(f"{module.__name__}.{code.co_qualname} closes over other names now")
    return function, code


def _nested_replacements(
    module: types.ModuleType, was: types.CodeType, now: types.CodeType
) -> list[tuple[types.FunctionType, types.CodeType]]:
    """The live functions made from a changed function defined inside another, with their new
    code. One made at each call takes the new code from its parent's; one made before (a
    handler a route made at start-up) is alive now, found among the process's objects."""
    old, new = _inner_code(was), _inner_code(now)
    changed = {qualname for qualname, codes in new.items() if old.get(qualname) != codes}
    if not changed:
        return []
    path = os.path.realpath(module.__file__)
    pairs = []
    for value in gc.get_objects():
        if not isinstance(value, types.FunctionType):
            continue
        code = value.__code__
        if code.co_qualname in changed and os.path.realpath(code.co_filename) == path:
            codes = new[code.co_qualname]
            if len(codes) != 1:  # two lambdas of one function: which is which is not known
                raise MustRestart(f"{module.__name__}.{code.co_qualname} is not found once")
            pairs.append(_checked(module, value, codes[0]))
    return pairs


def _inner_code(code: types.CodeType) -> dict[str, list[types.CodeType]]:
    """The code of every function defined inside this one, at any depth, by qualified name;
    comprehensions left out (each runs to its end where it is made)."""
    found: dict[str, list[types.CodeType]] = {}
    pending = [code]
    while pending:
        for const in pending.pop().co_consts:
            if isinstance(const, types.CodeType):
                pending.append(const)
                if const.co_name not in _COMPREHENSIONS:
                    found.setdefault(const.co_qualname, []).append(const)
    return found


_COMPREHENSIONS = ("<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>")


def _without_bodies(tree: ast.Module) -> ast.Module:
    """The module with every function's body emptied: what runs at import, defaults and
    decorators included."""

    class Hollow(ast.NodeTransformer):
        def visit_FunctionDef(self, node: ast.AST) -> ast.AST:
            self.generic_visit(node)
            node.body = [ast.Pass()]
            return node

        visit_AsyncFunctionDef = visit_FunctionDef

    hollow = ast.parse(ast.unparse(tree))  # a copy to change
    return Hollow().visit(hollow)


def _functions_code(module_code: types.CodeType) -> dict[str, list[types.CodeType]]:
    """Each function's code by qualified name; a function defined inside another is part of
    its parent's code, so only the outermost are listed."""
    found: dict[str, list[types.CodeType]] = {}
    pending = [module_code]
    while pending:
        code = pending.pop()
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                if "<locals>" in const.co_qualname or const.co_name.startswith("<"):
                    continue  # inside a function (swapped with it), or a comprehension's
                if _is_class_body(const):
                    pending.append(const)
                else:
                    found.setdefault(const.co_qualname, []).append(const)
    return found


def _is_class_body(code: types.CodeType) -> bool:
    return "__qualname__" in code.co_names and code.co_name == code.co_qualname.rpartition(".")[2]


def _live_functions(module: types.ModuleType) -> dict[str, list[types.FunctionType]]:
    """The module's functions and its classes' methods as the app holds them, unwrapped."""
    found: dict[str, list[types.FunctionType]] = {}
    path = os.path.realpath(module.__file__)
    pending: list[object] = list(vars(module).values())
    seen: set[int] = set()
    while pending:
        value = pending.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, (staticmethod, classmethod)):
            pending.append(value.__func__)
        elif isinstance(value, property):
            pending.extend(f for f in (value.fget, value.fset, value.fdel) if f is not None)
        elif isinstance(value, type) and value.__module__ == module.__name__:
            pending.extend(vars(value).values())
        elif isinstance(value, types.FunctionType) or hasattr(value, "__wrapped__"):
            wrapped = getattr(value, "__wrapped__", None)
            if wrapped is not None:
                pending.append(wrapped)
            code = getattr(value, "__code__", None)
            if isinstance(value, types.FunctionType) and os.path.realpath(code.co_filename) == path:
                found.setdefault(code.co_qualname, []).append(value)
    return found


def serve(folder: str, package: str, port: str, clear_caches: Callable[[str], None]) -> None:
    """Answer the harness on <folder>/<port>.sock, in a daemon thread, for the app's life."""
    swapper = CodeSwapper(package, clear_caches)
    path = Path(folder) / f"{port}.sock"
    path.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(2)

    def answer_forever() -> None:
        while True:
            connection, _ = server.accept()
            with connection:
                request = json.loads(connection.makefile("rb").readline() or b"{}")
                connection.sendall(json.dumps(_answer(swapper, request)).encode() + b"\n")

    threading.Thread(target=answer_forever, name="code swap", daemon=True).start()


def _answer(swapper: CodeSwapper, request: dict) -> dict:
    try:
        if request.get("do") == "remember":
            swapper.remember()
            return {"remembered": len(swapper.live or {})}
        return {"swapped": swapper.swap()}
    except MustRestart as why:
        return {"restart": str(why)}
    except Exception as error:  # a file that does not compile, say: the restart will tell
        return {"restart": f"{type(error).__name__}: {error}"}


def ask(folder: Path, port: int, do: str, timeout: float) -> dict:
    """The app's answer to `do` ("remember" or "swap"); {"restart": why} when it cannot be
    asked (no socket: not started so, or gone) or does not answer within timeout seconds."""
    path = folder / f"{port}.sock"
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(str(path))
            connection.sendall(json.dumps({"do": do}).encode() + b"\n")
            line = connection.makefile("rb").readline(ANSWER_LIMIT)
    except OSError as error:
        return {"restart": f"the app's code-swap socket {path} did not answer: {error}"}
    return json.loads(line) if line else {"restart": f"no answer on {path}"}
