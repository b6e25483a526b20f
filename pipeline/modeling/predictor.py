"""Load any trained model directory (baseline or transformer) behind one interface."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from pipeline.config import PROJECT_ROOT
from pipeline.errors import BadInput
from pipeline.modeling.calibration import Calibration
from pipeline.modeling.model_info import (
    BASELINE_FILE,
    ENSEMBLE_MEMBERS_DIR,
    MODEL_INFO_FILE,
    ModelInfo,
)

log = logging.getLogger(__name__)


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
        from pipeline.modeling.baseline import baseline_proba

        return baseline_proba(self.model, texts, len(self.label_names))


class TransformerPredictor:
    """A fine-tuned transformer saved with save_pretrained, loaded once."""

    def __init__(
        self,
        model_dir: Path,
        label_names: list[str],
        info: dict[str, Any],
        batch_size: int = 64,
        quantize: str = "none",
    ):
        from pipeline.modeling.classifier import LoadedClassifier

        self.label_names, self.info, self.batch_size = label_names, info, batch_size
        self.classifier = LoadedClassifier(model_dir, info.get("max_length", 128), quantize)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return self.classifier.predict_proba(texts, self.batch_size)


class EnsemblePredictor:
    """The mean of its members' calibrated probabilities."""

    def __init__(self, members: list[Predictor], label_names: list[str], info: dict[str, Any]):
        self.members, self.label_names, self.info = members, label_names, info

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return np.mean([m.predict_proba(texts) for m in self.members], axis=0)


class CalibratedPredictor:
    """A model's probabilities passed through the calibration stored with it.

    Scoring, the MLflow model and evaluation all load models through `load_predictor`,
    so all three apply the same calibration.
    """

    def __init__(self, inner: Predictor, calibration: Calibration):
        self.inner, self.calibration = inner, calibration
        self.label_names, self.info = inner.label_names, inner.info

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return self.calibration.apply(self.inner.predict_proba(texts))

    def uncalibrated_proba(self, texts: list[str]) -> np.ndarray:
        return self.inner.predict_proba(texts)


def read_model_info(model_dir: Path) -> dict[str, Any]:
    """The model's model_info.json as a dict (the predictor's `info`)."""
    return ModelInfo.read(model_dir).to_json()


def load_predictor(
    model_dir: Path,
    batch_size: int = 64,
    quantize: str = "none",
    calibrated: bool = True,
    trusted: bool = False,
) -> Predictor:
    """A predictor for a model directory written by the training stages, calibrated.

    A baseline is a pickle, which runs code when loaded: a folder outside the project that
    is not an MLflow artifact (trusted) gets a warning.
    """
    import joblib

    model_dir = Path(model_dir)
    info = read_model_info(model_dir)
    inner: Predictor
    if info["kind"] == "baseline":
        if quantize != "none":
            log.warning("--quantize %s ignored for the TF-IDF baseline", quantize)
        if not trusted and not model_dir.resolve().is_relative_to(PROJECT_ROOT.resolve()):
            log.warning(
                "%s is outside the project: %s is a pickle and runs code when loaded; "
                "only score with model folders you trust",
                model_dir,
                BASELINE_FILE,
            )
        inner = BaselinePredictor(joblib.load(model_dir / BASELINE_FILE), info["label_names"], info)
    elif info["kind"] == "transformer":
        inner = TransformerPredictor(model_dir, info["label_names"], info, batch_size, quantize)
    elif info["kind"] == "ensemble":
        members = [
            load_predictor(
                model_dir / ENSEMBLE_MEMBERS_DIR / name, batch_size, quantize, trusted=trusted
            )
            for name in info["members"]
        ]
        inner = EnsemblePredictor(members, info["label_names"], info)
    else:
        raise BadInput(
            f"{model_dir / MODEL_INFO_FILE}: unknown model kind {info['kind']!r}; fix: retrain "
            "the folder with `dvc repro` (kinds: baseline, transformer, ensemble)"
        )
    return CalibratedPredictor(inner, Calibration.load(model_dir)) if calibrated else inner
