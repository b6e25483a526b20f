"""Generate the README's configuration reference from the typed params sections."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from pipeline.config import PARAMS_FILE, PROJECT_ROOT
from pipeline.modeling.baseline import BaselineParams
from pipeline.modeling.train_params import TrainParams
from pipeline.params import (
    EvaluateParams,
    ModelParams,
    PartitionParams,
    RealNewsParams,
    ScoreParams,
    SelectParams,
    SentencesParams,
)

START, END = "<!-- params:start -->", "<!-- params:end -->"
SECTIONS: tuple[type, ...] = (
    SentencesParams,
    RealNewsParams,
    PartitionParams,
    ModelParams,
    BaselineParams,
    TrainParams,
    EvaluateParams,
    SelectParams,
    ScoreParams,
)


def params_rows(path: Path = PARAMS_FILE) -> list[tuple[str, str, str]]:
    """(dotted key, value in the params file, meaning) for every field of every section."""
    values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows: list[tuple[str, str, str]] = []
    for cls in SECTIONS:
        _rows(cls, cls.SECTION, values.get(cls.SECTION) or {}, _first_line(cls), rows)
    return rows


def _rows(cls: type, key: str, values: dict, doc: str, rows: list) -> None:
    rows.append((key, "", doc))
    for f in dataclasses.fields(cls):
        sub, value = f"{key}.{f.name}", values.get(f.name, _default(f))
        if dataclasses.is_dataclass(f.type) or dataclasses.is_dataclass(_default(f)):
            nested = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value
            _rows(type(_default(f)), sub, nested or {}, f.metadata["help"], rows)
        else:
            rows.append((sub, _shown(value), f.metadata["help"]))


def _default(f: dataclasses.Field) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    return f.default_factory()  # type: ignore[misc]


def _shown(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value if not isinstance(value, tuple) else list(value))
    return str(value)


def _first_line(cls: type) -> str:
    return (cls.__doc__ or "").strip().splitlines()[0]


def params_table(path: Path = PARAMS_FILE) -> str:
    """The reference as a Markdown table; section rows have no value."""
    lines = ["| key | value | meaning |", "|---|---|---|"]
    for key, value, doc in params_rows(path):
        shown = f"`{value}`" if value else ""
        lines.append(f"| `{key}` | {shown} | {doc.replace('|', chr(92) + '|')} |")
    return "\n".join(lines)


def render_readme(readme: str, table: str) -> str:
    """README text with the table between the params markers replaced."""
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{table}\n{END}{tail}"


if __name__ == "__main__":
    target = PROJECT_ROOT / "README.md"
    updated = render_readme(target.read_text(encoding="utf-8"), params_table())
    target.write_text(updated, encoding="utf-8")
    sys.stdout.write(f"updated the configuration reference in {target}\n")
