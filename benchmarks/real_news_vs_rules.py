"""Real-news test: cue-word rules beside the baseline, the transformer and the champion.

Run after `make repro`: python benchmarks/real_news_vs_rules.py [--split test]
All four are scored in one process on the same sentences, with the same article-bootstrap
95% interval as metrics/metrics.json. Skips with a message without real-news data.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cue_rules import rule_proba

from pipeline.config import MODELS_DIR, PROCESSED_DIR, label_names
from pipeline.io import read_jsonl
from pipeline.logs import configure_logging
from pipeline.modeling.predictor import load_predictor
from pipeline.params import EvaluateParams, load_section
from pipeline.stages.evaluate import evaluate_rows

log = logging.getLogger("real_news_vs_rules")


def main(
    split: Annotated[str, typer.Option(help="validation | test")] = "test",
    selection: Annotated[
        str, typer.Option(help="only rows chosen this way, e.g. random_article (a feed's mix)")
    ] = "",
) -> None:
    configure_logging()
    path = PROCESSED_DIR / "partitions" / f"{split}.jsonl"
    rows = [r for r in read_jsonl(path) if r["domain"] == "real_news"] if path.exists() else []
    rows = [r for r in rows if r["selection"] == selection] if selection else rows
    if not rows:
        log.warning("skipped: no real-news rows in %s (run `make repro` with the corpus)", path)
        return
    names = label_names()
    params = load_section(EvaluateParams)
    texts = [r["text"] for r in rows]
    candidates = {"cue-word rules": rule_proba(texts, names)}
    for model in ("baseline", "transformer", "ensemble", "champion"):
        if (MODELS_DIR / model).exists():
            predictor = load_predictor(MODELS_DIR / model)
            label = f"{model} ({predictor.info.get('kind')}, {predictor.info.get('model_source')})"
            candidates[label] = predictor.predict_proba(texts)
    rules_f1 = None
    print(
        f"real-news {split}{f' ({selection})' if selection else ''}: {len(rows)} sentences, "
        f"{len({r['article_id'] for r in rows})} articles"
    )
    print(
        "| model | macro-F1 | 95% interval | vs rules | "
        + " | ".join(f"F1 {n}" for n in names)
        + " |"
    )
    print("|---|---|---|---|" + "---|" * len(names))
    for label, proba in candidates.items():
        result = evaluate_rows(rows, np.asarray(proba), names, params)
        rules_f1 = rules_f1 if rules_f1 is not None else result["macro_f1"]
        lo, hi = result["macro_f1_ci95"]
        per_class = " | ".join(f"{result['per_class'][n]['f1']:.3f}" for n in names)
        print(
            f"| {label} | {result['macro_f1']:.3f} | {lo:.3f}–{hi:.3f} | "
            f"{result['macro_f1'] / rules_f1:.2f}× | {per_class} |"
        )


if __name__ == "__main__":
    typer.run(main)
