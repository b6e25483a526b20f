"""The model folder contract: which files a trained model folder holds and what model_info.json says."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from pipeline.errors import BadInput
from pipeline.io import write_json

MODEL_INFO_FILE = "model_info.json"
HISTORY_FILE = "training_history.json"
PACKAGED_INFO_FILE = "packaged_info.json"
BASELINE_FILE = "model.joblib"
ENSEMBLE_MEMBERS_DIR = "members"
CHAMPION_FILE = "champion.json"  # in models/champion: which candidate won, and why

Kind = Literal["baseline", "transformer", "ensemble"]


@dataclass(frozen=True)
class ModelInfo:
    """Where a trained model came from; written by the training stages, read by the rest."""

    kind: Kind
    model_source: str  # baseline | local | cache | hub | packaged | ensemble(...)
    checkpoint: str
    revision: str | None
    label_names: list[str]
    members: list[str] | None = None  # ensemble member folders under members/
    details: dict[str, Any] = field(default_factory=dict)  # e.g. the baseline's search results

    def to_json(self) -> dict[str, Any]:
        """The model_info.json document (details flattened in, as before)."""
        doc = {k: v for k, v in asdict(self).items() if k != "details"}
        if self.members is None:
            doc.pop("members")
        return {**doc, **self.details}

    def write(self, model_dir: Path) -> None:
        """Write model_info.json into a model folder being built."""
        write_json(Path(model_dir) / MODEL_INFO_FILE, self.to_json())

    @classmethod
    def read(cls, model_dir: Path) -> ModelInfo:
        """The info of a model folder; BadInput when the folder is not a trained model."""
        path = Path(model_dir) / MODEL_INFO_FILE
        if not path.is_file():
            raise BadInput(
                f"{path} not found: {model_dir} is not a model folder trained by this project; "
                "pass a folder under models/ (after `dvc repro`) or an MLflow models:/ URI"
            )
        doc = json.loads(path.read_text(encoding="utf-8"))
        known = {"kind", "model_source", "checkpoint", "revision", "label_names", "members"}
        details = {k: v for k, v in doc.items() if k not in known}
        return cls(**{k: doc.get(k) for k in known}, details=details)


def read_history(model_dir: Path) -> dict[str, Any] | None:
    """training_history.json of a fine-tuned model, if it has one."""
    path = Path(model_dir) / HISTORY_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
