"""Active-learning curve: baseline macro-F1 on one fixed real-news validation set, per round.

Round k trains on the authored train split plus the real-news train labels that existed after
round k (selection random_article/cue_search for round 0, + active_learning_r1 for round 1, …).
Every round is scored on the same sentences: the real-news validation rows that were labeled
before any active-learning round, so the curve is not moved by a changing yardstick.
Run after `dvc repro` (it reads data/processed/partitions); prints a Markdown table.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.config import PROCESSED_DIR, label_names
from pipeline.evaluation.metrics import bootstrap_macro_f1, macro_f1_from_counts
from pipeline.io import read_jsonl
from pipeline.logs import configure_logging
from pipeline.modeling.baseline import BaselineParams, baseline_proba, train_baseline
from pipeline.params import load_section

log = logging.getLogger("active_learning_curve")
BEFORE_ACTIVE = ("random_article", "cue_search")
ROUNDS = ("active_learning_r1", "active_learning_r2")


def main() -> None:
    configure_logging()
    splits = PROCESSED_DIR / "partitions"
    if not (splits / "train.jsonl").exists():
        log.warning("skipped: %s missing; run `dvc repro` first", splits)
        return
    train = read_jsonl(splits / "train.jsonl")
    validation = read_jsonl(splits / "validation.jsonl")
    fixed = [
        r for r in validation if r["domain"] == "real_news" and r["selection"] in BEFORE_ACTIVE
    ]
    if not fixed:
        log.warning("skipped: no real-news validation rows (is the corpus present?)")
        return
    names = label_names()
    config = load_section(BaselineParams)
    y_true = np.array([names.index(r["label"]) for r in fixed])
    print("| round | real-news train sentences | added | validation macro-F1 | 95% interval |")
    print("|---|---|---|---|---|")
    allowed = list(BEFORE_ACTIVE)
    previous = 0
    for k, tag in enumerate(("before active learning", *ROUNDS)):
        if k:
            allowed.append(tag)
        rows = [r for r in train if r["domain"] == "authored" or r["selection"] in allowed]
        n_real = sum(r["domain"] == "real_news" for r in rows)
        if k and n_real == previous:
            break  # that round has not been labeled yet
        model = train_baseline([r["text"] for r in rows], [r["label"] for r in rows], names, config)
        y_pred = baseline_proba(model, [r["text"] for r in fixed], len(names)).argmax(axis=1)
        f1 = macro_f1_from_counts(y_true, y_pred, len(names))
        lo, hi = bootstrap_macro_f1(
            y_true, y_pred, [r["article_id"] for r in fixed], len(names), 1000, seed=13
        )
        print(f"| {k} ({tag}) | {n_real} | {n_real - previous} | {f1:.3f} | {lo:.3f}–{hi:.3f} |")
        previous = n_real


if __name__ == "__main__":
    main()
