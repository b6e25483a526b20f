"""No import circles in `pipeline/`: neither between modules nor between subpackages.

Every import counts, including those inside functions (a lazy import hides a circle; it
does not remove it).
"""

from __future__ import annotations

import ast
from pathlib import Path

from pipeline.config import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "pipeline"


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The project modules a file imports anywhere in its body."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {n for n in names if n in modules}
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {name: imports_of(path, modules) - {name} for name, path in paths.items()}


def subpackage(module: str) -> str:
    """pipeline.modeling.finetune -> pipeline.modeling; pipeline.io stays pipeline.io."""
    return ".".join(module.split(".")[:2])


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_cycle_between_modules():
    assert cycles(import_graph()) == []


def test_no_cycle_between_subpackages():
    packages: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        source = subpackage(module)
        packages.setdefault(source, set()).update(
            subpackage(t) for t in targets if subpackage(t) != source
        )
    assert cycles(packages) == []


def test_the_walk_sees_lazy_imports_and_finds_a_planted_cycle():
    graph = import_graph()
    lazy = (PACKAGE / "modeling" / "predictor.py").read_text()
    assert "\n        from pipeline.modeling.baseline import" in lazy  # inside a method only
    assert "pipeline.modeling.baseline" in graph["pipeline.modeling.predictor"]
    planted = {**graph, "pipeline.io": graph["pipeline.io"] | {"pipeline.cli"}}
    assert any("pipeline.io" in c and "pipeline.cli" in c for c in cycles(planted))
