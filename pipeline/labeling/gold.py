"""Gold stance labels keyed by article id and a hash of the normalised sentence text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import BadInput
from pipeline.io import JsonLineError, jsonl_lines, write_jsonl
from pipeline.text.keys import sentence_key

GOLD_FIELDS = ("article_id", "key", "label", "text")


class LabelError(BadInput, ValueError):
    """Gold labels that do not fit the sentences or the label set; lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} label problem(s):\n  {shown}{more}")


@dataclass
class JoinReport:
    """What joining gold labels to sentences found."""

    labeled: int = 0
    unlabeled: int = 0
    problems: list[str] = field(default_factory=list)


def read_label_records(
    path: Path, required: Sequence[str], types: Mapping[str, type] | None = None
) -> list[dict[str, Any]]:
    """A label file's records, each with its line number under `_line`.

    Raises LabelError listing every line that is not a JSON object with the `required`
    fields (and the given field types), so one run shows all that needs fixing.
    """
    rows, problems = [], []
    for n, row in jsonl_lines(path):
        if isinstance(row, JsonLineError):
            problems.append(f"{path}:{n}: not valid JSON ({row}); fix or remove the line")
            continue
        if not isinstance(row, dict):
            problems.append(f"{path}:{n}: not a JSON object; write one record per line")
            continue
        missing = [k for k in required if k not in row]
        wrong = [k for k, t in (types or {}).items() if k in row and type(row[k]) is not t]
        if missing or wrong:
            problems.append(
                f"{path}:{n}: missing field(s) {missing}, wrongly typed {wrong}; each record "
                f"needs {list(required)}"
                + (
                    f" with {', '.join(f'{k}: {t.__name__}' for k, t in types.items())}"
                    if types
                    else ""
                )
            )
            continue
        rows.append({**row, "_line": n})
    if problems:
        raise LabelError(problems)
    return rows


def read_gold(path: Path) -> list[dict[str, Any]]:
    """Gold label rows, each with its line number under `_line` for error reports."""
    return read_label_records(path, GOLD_FIELDS)


def write_gold(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write gold rows atomically, grouped by article in the order given, fields only."""
    clean = [{k: r[k] for k in GOLD_FIELDS} for r in rows]
    clean.sort(key=lambda r: r["article_id"])  # stable: keeps sentence order within an article
    return write_jsonl(path, clean)


def gold_index(
    gold: list[dict[str, Any]], label_names: list[str], path: Path | str = "gold"
) -> tuple[dict[tuple[str, str], dict[str, Any]], list[str]]:
    """Map (article_id, key) to its gold row; reports unknown labels and conflicting duplicates."""
    index: dict[tuple[str, str], dict[str, Any]] = {}
    problems = []
    for row in gold:
        where = f"{path}:{row.get('_line', '?')}"
        if row["label"] not in label_names:
            problems.append(
                f"{where}: unknown label {row['label']!r} for {row['text'][:60]!r}; "
                f"use one of {label_names} (configs/labels.yaml)"
            )
            continue
        if row["key"] != sentence_key(row["text"]):
            problems.append(f"{where}: key {row['key']} does not match the text; recompute it")
            continue
        ident = (row["article_id"], row["key"])
        if ident in index and index[ident]["label"] != row["label"]:
            first = index[ident]
            problems.append(
                f"{where}: duplicate with a different label ({row['label']!r} here, "
                f"{first['label']!r} at line {first.get('_line', '?')}) for {row['text'][:60]!r}; "
                "keep one"
            )
        index.setdefault(ident, row)
    return index, problems


def join_labels(
    sentences: list[dict[str, Any]],
    gold: list[dict[str, Any]],
    label_names: list[str],
    gold_path: Path | str = "gold",
) -> tuple[list[dict[str, Any]], JoinReport]:
    """Attach gold labels to sentences; raises LabelError on orphaned, duplicate or unknown labels."""
    index, problems = gold_index(gold, label_names, gold_path)
    used: set[tuple[str, str]] = set()
    labeled, report = [], JoinReport(problems=problems)
    for s in sentences:
        ident = (s["article_id"], sentence_key(s["text"]))
        row = index.get(ident)
        if row is None:
            report.unlabeled += 1
            continue
        used.add(ident)
        labeled.append({**s, "key": ident[1], "label": row["label"]})
    for ident, row in index.items():
        if ident not in used:
            problems.append(
                f"{gold_path}:{row.get('_line', '?')}: orphaned label, article {ident[0]!r} has no "
                f"sentence {row['text'][:60]!r}; fix the text or remove the label"
            )
    if problems:
        raise LabelError(problems)
    report.labeled = len(labeled)
    return labeled, report
