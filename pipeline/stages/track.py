"""DVC stage `track`: one MLflow parent run per `dvc repro`, nested runs per model."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import mlflow
import mlflow.data
import typer
import yaml
from mlflow import MlflowClient

from pipeline.config import label_names
from pipeline.errors import run_stage
from pipeline.evaluation.metrics import MODELS, headline_domain
from pipeline.io import fingerprint, read_jsonl, write_json
from pipeline.labeling.partition import DOMAINS
from pipeline.logs import configure_logging
from pipeline.modeling.model_info import (
    CHAMPION_FILE,
    HISTORY_FILE,
    PACKAGED_INFO_FILE,
    ModelInfo,
)
from pipeline.scoring.pyfunc import log_model_folder
from pipeline.tracking.registry import PARENT_TAG, register_champion, run_name
from pipeline.tracking.runs import (
    REGISTERED_MODEL,
    ensure_experiment,
    flatten,
    git_commit,
    tracking_uri,
)
from pipeline.tracking.training_run import PARENT_RUN_TAG, adoptable_run

log = logging.getLogger(__name__)
# Which params sections describe which model (the parent run logs all of them).
MODEL_PARAMS = {
    "baseline": ("baseline",),
    "transformer": ("model", "train"),
    "ensemble": ("baseline", "model", "train"),
}


@dataclass(frozen=True)
class Tracking:
    """What every run of one `track` invocation shares."""

    params: dict
    metrics: dict
    champion: dict
    headline: str
    tags: dict[str, str]
    datasets: dict[str, Any]
    client: MlflowClient


def main(
    params_file: Annotated[Path, typer.Argument(help="the params file, logged in full")],
    partitions_dir: Annotated[Path, typer.Argument(help="train/validation/test JSONL (hashed)")],
    models_dir: Annotated[
        Path, typer.Argument(help="folder with baseline/, transformer/, champion/")
    ],
    metrics_file: Annotated[Path, typer.Argument(help="metrics JSON from evaluate")],
    reports_dir: Annotated[Path, typer.Argument(help="per-model reports from evaluate")],
    run_out: Annotated[Path, typer.Argument(help="JSON with the run id and model URI")],
) -> None:
    """Log params, per-epoch curves, test metrics, artifacts; register the champion."""
    configure_logging()
    mlflow.set_tracking_uri(tracking_uri())
    client = MlflowClient()
    experiment_id = ensure_experiment(client)
    mlflow.set_experiment(experiment_id=experiment_id)  # nested runs inherit it
    ctx = _tracking(params_file, partitions_dir, models_dir, metrics_file, client)
    with mlflow.start_run(
        experiment_id=experiment_id, run_name=run_name(), tags={**ctx.tags, PARENT_TAG: "pipeline"}
    ) as parent:
        mlflow.log_params(flatten(ctx.params))
        for model in MODELS:
            _log_model_run(ctx, model, models_dir / model, reports_dir / model)
        _log_summary(ctx.metrics, ctx.champion)
        version, alias = _register_champion(ctx, models_dir / "champion")
    write_json(run_out, {
        "run_id": parent.info.run_id,
        "run_name": parent.info.run_name,
        "experiment_id": experiment_id,
        "model_uri": f"models:/{REGISTERED_MODEL}/{version}",
        "model_version": str(version),
        "alias": alias,
        "champion": ctx.champion["champion"],
    })  # fmt: skip
    log.info(
        "MLflow run %s; %s version %s is @%s", parent.info.run_id, REGISTERED_MODEL, version, alias
    )


def _tracking(
    params_file: Path, partitions_dir: Path, models_dir: Path, metrics_file: Path, client: Any
) -> Tracking:
    """Read what the runs log, and the provenance tags every run carries."""
    metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
    champion = json.loads((models_dir / "champion" / CHAMPION_FILE).read_text(encoding="utf-8"))
    transformer_info = ModelInfo.read(models_dir / "transformer")
    headline = headline_domain(metrics)
    if not metrics["real_news_available"]:
        log.warning("!!! logging a run WITHOUT real-news data: its metrics are on authored text")
    tags = {
        "git_commit": git_commit(),
        "data_hash": fingerprint([partitions_dir]),
        "params_hash": fingerprint([params_file]),
        "model_source": transformer_info.model_source,
        "checkpoint": transformer_info.checkpoint,
        "checkpoint_revision": str(transformer_info.revision),
        "champion": champion["champion"],
        "real_news_data": "present" if metrics["real_news_available"] else "ABSENT",
        "headline_domain": headline,
        "selected_on": champion["selected_on"],
    }
    params = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    return Tracking(params, metrics, champion, headline, tags, _datasets(partitions_dir), client)


def _register_champion(ctx: Tracking, champion_dir: Path) -> tuple[int, str]:
    """Log the champion's model card and pyfunc model; register it when its content changed."""
    mlflow.log_artifact(str(champion_dir / "MODEL_CARD.md"))
    logged = log_model_folder(champion_dir, label_names(), name="champion")
    card = (champion_dir / "MODEL_CARD.md").read_text(encoding="utf-8")
    headline_tags = _headline_tags(ctx.metrics, ctx.champion, ctx.headline)
    return register_champion(
        ctx.client,
        logged.model_uri,
        fingerprint([champion_dir]),
        card,
        {**ctx.tags, **headline_tags},
    )


