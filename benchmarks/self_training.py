"""Self-training: do the baseline's confident predictions on unlabeled real news help it?

Trains the baseline on the train split, predicts a seeded sample of unlabeled IndoSum
sentences (articles outside validation and test), adds those predicted with probability >=
a threshold as extra training rows, retrains, and scores every variant on the same
real-news validation rows in one process. The added rows are predictions: they live only in
this process and are never stored as labels. Run after `dvc repro`; prints a Markdown table.
"""

from __future__ import annotations

import json
import logging
import random
import sys
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.config import PROCESSED_DIR, REAL_NEWS_LABELS_FILE, label_names, project_path
from pipeline.evaluation.metrics import bootstrap_macro_f1, macro_f1_from_counts
from pipeline.io import read_jsonl
from pipeline.logs import configure_logging
from pipeline.modeling.baseline import BaselineParams, baseline_proba, train_baseline
from pipeline.params import RealNewsParams, load_section
from pipeline.text import indosum

log = logging.getLogger("self_training")


def unlabeled_pool(exclude_articles: set[str], size: int, seed: int) -> list[str]:
    """A seeded sample of IndoSum sentences with no label, outside the excluded articles."""
    corpus = project_path(load_section(RealNewsParams).corpus_dir)
    labeled = {(r["article_id"], r["para"], r["sent"]) for r in read_jsonl(REAL_NEWS_LABELS_FILE)}
    texts = [
        s.text
        for s in indosum.sentences(corpus)
        if s.article_id not in exclude_articles and (s.article_id, s.para, s.sent) not in labeled
    ]
    random.Random(seed).shuffle(texts)
    return texts[:size]


def main(
    pool_size: Annotated[int, typer.Option(help="unlabeled sentences to predict")] = 15000,
    seed: Annotated[int, typer.Option(help="seed of the pool sample")] = 13,
) -> None:
    configure_logging()
    splits = PROCESSED_DIR / "partitions"
    if not (splits / "train.jsonl").exists() or not indosum.available(
        project_path(load_section(RealNewsParams).corpus_dir)
    ):
        log.warning("skipped: run `dvc repro` first, with the IndoSum corpus present")
        return
    names = label_names()
    none = names.index("none")
    config = load_section(BaselineParams)
    train = read_jsonl(splits / "train.jsonl")
    held_out = [*read_jsonl(splits / "validation.jsonl"), *read_jsonl(splits / "test.jsonl")]
    validation = [r for r in read_jsonl(splits / "validation.jsonl") if r["domain"] == "real_news"]
    pool = unlabeled_pool({r["article_id"] for r in held_out}, pool_size, seed)
    y_true = np.array([names.index(r["label"]) for r in validation])
    texts, labels = [r["text"] for r in train], [r["label"] for r in train]

    def score(model, variant: str, added: dict[str, int]) -> None:
        y_pred = baseline_proba(model, [r["text"] for r in validation], len(names)).argmax(axis=1)
        f1 = macro_f1_from_counts(y_true, y_pred, len(names))
        lo, hi = bootstrap_macro_f1(
            y_true, y_pred, [r["article_id"] for r in validation], len(names), 1000, seed=13
        )
        print(f"| {variant} | {json.dumps(added)} | {f1:.3f} | {lo:.3f}–{hi:.3f} |")

    print(f"real-news validation: {len(validation)} sentences; pool: {len(pool)} unlabeled")
    print("| variant | pseudo-labeled rows added | validation macro-F1 | 95% interval |")
    print("|---|---|---|---|")
    model = train_baseline(texts, labels, names, config)
    score(model, "baseline (no self-training)", {})
    proba = baseline_proba(model, pool, len(names))
    for threshold in (0.9, 0.95):
        for stance_only in (False, True):
            keep = [
                i
                for i, p in enumerate(proba)
                if p.max() >= threshold and not (stance_only and p.argmax() == none)
            ]
            extra = [names[proba[i].argmax()] for i in keep]
            added = {n: extra.count(n) for n in names if extra.count(n)}
            again = train_baseline(texts + [pool[i] for i in keep], labels + extra, names, config)
            kind = "stances only" if stance_only else "all classes"
            score(again, f"p >= {threshold}, {kind}", added)


if __name__ == "__main__":
    typer.run(main)
