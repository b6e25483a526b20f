"""The MLflow run that watches a training: the Trainer's per-step logs and system metrics, live."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.io import write_json
from pipeline.modeling.distributed import is_main_process
from pipeline.tracking.runs import ensure_experiment, git_commit, tracking_uri

PARENT_RUN_TAG = "mlflow.parentRunId"  # how MLflow nests a run under another
SYSTEM_METRICS_EVERY_S = 2  # short fine-tunes still get a CPU/memory curve


@contextmanager
def live_training_run(model: str, tags: dict[str, str] | None = None) -> Iterator[str | None]:
    """Open the run the Trainer reports into (main process only); yields its id, else None.

    `track` later nests it under the pipeline's parent run and adds the evaluation.
    """
    if not is_main_process():
        yield None
        return
    import mlflow
    from mlflow import MlflowClient

    mlflow.set_tracking_uri(tracking_uri())
    experiment_id = ensure_experiment(MlflowClient())
    mlflow.set_system_metrics_sampling_interval(SYSTEM_METRICS_EVERY_S)
    run_tags = {
        "model": model,
        "stage": f"train_{model}",
        "git_commit": git_commit(),
        **(tags or {}),
    }
    with mlflow.start_run(
        experiment_id=experiment_id, run_name=model, tags=run_tags, log_system_metrics=True
    ) as run:
        yield run.info.run_id


def run_record(model_dir: Path) -> Path:
    """Where the watching run's id is kept: beside the model folder, not in it, so that a
    retrain with the same seed still saves a byte-identical folder (and registry version)."""
    return model_dir.parent / f"{model_dir.name}.run.json"


def write_training_run(model_dir: Path, run_id: str | None) -> None:
    """Record which run watched the training (null when none did, e.g. on other ranks)."""
    write_json(run_record(model_dir), {"run_id": run_id})


def adoptable_run(client: Any, model_dir: Path) -> str | None:
    """The training run of model_dir if it is in this store and not yet under a parent run."""
    from mlflow.exceptions import MlflowException

    path = run_record(model_dir)
    if not path.exists():
        return None
    run_id = json.loads(path.read_text(encoding="utf-8"))["run_id"]
    if not run_id:
        return None
    try:
        run = client.get_run(run_id)
    except MlflowException:
        return None
    if PARENT_RUN_TAG in run.data.tags or run.info.status != "FINISHED":
        return None
    return run_id
