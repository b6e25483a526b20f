"""DVC stage `train_baseline`: TF-IDF + logistic regression on the train split."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import label_names
from pipeline.errors import run_stage
from pipeline.io import atomic_dir, read_jsonl
from pipeline.logs import configure_logging
from pipeline.modeling.baseline import (
    SEARCHABLE,
    BaselineParams,
    save_baseline,
    search_baseline,
    train_baseline,
)
from pipeline.modeling.calibrate_folder import calibrate_model_dir
from pipeline.modeling.model_info import ModelInfo
from pipeline.params import load_section

log = logging.getLogger(__name__)


def main(
    partitions_dir: Annotated[Path, typer.Argument(help="folder with train.jsonl")],
    out_dir: Annotated[Path, typer.Argument(help="model folder to write")],
) -> None:
    """Fit on the train split and save the model with its model_info.json."""
    configure_logging()
    config = load_section(BaselineParams)
    rows = read_jsonl(partitions_dir / "train.jsonl")
    val_rows = read_jsonl(partitions_dir / "validation.jsonl")
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
    info = ModelInfo(
        kind="baseline",
        model_source="baseline",
        checkpoint="tfidf-logreg",
        revision=None,
        label_names=label_names(),
        details={"params": asdict(config), "search": search_results, "n_train": len(rows)},
    )
    with atomic_dir(out_dir) as tmp:
        save_baseline(model, tmp)
        info.write(tmp)
        calibrate_model_dir(
            tmp,
            rows,
            val_rows,
            label_names(),
            class_weights=config.class_weight,
        )
    log.info("baseline trained on %d sentences in %.1f s", len(rows), seconds)


if __name__ == "__main__":
    run_stage(main)
