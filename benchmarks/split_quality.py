"""Sentence-boundary precision/recall/F1 and speed on IndoSum, ours beside spaCy's sentencizer.

Run: python benchmarks/split_quality.py [--limit N]
Skips (exit 0) with a message when ../shared/corpora/indosum is absent.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline.logs import configure_logging
from pipeline.text import indosum
from pipeline.text.sentences import split_sentences

log = logging.getLogger("split_quality")
Splitter = Callable[[str], list[int]]


def gold_boundaries(sentences: list[str]) -> tuple[str, set[int]]:
    """The paragraph text (sentences joined by single spaces) and its sentence starts."""
    starts, pos = set(), 0
    for s in sentences[:-1]:
        pos += len(s) + 1
        starts.add(pos)
    return " ".join(sentences), starts


def ours(text: str) -> list[int]:
    return [s.start for s in split_sentences(text)[1:]]


def spacy_splitter() -> Splitter:
    import spacy

    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    return lambda text: [s.start_char for s in list(nlp(text).sents)[1:]]


def score(splitter: Splitter, data: list[tuple[str, set[int]]]) -> dict[str, float]:
    tp = fp = fn = n_sent = 0
    t0 = time.perf_counter()
    predicted = [set(splitter(text)) for text, _ in data]
    seconds = time.perf_counter() - t0
    for (_, gold), pred in zip(data, predicted, strict=True):
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        n_sent += len(gold) + 1
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "sent_per_s": n_sent / seconds}


def main(
    limit: Annotated[int | None, typer.Option(help="first N unique articles only")] = None,
    errors: Annotated[int, typer.Option(help="show this many of our boundary errors")] = 0,
) -> None:
    """Print boundary P/R/F1 and sentences per second for both splitters."""
    configure_logging()
    if not indosum.available():
        log.warning("skipped: %s not found (IndoSum lives in ../shared)", indosum.INDOSUM_DIR)
        return
    data = [gold_boundaries(p) for p in indosum.paragraphs(limit=limit)]
    n_sent = sum(len(g) + 1 for _, g in data)
    log.info("IndoSum dev: %d paragraphs, %d gold sentences", len(data), n_sent)
    results = {
        "stance split_sentences": score(ours, data),
        "spaCy blank('id') sentencizer": score(spacy_splitter(), data),
    }
    print(f"{'splitter':32} {'precision':>9} {'recall':>8} {'F1':>8} {'sent/s':>10}")
    for name, r in results.items():
        print(
            f"{name:32} {r['precision']:9.4f} {r['recall']:8.4f} {r['f1']:8.4f} "
            f"{r['sent_per_s']:10.0f}"
        )
    a, b = results.values()
    print(
        f"speed ratio (ours / spaCy) = {a['sent_per_s'] / b['sent_per_s']:.2f}x; "
        f"F1 ours={a['f1']:.4f} spaCy={b['f1']:.4f}"
    )
    _show_errors(data, errors)


def _show_errors(data: list[tuple[str, set[int]]], n: int) -> None:
    shown = 0
    for text, gold in data:
        pred = set(ours(text))
        for pos in sorted(pred ^ gold):
            if shown >= n:
                return
            kind = "FP" if pos in pred else "FN"
            print(f"{kind}: ...{text[max(0, pos - 60) : pos]}|{text[pos : pos + 40]}...")
            shown += 1


if __name__ == "__main__":
    typer.run(main)
