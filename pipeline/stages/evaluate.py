"""DVC stage `evaluate`: score the three candidates (baseline, transformer, ensemble) per data domain on validation and test."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from pipeline.config import label_names
from pipeline.errors import run_stage
from pipeline.evaluation.metrics import (
    MODELS,
    bootstrap_macro_f1,
    classification_metrics,
    expected_calibration_error,
    headline_domain,
)
from pipeline.evaluation.reports import ERROR_COLUMNS, confusion_png, errors_rows
from pipeline.io import read_jsonl, write_csv, write_json, write_jsonl
from pipeline.labeling.partition import DOMAINS
from pipeline.logs import configure_logging
from pipeline.modeling.model_info import read_history
from pipeline.modeling.predictor import load_predictor
from pipeline.params import EvaluateParams, load_section

log = logging.getLogger(__name__)
CONFUSION_COLUMNS = ("actual", "predicted")
F1_COLUMNS = ("label", "f1")
TRAINING_COLUMNS = ("epoch", "train_loss", "eval_loss", "eval_macro_f1", "eval_accuracy")
EVAL_PARTITIONS = ("validation", "test")


def evaluate_rows(
    rows: list[dict],
    proba: np.ndarray,
    names: list[str],
    params: EvaluateParams,
    uncalibrated: np.ndarray | None = None,
) -> dict[str, Any]:
    """classification_metrics, an article-bootstrap 95% interval, ECE before calibration."""
    y_true = np.array([names.index(r["label"]) for r in rows], dtype=int)
    result = classification_metrics(y_true, proba, names, params.ece_bins)
    if uncalibrated is not None:
        result["ece_uncalibrated"] = round(
            expected_calibration_error(uncalibrated, y_true, params.ece_bins), 6
        )
    result["macro_f1_ci95"] = list(
        bootstrap_macro_f1(
            y_true,
            proba.argmax(axis=1) if len(rows) else y_true,
            [r["article_id"] for r in rows],
            len(names),
            params.bootstrap_resamples,
            params.seed,
        )
    )
    return result


def main(
    partitions_dir: Annotated[Path, typer.Argument(help="folder with validation/test JSONL")],
    baseline_dir: Annotated[Path, typer.Argument(help="baseline model folder")],
    transformer_dir: Annotated[Path, typer.Argument(help="transformer model folder")],
    ensemble_dir: Annotated[Path, typer.Argument(help="ensemble model folder")],
    label_stats: Annotated[Path, typer.Argument(help="label statistics from the split stage")],
    metrics_out: Annotated[Path, typer.Argument(help="metrics JSON (DVC metrics)")],
    plots_dir: Annotated[Path, typer.Argument(help="folder for DVC plot data")],
    reports_dir: Annotated[Path, typer.Argument(help="folder for reports and error lists")],
) -> None:
    """Evaluate the three candidates on each domain; real-news test is the headline figure."""
    configure_logging()
    params = load_section(EvaluateParams)
    names = label_names()
    stats = json.loads(label_stats.read_text(encoding="utf-8"))
    metrics: dict[str, Any] = {"real_news_available": bool(stats["real_news_available"])}
    headline = headline_domain(metrics)
    metrics["headline_domain"] = headline
    data = {s: read_jsonl(partitions_dir / f"{s}.jsonl") for s in EVAL_PARTITIONS}
    plot_rows: dict[str, dict[str, list]] = {m: {} for m in MODELS}
    model_dirs = (baseline_dir, transformer_dir, ensemble_dir)
    for model_name, model_dir in zip(MODELS, model_dirs, strict=True):
        predictor = load_predictor(model_dir)
        metrics[model_name] = {
            "model_source": predictor.info.get("model_source"),
            "checkpoint": predictor.info.get("checkpoint"),
        }
        for domain in DOMAINS:
            for split, all_rows in data.items():
                rows = [r for r in all_rows if r["domain"] == domain]
                if not rows:
                    continue
                texts = [r["text"] for r in rows]
                proba = predictor.predict_proba(texts)
                raw = predictor.uncalibrated_proba(texts)
                result = evaluate_rows(rows, proba, names, params, raw)
                metrics[model_name].setdefault(domain, {})[split] = result
                if split == "test":
                    _write_reports(reports_dir / model_name / domain, rows, proba, names, result)
                if split == "test" and domain == headline:
                    plot_rows[model_name] = {
                        "confusion": _confusion_rows(rows, proba, names),
                        "per_class_f1": [
                            {"label": n, "f1": result["per_class"][n]["f1"]} for n in names
                        ],
                    }
        _log_summary(model_name, predictor.info.get("model_source"), metrics[model_name])
    write_json(metrics_out, metrics)
    for model_name, plots in plot_rows.items():  # one file per model: DVC draws one series
        write_csv(plots_dir / model_name / "confusion.csv", plots["confusion"], CONFUSION_COLUMNS)
        write_csv(plots_dir / model_name / "per_class_f1.csv", plots["per_class_f1"], F1_COLUMNS)
    history = read_history(transformer_dir) or {"epochs": []}
    write_csv(plots_dir / "transformer" / "training.csv", history["epochs"], TRAINING_COLUMNS)


def _log_summary(model: str, source: str | None, results: dict[str, Any]) -> None:
    for domain in DOMAINS:
        if domain in results and "test" in results[domain]:
            test = results[domain]["test"]
            lo, hi = test["macro_f1_ci95"]
            log.info(
                "%s (%s) on %s test: macro-F1 %.3f [95%% CI %.3f-%.3f], accuracy %.3f, n=%d",
                model,
                source,
                domain,
                test["macro_f1"],
                lo,
                hi,
                test["accuracy"],
                test["n"],
            )


def _confusion_rows(rows: list[dict], proba: np.ndarray, names: list[str]) -> list:
    return [
        {"actual": r["label"], "predicted": names[int(p.argmax())]}
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
    write_csv(out / "errors.csv", errors_rows(rows, proba, names), ERROR_COLUMNS)
    confusion_png(
        result["confusion_matrix"], names, out / "confusion_matrix.png", f"{out.name} test split"
    )


if __name__ == "__main__":
    run_stage(main)
