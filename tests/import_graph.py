"""The import graph of ``src/aicaller``, read from the source (nothing is imported).

Imports inside functions count: they are how a cycle is usually dodged, and the cycle is still
there. Imports under ``if TYPE_CHECKING:`` do not, since they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

Graph = dict[str, set[str]]


def module_names(src: Path) -> dict[str, Path]:
    """``aicaller.calls.service`` -> its file, for every module and package under ``src``."""
    names: dict[str, Path] = {}
    for path in sorted(src.rglob("*.py")):
        parts = list(path.relative_to(src.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for branch in child.orelse:
                yield from _import_nodes_of(branch)
            continue
        yield from _import_nodes_of(child)


def _import_nodes_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    yield from _import_nodes(node)


def runtime_imports(path: Path) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of the file that can run, at any depth."""
    return list(_import_nodes(ast.parse(path.read_text(encoding="utf-8"))))


def _targets(
    node: ast.Import | ast.ImportFrom, name: str, is_package: bool, modules: Mapping[str, Path]
) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = name.split(".") if is_package else name.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, *([node.module] if node.module else [])])
    # ``from package import module`` imports the module; ``from module import name`` the module.
    return [
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
        for alias in node.names
    ]


def import_graph(src: Path) -> Graph:
    """Each module of the package -> the modules of the package it imports."""
    modules = module_names(src)
    graph: Graph = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in runtime_imports(path):
            for candidate in _targets(node, name, path.name == "__init__.py", modules):
                target = candidate
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found.add(target)
        graph[name] = found
    return graph


def package_graph(graph: Mapping[str, set[str]], ignored: set[str]) -> Graph:
    """The graph between top-level packages (``aicaller.<package>``), leaving out ``ignored``."""

    def top(module: str) -> str:
        return module.split(".")[1] if "." in module else module

    packages: Graph = {}
    for module, targets in graph.items():
        source = top(module)
        if source in ignored:
            continue
        edges = packages.setdefault(source, set())
        edges.update(top(t) for t in targets if top(t) not in ignored and top(t) != source)
    return packages


def knots(graph: Mapping[str, set[str]]) -> list[set[str]]:
    """The strongly connected groups of more than one node: each member reaches every other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the graph is small enough to recurse
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def describe_knots(graph: Mapping[str, set[str]]) -> list[str]:
    """Each knot as one of its cycles and all of its members, for a failure message."""
    return [
        f"{' -> '.join(cycle_in(graph, group))} (all of: {', '.join(sorted(group))})"
        for group in knots(graph)
    ]


def cycle_in(graph: Mapping[str, set[str]], group: set[str]) -> list[str]:
    """A shortest way from the group's first node back to itself, staying inside the group."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph.get(node, set()) & group):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle in {sorted(group)}")  # unreachable for a strong component
