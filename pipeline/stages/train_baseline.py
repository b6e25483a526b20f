"""DVC stage `train_baseline`: TF-IDF + logistic regression on the train split."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from pipeline.atomic import atomic_dir, read_jsonl, write_json
from pipeline.baseline import (
    SEARCHABLE,
    BaselineConfig,
    save_baseline,
    search_baseline,
    train_baseline,
)
from pipeline.calibrate_model import calibrate_model_dir
from pipeline.config import label_names, load_params
from pipeline.logs import configure_logging
from pipeline.predictor import MODEL_INFO

log = logging.getLogger(__name__)


def main(
    splits_dir: Annotated[Path, typer.Argument(help="folder with train.jsonl")],
    out_dir: Annotated[Path, typer.Argument(help="model folder to write")],
) -> None:
    """Fit on the train split and save the model with its model_info.json."""
    configure_logging()
    config = BaselineConfig(**load_params("baseline"))
    rows = read_jsonl(splits_dir / "train.jsonl")
    val_rows = read_jsonl(splits_dir / "validation.jsonl")
    tune_rows = [r for r in val_rows if r.get("domain") == "real_news"] or val_rows
    start = time.perf_counter()
    config, search_results = search_baseline(
        ([r["text"] for r in rows], [r["label"] for r in rows]),
        ([r["text"] for r in tune_rows], [r["label"] for r in tune_rows]),
        label_names(),
        config,
    )
    if search_results:
        log.info(
            "grid of %d searched on %s validation; chose %s",
            len(search_results),
            tune_rows[0].get("domain", "authored"),
            {k: getattr(config, k) for k in SEARCHABLE},
        )
    model = train_baseline(
        [r["text"] for r in rows], [r["label"] for r in rows], label_names(), config
    )
    seconds = time.perf_counter() - start
    info = {
        "kind": "baseline",
        "model_source": "baseline",
        "checkpoint": "tfidf-logreg",
        "revision": None,
        "label_names": label_names(),
        "params": asdict(config),
        "search": search_results,
        "n_train": len(rows),
    }
    with atomic_dir(out_dir) as tmp:
        save_baseline(model, tmp)
        write_json(tmp / MODEL_INFO, info)
        calibrate_model_dir(
            tmp,
            rows,
            val_rows,
            label_names(),
            balanced=config.class_weight == "balanced",
        )
    log.info("baseline trained on %d sentences in %.1f s", len(rows), seconds)


if __name__ == "__main__":
    typer.run(main)
