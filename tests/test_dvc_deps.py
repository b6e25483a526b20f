"""Every DVC stage depends on all the project code it imports, so no stale output looks fresh."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from pipeline.config import PROJECT_ROOT

PACKAGE = "pipeline"


def module_file(name: str, root: Path) -> Path | None:
    """The file of a dotted module name inside the project, if it is one of ours."""
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_modules(path: Path, root: Path) -> set[str]:
    """Dotted names of project modules a file imports (absolute, relative, lazy alike)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = path.relative_to(root).with_suffix("").parts[: -node.level]
                module = ".".join([*parts, module] if module else parts)
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return {n for n in names if n.split(".")[0] == PACKAGE}


def import_closure(start: Path, root: Path) -> set[Path]:
    """Every project file reachable by imports from `start`, packages' __init__ included."""
    seen: set[Path] = set()
    todo = [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in imported_modules(path, root):
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                found = module_file(".".join(parts[:i]), root)
                if found and found not in seen:
                    todo.append(found)
    return seen


def stage_closures(dvc_yaml: dict, root: Path) -> Iterator[tuple[str, dict, set[Path]]]:
    """(name, stage, files its code imports) for each stage that runs a project module."""
    for name, stage in dvc_yaml["stages"].items():
        match = re.search(r"-m\s+([\w.]+)", stage["cmd"])
        start = module_file(match.group(1), root) if match else None
        if start is not None:
            yield name, stage, import_closure(start, root)


def missing_deps(dvc_yaml: dict, root: Path) -> dict[str, list[str]]:
    """Per stage, the imported files no dep (file or folder) covers."""
    missing = {}
    for name, stage, closure in stage_closures(dvc_yaml, root):
        deps = [str(d).rstrip("/") for d in stage.get("deps", [])]
        uncovered = sorted(
            rel
            for rel in (str(p.relative_to(root)) for p in closure)
            if not any(rel == d or rel.startswith(d + "/") for d in deps)
            and not (rel.endswith("__init__.py") and (root / rel).stat().st_size == 0)
        )
        if uncovered:
            missing[name] = uncovered
    return missing


# Config files the code opens through pipeline.config: a call (or name) -> the file it reads.
CONFIG_READERS = {"label_names": "configs/labels.yaml", "load_labels": "configs/labels.yaml",
                  "LABELS_FILE": "configs/labels.yaml"}  # fmt: skip


def config_files_read(path: Path) -> set[str]:
    """Config files a module reads through pipeline.config (its own definitions aside)."""
    if path.name == "config.py" and path.parent.name == PACKAGE:
        return set()
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        target = node.func if isinstance(node, ast.Call) else node
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
        called = isinstance(node, ast.Call) or name == "LABELS_FILE"  # a parameter named
        if called and name in CONFIG_READERS:  # label_names is not a read
            found.add(CONFIG_READERS[name])
    return found


def missing_config_deps(dvc_yaml: dict, root: Path) -> dict[str, list[str]]:
    """Per stage, the config files its code reads that no dep names."""
    missing = {}
    for name, stage, closure in stage_closures(dvc_yaml, root):
        read = set().union(*(config_files_read(p) for p in closure))
        deps = {str(d) for d in stage.get("deps", [])}
        if read - deps:
            missing[name] = sorted(read - deps)
    return missing


def load_dvc_yaml(root: Path = PROJECT_ROOT) -> dict:
    return yaml.safe_load((root / "dvc.yaml").read_text(encoding="utf-8"))


def test_every_stage_depends_on_the_code_it_imports():
    assert missing_deps(load_dvc_yaml(), PROJECT_ROOT) == {}


def test_every_stage_depends_on_the_config_files_it_reads():
    assert missing_config_deps(load_dvc_yaml(), PROJECT_ROOT) == {}


def test_removing_the_label_file_from_evaluate_is_caught():
    dvc_yaml = load_dvc_yaml()
    dvc_yaml["stages"]["evaluate"]["deps"].remove("configs/labels.yaml")
    assert missing_config_deps(dvc_yaml, PROJECT_ROOT) == {"evaluate": ["configs/labels.yaml"]}


@pytest.mark.parametrize("stage", ["partition", "evaluate", "score_incoming", "convert_packaged"])
def test_removing_a_code_dep_is_caught(stage):
    dvc_yaml = load_dvc_yaml()
    deps = dvc_yaml["stages"][stage]["deps"]
    dropped = next(
        d for d in deps if d.startswith("pipeline/") and not d.startswith("pipeline/stages")
    )
    deps.remove(dropped)
    missing = missing_deps(dvc_yaml, PROJECT_ROOT)
    assert stage in missing
    assert any(m == dropped or m.startswith(dropped.rstrip("/") + "/") for m in missing[stage])


def test_each_stage_runs_the_script_named_like_it():
    for name, stage in load_dvc_yaml()["stages"].items():
        assert re.search(rf"-m\s+pipeline\.stages\.{name}\b", stage["cmd"]), name
        assert (PROJECT_ROOT / "pipeline" / "stages" / f"{name}.py").is_file()
