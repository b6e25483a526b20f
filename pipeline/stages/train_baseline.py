"""DVC stage `train_baseline`: TF-IDF + logistic regression on the train split."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from pipeline.atomic import atomic_dir, read_jsonl, write_json
from pipeline.baseline import BaselineConfig, save_baseline, train_baseline
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
    start = time.perf_counter()
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
        "n_train": len(rows),
    }
    with atomic_dir(out_dir) as tmp:
        save_baseline(model, tmp)
        write_json(tmp / MODEL_INFO, info)
    log.info("baseline trained on %d sentences in %.1f s", len(rows), seconds)


if __name__ == "__main__":
    typer.run(main)
