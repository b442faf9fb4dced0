"""The runtime's modules import one another one way: the sentinels are a leaf, and no two modules import each other,
directly or round a longer circle, counting imports made for type checkers and inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

from sdkpipeline.spec.repo import Repo

RUNTIME = Repo.default().runtime


def _imports(path: Path) -> set[str]:
    """The sibling modules a runtime module imports anywhere in it (`from ._request import ...`, `from . import x`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.update([node.module] if node.module else [alias.name for alias in node.names])
    return found


def _graph() -> dict[str, set[str]]:
    modules = {p.stem: p for p in RUNTIME.glob("_*.py") if p.name != "__init__.py"}
    assert {"_sentinels", "_request", "_base_client", "_response", "_resource"} <= set(modules)
    return {name: _imports(path) & set(modules) for name, path in modules.items()}


def test_the_sentinels_import_nothing_of_the_package() -> None:
    assert _graph()["_sentinels"] == set()


def test_no_runtime_module_is_in_an_import_circle() -> None:
    graph = _graph()

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph[start])

    circles = sorted(name for name in graph if reaches(name, name))
    assert circles == [], f"modules in an import circle: {circles}"


def test_the_request_records_do_not_import_the_engine() -> None:
    """`_request` (the records every module reads) once imported `_base_client` for its sentinels, which imported it
    back: a circle."""
    assert "_base_client" not in _graph()["_request"]
