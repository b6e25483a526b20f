"""The model `stance score` uses: a model folder, or an MLflow URI downloaded from the registry."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import PROJECT_ROOT
from pipeline.errors import BadInput
from pipeline.modeling.predictor import Predictor, load_predictor, read_model_info
from pipeline.tracking.registry import registry_version
from pipeline.tracking.runs import git_commit, tracking_uri


def model_ref(model: str) -> str:
    """An MLflow URI as given; a folder relative to here, else to the project root."""
    if model.startswith(("models:/", "runs:/")) or Path(model).exists():
        return model
    in_project = PROJECT_ROOT / model
    if not Path(model).is_absolute() and in_project.exists():
        return str(in_project)
    raise BadInput(
        f"model folder {model} not found (nor {in_project}); run `make repro` to train one, "
        "or pass --model FOLDER or --model models:/stance-classifier@champion"
    )


def load_scoring_model(ref: str, batch_size: int = 64, quantize: str = "none") -> Predictor:
    """A model folder, or an MLflow URI (models:/name@alias, runs:/id/champion)."""
    if ref.startswith(("models:/", "runs:/")):
        import mlflow
        import yaml

        mlflow.set_tracking_uri(tracking_uri())
        resolved = registry_version(ref)
        root = Path(mlflow.artifacts.download_artifacts(resolved.get("uri", ref)))
        flavor = yaml.safe_load((root / "MLmodel").read_text())["flavors"]["python_function"]
        local = root / flavor["artifacts"]["model_dir"]["path"]
        info = read_model_info(local)
        info["mlflow_uri"] = ref
        predictor = load_predictor(local, batch_size, quantize, trusted=True)
        predictor.info.update(info, resolved=resolved)
        return predictor
    predictor = load_predictor(Path(ref), batch_size, quantize)
    folder = Path(ref).resolve()
    predictor.info["resolved"] = {"uri": str(folder), "git_commit": git_commit()}
    return predictor
