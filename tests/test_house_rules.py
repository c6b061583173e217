"""The house rules a machine can check: file size, swallowed exceptions, import direction."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant

from aicaller.api.routes_index import iter_api_routes
from tests.import_graph import describe_knots, import_graph, package_graph

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "aicaller"
SOURCES = sorted(SRC.rglob("*.py"))
# Tests and benchmarks keep to the same size limit as the application's code.
SUPPORT = sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")])
MAX_LINES = 300
DOMAINS = {"users", "businesses", "calls", "knowledge", "agent", "telephony", "qa", "analytics"}


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_source_file_rules(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") < MAX_LINES, f"{path.name} has grown past {MAX_LINES} lines"
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler):
            assert node.type is not None, f"bare except at line {node.lineno}"
            assert not all(isinstance(s, ast.Pass) for s in node.body), (
                f"exception swallowed with pass at line {node.lineno}"
            )


@pytest.mark.parametrize("path", SUPPORT, ids=lambda p: str(p.relative_to(ROOT)))
def test_test_and_benchmark_files_stay_small(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines < MAX_LINES, f"{path.name} has grown past {MAX_LINES} lines"


def test_core_and_database_import_no_domain() -> None:
    for layer in ("core", "database"):
        for path in (SRC / layer).rglob("*.py"):
            for name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
                parts = name.split(".")
                assert not (parts[0] == "aicaller" and len(parts) > 1 and parts[1] in DOMAINS), (
                    f"{path.relative_to(SRC)} imports the domain module {name}"
                )


ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "head", "options", "websocket"}
ROUTE_DECORATORS |= {"api_route", "route", "websocket_route"}
# Modules that may use FastAPI or Starlette: the HTTP layer. Everything else (services,
# repositories, queries, schemas, jobs) takes plain typed values.
HTTP_GLUE = {"api", "main"}


def _declares_routes(tree: ast.AST) -> bool:
    """Creates an ``APIRouter`` or decorates a function with one's route methods."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name == "APIRouter":
                return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(call, ast.Attribute) and call.attr in ROUTE_DECORATORS:
                    return True
    return False


def _is_http_layer(path: Path, tree: ast.AST) -> bool:
    relative = path.relative_to(SRC)
    return (
        relative.parts[0] in HTTP_GLUE
        or relative.stem == "main"
        or path.name == "deps.py"
        or _declares_routes(tree)
    )


ROUTE_MODULES = [p for p in SOURCES if _declares_routes(ast.parse(p.read_text(encoding="utf-8")))]


def test_route_modules_are_found_wherever_they_are() -> None:
    found = {str(p.relative_to(SRC)) for p in ROUTE_MODULES}
    assert {"api/health.py", "calls/routes.py", "knowledge/sources/routes.py"} <= found
    assert not any(name.endswith(("service.py", "repository.py", "schemas.py")) for name in found)


@pytest.mark.parametrize("path", ROUTE_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_routes_never_touch_repositories_queries_or_models(path: Path) -> None:
    """Every module that declares routes, whatever its name."""
    for name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        last = name.rpartition(".")[2]
        assert last not in {"repository", "queries"}, f"{path.relative_to(SRC)} imports {name}"
        assert ".queries." not in name, f"{path.relative_to(SRC)} imports {name}"
        assert not name.startswith("aicaller.database.models"), (
            f"{path.relative_to(SRC)} imports {name}"
        )
        builds_queries = name == "sqlalchemy" or name.startswith("sqlalchemy.sql")
        assert not builds_queries, f"{path.relative_to(SRC)} builds queries ({name})"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_fastapi_stays_in_the_http_layer(path: Path) -> None:
    """Services, repositories, queries, schemas and jobs never import FastAPI or Starlette;
    only route modules, route dependencies (``deps.py``), ``api/`` and ``main.py`` do."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    web = sorted(n for n in _imports(tree) if n.split(".")[0] in {"fastapi", "starlette"})
    if not web:
        return
    layer = path.stem in {"service", "repository", "schemas", "queries"} or (
        "queries" in path.relative_to(SRC).parts[:-1]
    )
    assert not layer, f"{path.relative_to(SRC)} imports {web}"
    assert _is_http_layer(path, tree), f"{path.relative_to(SRC)} is not HTTP code but imports {web}"


def test_no_import_cycles_between_modules() -> None:
    """Not even through an import inside a function (those under ``TYPE_CHECKING`` never run)."""
    found = describe_knots(import_graph(SRC))
    assert not found, "import cycles:\n" + "\n".join(found)


def test_no_import_cycles_between_domains() -> None:
    """Between top-level packages. ``api`` is left out: it is the HTTP glue every domain's
    routes use (dependencies, problem responses) and that mounts every domain's router."""
    found = describe_knots(package_graph(import_graph(SRC), ignored={"api"}))
    assert not found, "import cycles between packages:\n" + "\n".join(found)


def _dependency_calls(dependant: Dependant) -> list[Callable[..., Any]]:
    found: list[Callable[..., Any]] = []
    for sub in dependant.dependencies:
        if sub.call is not None:
            found.append(sub.call)
        found += _dependency_calls(sub)
    return found


def test_dependencies_do_not_hop_to_the_thread_pool(app: FastAPI) -> None:
    """FastAPI runs ``def`` dependencies in a worker thread; ours are ``async def`` (or classes
    FastAPI itself provides, such as the login form)."""
    offenders = set()
    routes = [route for _, route in iter_api_routes(app)]
    assert len(routes) > 30  # every nested router's routes, not only the top-level ones
    for route in routes:
        for call in _dependency_calls(route.dependant):
            # Instances (the OAuth2 bearer scheme) are called through their class's __call__.
            is_instance = not (inspect.isfunction(call) or inspect.isclass(call))
            target = type(call).__call__ if is_instance else call
            if inspect.isclass(call) and call.__module__.startswith("fastapi."):
                continue
            if not (inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)):
                offenders.add(f"{call.__module__}.{getattr(call, '__qualname__', call)}")
    assert not offenders, f"make these dependencies async def: {sorted(offenders)}"
