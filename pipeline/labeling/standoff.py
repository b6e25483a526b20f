"""Stand-off gold labels over a corpus the repository does not redistribute: ids, positions, hashes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.io import write_jsonl
from pipeline.labeling.gold import LabelError, read_label_records
from pipeline.text import indosum

STANDOFF_FIELDS = (
    "corpus",
    "article_id",
    "para",
    "sent",
    "key",
    "label",
    "annotator",
    "labeled_at",
    "selection",
    "note",
)
_REQUIRED = STANDOFF_FIELDS[:8]
_TYPES = {"para": int, "sent": int}


class CorpusMissing(FileNotFoundError):
    """The corpus folder the stand-off labels point into is not there."""


@dataclass(frozen=True)
class Position:
    """Where a sentence lives in the corpus."""

    corpus: str
    article_id: str
    para: int
    sent: int


def position_of(row: dict[str, Any]) -> Position:
    return Position(row["corpus"], row["article_id"], int(row["para"]), int(row["sent"]))


def read_standoff(path: Path) -> list[dict[str, Any]]:
    """Stand-off rows, each with its line number under `_line`; every bad line is reported."""
    return read_label_records(path, _REQUIRED, _TYPES)


def write_standoff(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows atomically in corpus order, stand-off fields only (never text)."""
    clean = [{k: r.get(k, "") for k in STANDOFF_FIELDS} for r in rows]
    clean.sort(key=lambda r: (r["corpus"], r["article_id"], r["para"], r["sent"]))
    return write_jsonl(path, clean)


def check_labels(rows: list[dict[str, Any]], label_names: list[str], path: Path | str) -> None:
    """Unknown labels, unknown corpora and two labels for one position are errors."""
    problems, seen = [], {}
    for row in rows:
        where = f"{path}:{row.get('_line', '?')}"
        if row["label"] not in label_names:
            problems.append(f"{where}: unknown label {row['label']!r}; use one of {label_names}")
        if row["corpus"] != indosum.CORPUS_NAME:
            problems.append(
                f"{where}: unknown corpus {row['corpus']!r}; only {indosum.CORPUS_NAME!r} is read"
            )
        pos = position_of(row)
        if pos in seen:
            problems.append(
                f"{where}: second label for {pos.article_id} paragraph {pos.para} sentence "
                f"{pos.sent} (first at line {seen[pos]}); keep one record per sentence"
            )
        seen.setdefault(pos, row.get("_line", "?"))
    if problems:
        raise LabelError(problems)


def rebuild(rows: list[dict[str, Any]], corpus_dir: Path, path: Path | str) -> list[dict[str, Any]]:
    """Labeled sentences with their text rebuilt from the corpus; hash mismatches are errors."""
    if not indosum.available(corpus_dir):
        raise CorpusMissing(f"no IndoSum fold files (*.jsonl) in {corpus_dir}")
    wanted = {r["article_id"] for r in rows}
    found: dict[Position, indosum.CorpusSentence] = {}
    for article in indosum.raw_articles(corpus_dir):
        if article["id"] in wanted:
            for s in indosum.article_sentences(article):
                found[Position(indosum.CORPUS_NAME, s.article_id, s.para, s.sent)] = s
    out, problems = [], []
    for row in rows:
        where = f"{path}:{row.get('_line', '?')}"
        pos = position_of(row)
        sentence = found.get(pos)
        if sentence is None:
            problems.append(
                f"{where}: no sentence at {pos.article_id} paragraph {pos.para} sentence "
                f"{pos.sent} in {corpus_dir}; point real_news.corpus_dir at the IndoSum copy "
                "the labels were made on, or remove the record"
            )
        elif sentence.key != row["key"]:
            problems.append(
                f"{where}: the corpus sentence at {pos.article_id} paragraph {pos.para} "
                f"sentence {pos.sent} has hash {sentence.key}, the label expects {row['key']}: "
                "the corpus copy differs from the one labeled; restore the original IndoSum "
                "files, or relabel this sentence"
            )
        else:
            out.append(
                {
                    "article_id": pos.article_id,
                    "sent_idx": sentence.sent_idx,
                    "key": sentence.key,
                    "text": sentence.text,
                    "label": row["label"],
                    "annotator": row["annotator"],
                    "selection": row.get("selection", ""),
                }
            )
    if problems:
        raise LabelError(problems)
    return out
