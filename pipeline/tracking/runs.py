"""MLflow store location, run provenance (git commit, data and params hashes), flattening."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from pipeline.config import PROJECT_ROOT
from pipeline.tracking.ui_view import VIEW_TAG, headline_view

EXPERIMENT = "stance-pipeline"
REGISTERED_MODEL = "stance-classifier"
CHAMPION_ALIAS = "champion"
_NOT_INPUTS = tuple(f":(exclude){p}" for p in ("dvc.lock", "metrics", "plots"))


def tracking_uri() -> str:
    """MLFLOW_TRACKING_URI if set (a team server), else the SQLite store in the project."""
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{PROJECT_ROOT / 'mlflow.db'}"


def artifact_root() -> str:
    """Where runs of a new experiment keep artifacts when the store is local."""
    return (PROJECT_ROOT / "mlruns").as_uri()


def ensure_experiment(client: Any, name: str = EXPERIMENT) -> str:
    """The experiment id, creating the experiment with a project-local artifact root."""
    experiment = client.get_experiment_by_name(name)
    if experiment is not None:
        experiment_id = experiment.experiment_id
    else:
        location = None if os.environ.get("MLFLOW_TRACKING_URI") else artifact_root()
        experiment_id = client.create_experiment(name, artifact_location=location)
    # The UI then opens on model training (runs, charts), not on the GenAI views.
    client.set_experiment_tag(experiment_id, "mlflow.experimentKind", "custom_model_development")
    _ensure_headline_view(client, experiment_id)
    return experiment_id


def _ensure_headline_view(client: Any, experiment_id: str) -> None:
    """The project's saved runs-list view; rewritten only when its columns changed."""
    current = client.get_experiment(experiment_id).tags.get(VIEW_TAG)
    wanted = headline_view()
    if current is None or json.loads(current)["state"] != json.loads(wanted)["state"]:
        client.set_experiment_tag(experiment_id, VIEW_TAG, wanted)


def git_commit(root: Path = PROJECT_ROOT) -> str:
    """HEAD's commit, `-dirty` when tracked inputs changed; `unknown` outside git.

    Pipeline outputs tracked in git (dvc.lock, metrics/, plots/) do not count: a repro of a
    committed tree rewrites them.
    """
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", *_NOT_INPUTS],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}-dirty" if dirty.strip() else head


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested params as dotted keys: {"train": {"seed": 1}} -> {"train.seed": 1}."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat
