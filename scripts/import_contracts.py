"""An import-linter contract of our own: no import cycle between modules (`make lint`).

import-linter's `acyclic_siblings` finds cycles between the children of a package, at every
depth; it does not see a package's own module (its __init__.py) in a cycle with one of its
descendants. This contract does: it looks for cycles over every module of the graph, whatever
their packages. Declared in pyproject.toml ([tool.importlinter] contract_types) as
`module_cycles: scripts.import_contracts.ModuleCyclesContract`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain.contract import Contract, ContractCheck


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The groups of two or more modules that import each other round a cycle, sorted
    (Tarjan's algorithm, without recursion: a long chain of imports must not overflow)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges.get(target, ())))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups)


def one_cycle(graph: ImportGraph, group: list[str]) -> list[str]:
    """A shortest way round the group, from its first module back to it, to print."""
    first = group[0]
    best: tuple[str, ...] | None = None
    for target in sorted(graph.find_modules_directly_imported_by(first) & set(group)):
        back = graph.find_shortest_chain(importer=target, imported=first)
        if back and (best is None or len(back) < len(best)):
            best = back
    return [first, *(best or ())]


class ModuleCyclesContract(Contract):
    """Kept when no module of the root packages reaches itself through its imports."""

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        edges = {
            module: graph.find_modules_directly_imported_by(module) for module in graph.modules
        }
        cycles = [one_cycle(graph, group) for group in strongly_connected(edges)]
        return ContractCheck(kept=not cycles, warnings=None, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(f"Import cycle: {' -> '.join(cycle)}")
            for importer, imported in zip(cycle, cycle[1:], strict=False):
                output.indent_cursor()
                output.print(f"{importer} imports {imported}")
            output.new_line()
