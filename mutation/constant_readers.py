"""Where a module's constant is read: the lines, inside function bodies, of its package that use
the names a module-level assignment binds (mutation/coverage_map.py).

A mutant of `MIN_TIME_COST = 2` runs at import, before any scenario, so its statement's coverage
says "every scenario". But the value only matters where it is read: a scenario that runs none of
the functions reading it cannot tell the mutant from the code. When every read is inside a
function body (run later, by a request), the scenarios that ran those lines are the ones to run.
Any read this cannot place, or place inside a function (at module level, in a class body, a
default, a decorator, `from module import *`), leaves the answer at every scenario.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

Reads = dict[str, set[int]]  # module path (relative to the tree) -> lines that read the names


def bound_names(tree: Path, module: str, first_line: int) -> set[str] | None:
    """The names a module-level assignment starting at first_line binds; None when the
    statement there is not such an assignment (or binds anything but plain names)."""
    for node in _parsed(tree / module).body:
        if node.lineno != first_line:
            continue
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        else:
            return None
        names: set[str] = set()
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Name):
                    names.add(part.id)
                elif not isinstance(part, ast.Tuple | ast.List | ast.Store):
                    return None  # an attribute, a subscript, a starred target
        return names or None
    return None


def reads_of(tree: Path, module: str, names: set[str]) -> Reads | None:
    """The lines of the module's package (its first two folders: app/<product>) that read the
    names, each inside a function body; None when a read is elsewhere or cannot be told."""
    package = tree / Path(module).parts[0] / Path(module).parts[1]
    found: Reads = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(tree).as_posix()
        syntax = _parsed(path)
        local = set(names) if relative == module else set()
        for node in ast.walk(syntax):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name == "*":
                        return None
                    if alias.name in names:
                        local.add(alias.asname or alias.name)
        for node, in_function in _with_scope(syntax, False):
            is_read = (
                isinstance(node, ast.Name) and node.id in local and isinstance(node.ctx, ast.Load)
            ) or (isinstance(node, ast.Attribute) and node.attr in names)
            if not is_read:
                continue
            if not in_function:
                return None
            found.setdefault(relative, set()).add(node.lineno)
    return found


def _with_scope(node: ast.AST, in_function: bool) -> Iterator[tuple[ast.AST, bool]]:
    """Every node under `node`, with whether it runs inside a function's body (a call), not at
    import: a def's decorators, defaults and annotations run where the def is."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            body = child.body if isinstance(child.body, list) else [child.body]
            for part in ast.iter_child_nodes(child):
                inside = any(part is statement for statement in body)
                yield part, in_function or inside
                yield from _with_scope(part, in_function or inside)
        else:
            yield child, in_function
            yield from _with_scope(child, in_function)


@cache
def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_bytes(), str(path))