def _headline_tags(metrics: dict, champion: dict, headline: str) -> dict[str, str]:
    """Registry version tags an analyst can filter on: the winner and its test macro-F1."""
    result = metrics[champion["champion"]][headline]["test"]
    return {
        "champion_model": champion["champion"],
        f"{headline}_test_macro_f1": f"{result['macro_f1']:.4f}",
    }


def _log_model_run(ctx: Tracking, model: str, model_dir: Path, reports: Path) -> None:
    """One model's nested run: params, curves, metrics per domain, reports, datasets, model."""
    metrics = ctx.metrics[model]
    info = ModelInfo.read(model_dir)
    run_tags = {
        **ctx.tags,
        "model": model,
        "model_source": info.model_source,
        "checkpoint": info.checkpoint,
        "checkpoint_revision": str(info.revision),
    }
    training_run = adoptable_run(ctx.client, model_dir)
    if training_run:  # the run that watched the training, nested now; its live curves stay
        run_tags[PARENT_RUN_TAG] = mlflow.active_run().info.run_id
    with mlflow.start_run(run_id=training_run, run_name=model, nested=True, tags=run_tags):
        mlflow.log_params(
            flatten({k: ctx.params[k] for k in MODEL_PARAMS[model] if k in ctx.params})
        )
        if not training_run:  # retrained earlier, or logged elsewhere: replay the saved curves
            _log_history(model_dir / HISTORY_FILE)
        _log_packaged(model_dir / PACKAGED_INFO_FILE)
        for domain in DOMAINS:
            for split, result in metrics.get(domain, {}).items():
                mlflow.log_metrics(_split_metrics(f"{domain}_{split}", result))
        for split, result in metrics[ctx.headline].items():  # unprefixed = the headline domain
            mlflow.log_metrics({f"{split}_{k}": result[k] for k in ("accuracy", "macro_f1")})
        # Precision and recall per class: in one JSON file, not as ~50 one-point charts.
        mlflow.log_dict(metrics, "evaluation/metrics.json")
        if reports.exists():
            mlflow.log_artifacts(str(reports), artifact_path="evaluation")
        if (model_dir / HISTORY_FILE).exists():
            mlflow.log_artifact(str(model_dir / HISTORY_FILE))
        for split, dataset in ctx.datasets.items():
            mlflow.log_input(dataset, context=split)
        log_model_folder(model_dir, info.label_names, name="model")  # the losers are kept too


def _datasets(partitions_dir: Path) -> dict[str, Any]:
    """The train/validation/test partitions as MLflow datasets (schema, digest, source)."""
    import pandas as pd

    datasets = {}
    for split in ("train", "validation", "test"):
        path = partitions_dir / f"{split}.jsonl"
        frame = pd.DataFrame(read_jsonl(path), columns=["article_id", "text", "label", "domain"])
        datasets[split] = mlflow.data.from_pandas(
            frame, source=str(path), name=f"stance-{split}", targets="label"
        )
    return datasets


def _log_history(path: Path) -> None:
    """Per-epoch losses and validation macro-F1 (step = epoch), and per-step training loss
    and learning rate (step_train_loss, step_learning_rate; step = optimizer step)."""
    if not path.exists():
        return
    history = json.loads(path.read_text(encoding="utf-8"))
    for entry in history.get("epochs", []):
        step = round(entry["epoch"])
        values = {k: v for k, v in entry.items() if k != "epoch" and isinstance(v, int | float)}
        mlflow.log_metrics(values, step=step)
    for entry in history.get("steps", []):  # per optimizer step (the x axis of these curves)
        values = {f"step_{k}": v for k, v in entry.items() if k not in ("step", "epoch")}
        mlflow.log_metrics(values, step=entry["step"])


def _log_packaged(path: Path) -> None:
    """Which package file the packaged encoder came from (package, file, sha256), as tags."""
    if not path.exists():
        return
    info = json.loads(path.read_text(encoding="utf-8"))
    keys = ("package", "file", "sha256")
    mlflow.set_tags({f"packaged_{k}": str(info[k]) for k in keys if k in info})


def _split_metrics(split: str, result: dict[str, Any]) -> dict[str, float]:
    """Accuracy, macro-F1, ECE and each class's F1 of one domain's split."""
    values = {f"{split}_{k}": result[k] for k in ("accuracy", "macro_f1", "ece")}
    for label, scores in result["per_class"].items():
        values[f"{split}_f1_{label}"] = scores["f1"]
    return values


def _log_summary(metrics: dict, champion: dict) -> None:
    """Headline figures on the parent run: unprefixed names are the headline domain's test."""
    winner = champion["champion"]
    headline = headline_domain(metrics)
    values = {
        "champion_test_macro_f1": metrics[winner][headline]["test"]["macro_f1"],
        "champion_test_accuracy": metrics[winner][headline]["test"]["accuracy"],
    }
    for domain in DOMAINS:
        for model in (*MODELS, "champion"):
            result = metrics[winner if model == "champion" else model].get(domain, {}).get("test")
            if result:
                values[f"{model}_{domain}_test_macro_f1"] = result["macro_f1"]
    mlflow.log_metrics(values)


if __name__ == "__main__":
    run_stage(main)
