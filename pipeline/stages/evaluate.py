"""DVC stage `evaluate`: score both models on validation and test; metrics, plots, reports."""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from pipeline.atomic import atomic_open, read_jsonl, write_json, write_jsonl
from pipeline.config import label_names, load_params
from pipeline.logs import configure_logging
from pipeline.metrics import classification_metrics
from pipeline.predictor import load_predictor
from pipeline.reports import confusion_png, errors_rows

log = logging.getLogger(__name__)
MODELS = ("baseline", "transformer")
EVAL_SPLITS = ("validation", "test")


def main(
    splits_dir: Annotated[Path, typer.Argument(help="folder with validation/test JSONL")],
    baseline_dir: Annotated[Path, typer.Argument(help="baseline model folder")],
    transformer_dir: Annotated[Path, typer.Argument(help="transformer model folder")],
    metrics_out: Annotated[Path, typer.Argument(help="metrics JSON (DVC metrics)")],
    plots_dir: Annotated[Path, typer.Argument(help="folder for DVC plot data")],
    reports_dir: Annotated[Path, typer.Argument(help="folder for reports and error lists")],
) -> None:
    """Evaluate both models; the test split is reported, validation drives selection."""
    configure_logging()
    params = load_params("evaluate")
    names = label_names()
    data = {s: read_jsonl(splits_dir / f"{s}.jsonl") for s in EVAL_SPLITS}
    metrics: dict[str, Any] = {}
    per_class_rows, confusion_rows = [], []
    for model_name, model_dir in zip(MODELS, (baseline_dir, transformer_dir), strict=True):
        predictor = load_predictor(model_dir)
        metrics[model_name] = {"model_source": predictor.info.get("model_source")}
        for split, rows in data.items():
            y_true = np.array([names.index(r["label"]) for r in rows], dtype=int)
            proba = predictor.predict_proba([r["text"] for r in rows])
            result = classification_metrics(y_true, proba, names, params["ece_bins"])
            metrics[model_name][split] = result
            if split == "test":
                _write_reports(reports_dir / model_name, rows, proba, names, result)
                confusion_rows += _confusion_rows(model_name, rows, proba, names)
                per_class_rows += [
                    {"model": model_name, "label": n, "f1": result["per_class"][n]["f1"]}
                    for n in names
                ]
        log.info(
            "%s (%s): validation macro-F1 %.3f, test macro-F1 %.3f, test accuracy %.3f",
            model_name,
            predictor.info.get("model_source"),
            metrics[model_name]["validation"]["macro_f1"],
            metrics[model_name]["test"]["macro_f1"],
            metrics[model_name]["test"]["accuracy"],
        )
    write_json(metrics_out, metrics)
    _write_csv(plots_dir / "confusion.csv", confusion_rows)
    _write_csv(plots_dir / "per_class_f1.csv", per_class_rows)


def _confusion_rows(model: str, rows: list[dict], proba: np.ndarray, names: list[str]) -> list:
    return [
        {"model": model, "actual": r["label"], "predicted": names[int(p.argmax())]}
        for r, p in zip(rows, proba, strict=True)
    ]


def _write_reports(
    out: Path, rows: list[dict], proba: np.ndarray, names: list[str], result: dict
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(
        out / "test_predictions.jsonl",
        (
            {
                "article_id": r["article_id"],
                "sent_idx": r["sent_idx"],
                "text": r["text"],
                "gold": r["label"],
                "predicted": names[int(p.argmax())],
                **{f"p_{n}": round(float(v), 6) for n, v in zip(names, p, strict=True)},
            }
            for r, p in zip(rows, proba, strict=True)
        ),
    )
    _write_csv(out / "errors.csv", errors_rows(rows, proba, names))
    confusion_png(result["confusion_matrix"], names, out / "confusion_matrix.png")


def _write_csv(path: Path, rows: list[dict]) -> None:
    with atomic_open(path) as fh:
        if not rows:
            return
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    typer.run(main)
