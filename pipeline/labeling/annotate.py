"""The labeling loop: export sentences to a spreadsheet CSV, import the filled-in labels."""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.io import exclusive_lock, read_jsonl, spreadsheet_unescape
from pipeline.labeling.corpus_loop import ID_PREFIX, merge_corpus_labels
from pipeline.labeling.cues import ANY_CUE
from pipeline.labeling.gold import gold_index, read_gold, write_gold
from pipeline.text.encoding import InputError, decode
from pipeline.text.keys import sentence_key

CSV_COLUMNS = (
    "id",
    "article_id",
    "sent_idx",
    "context_before",
    "text",
    "context_after",
    "label",
    "selection",
    "note",
)
STRATEGIES = ("random", "cue", "uncertain")
Uncertainty = Callable[[list[str]], Sequence[float]]


@dataclass
class ImportReport:
    """What an import did: labels added, already present, and conflicts left untouched."""

    added: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)


def unlabeled_with_context(
    sentences: list[dict[str, Any]], labeled: set[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Unlabeled sentences as CSV rows, each with the sentence before and after it."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    for s in sentences:
        by_article[s["article_id"]].append(s)
    rows = []
    for article_id, sents in by_article.items():
        sents.sort(key=lambda s: s["sent_idx"])
        for i, s in enumerate(sents):
            key = sentence_key(s["text"])
            if (article_id, key) in labeled:
                continue
            rows.append(
                {
                    "id": f"{article_id}:{key}",
                    "article_id": article_id,
                    "sent_idx": s["sent_idx"],
                    "context_before": sents[i - 1]["text"] if i > 0 else "",
                    "text": s["text"],
                    "context_after": sents[i + 1]["text"] if i + 1 < len(sents) else "",
                    "label": "",
                }
            )
    return rows


def select_rows(
    rows: list[dict[str, Any]],
    strategy: str,
    n: int,
    seed: int,
    uncertainty: Uncertainty | None = None,
) -> list[dict[str, Any]]:
    """Pick n rows: at random, those with cooperation cue words, or the model's least sure."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; use one of {STRATEGIES}")
    rng = random.Random(seed)
    if strategy == "cue":
        rows = [r for r in rows if ANY_CUE.search(r["text"])]
    if strategy == "uncertain":
        if uncertainty is None:
            raise ValueError("strategy 'uncertain' needs a trained model (run `make repro`)")
        scores = uncertainty([r["text"] for r in rows])
        order = sorted(range(len(rows)), key=lambda i: (-scores[i], rows[i]["id"]))
        return [rows[i] for i in order[:n]]
    picked = rng.sample(rows, min(n, len(rows)))
    return sorted(picked, key=lambda r: (r["article_id"], r["sent_idx"]))


def project_candidates(sentences: Path, gold: Path, selection: str) -> list[dict[str, Any]]:
    """Unlabeled sentences of the project's own articles, with context, tagged `selection`."""
    labeled = {(r["article_id"], r["key"]) for r in read_gold(gold)} if gold.exists() else set()
    return [
        {**r, "selection": selection}
        for r in unlabeled_with_context(read_jsonl(sentences), labeled)
    ]


def least_sure(predictor: Any) -> Uncertainty:
    """Uncertainty of each text: one minus the model's top probability."""
    return lambda texts: 1.0 - predictor.predict_proba(texts).max(axis=1)


def read_labeled_file(path: Path, label_names: list[str]) -> list[dict[str, Any]]:
    """Labeled rows of a filled-in CSV or a Label Studio JSON export."""
    if path.suffix.lower() == ".json":
        from pipeline.labeling.label_studio import read_export

        return labeled_rows(read_export(path), path, label_names)
    return read_labeled_csv(path, label_names)


def read_labeled_csv(path: Path, label_names: list[str]) -> list[dict[str, Any]]:
    """Rows with a label filled in; raises InputError on unknown labels or edited text."""
    reader = csv.DictReader(io.StringIO(decode(path, path.read_bytes())), strict=True)
    missing = {"id", "text", "label"} - set(reader.fieldnames or [])
    if missing:
        raise InputError(
            path,
            1,
            f"CSV lacks column(s) {sorted(missing)}",
            f"keep the exported header {list(CSV_COLUMNS)}",
        )
    records = (
        (reader.line_num, {k: spreadsheet_unescape(v or "") for k, v in record.items() if k})
        for record in _records(reader, path)
    )
    return labeled_rows(records, path, label_names)


def labeled_rows(
    records: Iterable[tuple[int, dict[str, str]]], path: Path, label_names: list[str]
) -> list[dict[str, Any]]:
    """Checked rows from (line, {id, text, label, selection, note}); unlabeled ones skipped.

    InputError (naming the line) for an unknown label, edited text, or one sentence given
    two different labels; the same label twice keeps one row.
    """
    rows: list[dict[str, Any]] = []
    seen: dict[str, tuple[str, int]] = {}
    for line, record in records:
        label = (record.get("label") or "").strip().lower()
        if not label:
            continue
        if label not in label_names:
            raise InputError(
                path,
                line,
                f"unknown label {record['label']!r}",
                f"use one of {label_names} (configs/labels.yaml)",
            )
        first = seen.setdefault(record["id"], (label, line))
        if first[0] != label:
            raise InputError(
                path,
                line,
                f"this sentence was labeled {first[0]!r} on line {first[1]} and {label!r} here",
                "keep one row per sentence (the label you mean)",
            )
        if first[1] != line:
            continue  # the same label twice: one row is enough
        article_id, _, key = record["id"].rpartition(":")
        if sentence_key(record["text"]) != key:
            raise InputError(
                path,
                line,
                "sentence text was edited after export",
                "restore the exported text; only fill in the label column",
            )
        rows.append(
            {
                "article_id": article_id,
                "key": key,
                "label": label,
                "text": record["text"],
                "selection": record.get("selection") or "",
                "note": record.get("note") or "",
                "_line": line,
            }
        )
    return rows


def _records(reader: csv.DictReader, path: Path):
    """The reader's records; a CSV syntax error (an unclosed quote, say) names its line."""
    while True:
        start = reader.line_num + 1
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise InputError(
                path, start, f"CSV cannot be parsed from here ({err})", "close the quote"
            ) from None


def merge_labels(
    csv_path: Path,
    gold_path: Path,
    label_names: list[str],
    standoff_path: Path | None = None,
    annotator: str = "",
) -> ImportReport:
    """Merge a filled-in CSV into the gold files; conflicting labels are reported, not overwritten.

    Rows of the project's articles go to `gold_path`; rows of the real-news corpus go to the
    stand-off store `standoff_path`, stamped with `annotator` and the time. Both files are
    locked for the whole merge, so a second import at the same time is refused, not lost.
    """
    incoming = read_labeled_file(csv_path, label_names)
    with ExitStack() as locks:
        for path in filter(None, (gold_path, standoff_path)):
            locks.enter_context(exclusive_lock(path))
        return _merge(incoming, csv_path, gold_path, label_names, standoff_path, annotator)


def _merge(
    incoming: list[dict[str, Any]],
    csv_path: Path,
    gold_path: Path,
    label_names: list[str],
    standoff_path: Path | None,
    annotator: str,
) -> ImportReport:
    corpus_rows = [r for r in incoming if r["article_id"].startswith(ID_PREFIX)]
    incoming = [r for r in incoming if not r["article_id"].startswith(ID_PREFIX)]
    report = ImportReport()
    if corpus_rows:
        if standoff_path is None or not annotator.strip():
            raise InputError(
                csv_path,
                corpus_rows[0]["_line"],
                "real-news rows need an annotator",
                "pass --annotator NAME (who read and labeled these sentences)",
            )
        added, unchanged, conflicts = merge_corpus_labels(corpus_rows, standoff_path, annotator)
        report.added += added
        report.unchanged += unchanged
        report.conflicts += [f"{csv_path}:{c}" for c in conflicts]
    if not incoming:
        return report
    gold = read_gold(gold_path) if gold_path.exists() else []
    index, _ = gold_index(gold, label_names, gold_path)
    added_gold = 0
    for row in incoming:
        existing = index.get((row["article_id"], row["key"]))
        if existing is None:
            index[(row["article_id"], row["key"])] = row
            gold.append(row)
            added_gold += 1
        elif existing["label"] == row["label"]:
            report.unchanged += 1
        else:
            report.conflicts.append(
                f"{csv_path}:{row['_line']}: {row['label']!r} conflicts with gold "
                f"{existing['label']!r} ({gold_path}:{existing.get('_line', '?')}) for "
                f"{row['text'][:60]!r}; kept the gold label"
            )
    if added_gold:
        write_gold(gold_path, gold)
    report.added += added_gold
    return report
