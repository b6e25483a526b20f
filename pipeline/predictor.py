"""Load any trained model directory (baseline or transformer) behind one interface."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MODEL_INFO = "model_info.json"


class Predictor(Protocol):
    """What scoring and evaluation need from a model."""

    label_names: list[str]
    info: dict[str, Any]

    def predict_proba(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class BaselinePredictor:
    """The TF-IDF + logistic regression model."""

    model: Any
    label_names: list[str]
    info: dict[str, Any]

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        from pipeline.baseline import baseline_proba

        return baseline_proba(self.model, texts, len(self.label_names))


@dataclass
class TransformerPredictor:
    """A fine-tuned transformer saved with save_pretrained."""

    model_dir: Path
    label_names: list[str]
    info: dict[str, Any]
    batch_size: int = 64
    max_length: int = 128

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        from pipeline.transformer import predict_proba

        return predict_proba(self.model_dir, texts, self.batch_size, self.max_length)


def read_model_info(model_dir: Path) -> dict[str, Any]:
    """The model's description: kind, model_source, checkpoint, revision, label_names."""
    path = Path(model_dir) / MODEL_INFO
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: {model_dir} is not a model trained here")
    return json.loads(path.read_text(encoding="utf-8"))


def load_predictor(model_dir: Path) -> Predictor:
    """A predictor for a model directory written by the training stages."""
    import joblib

    from pipeline.baseline import MODEL_FILE

    model_dir = Path(model_dir)
    info = read_model_info(model_dir)
    if info["kind"] == "baseline":
        return BaselinePredictor(joblib.load(model_dir / MODEL_FILE), info["label_names"], info)
    if info["kind"] == "transformer":
        return TransformerPredictor(model_dir, info["label_names"], info)
    raise ValueError(f"{model_dir}: unknown model kind {info['kind']!r}")
