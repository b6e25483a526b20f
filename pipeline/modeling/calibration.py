"""Temperature scaling and a class-prior correction, fitted on real-news validation, kept with a model."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

CALIBRATION_FILE = "calibration.json"
_EPS = 1e-12


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Calibration:
    """p -> softmax(log p / temperature + log_prior_shift); the identity by default."""

    temperature: float = 1.0
    log_prior_shift: list[float] = field(default_factory=list)
    fitted_on: str = ""
    n: int = 0
    macro_f1_without_prior_shift: float | None = None
    macro_f1_with_prior_shift: float | None = None

    def apply(self, proba: np.ndarray) -> np.ndarray:
        proba = np.asarray(proba, dtype=float)
        if proba.size == 0 or (self.temperature == 1.0 and not self.log_prior_shift):
            return proba
        z = np.log(np.clip(proba, _EPS, 1.0)) / self.temperature
        if self.log_prior_shift:
            z = z + np.asarray(self.log_prior_shift)
        return _softmax(z)

    def save(self, model_dir: Path) -> None:
        text = json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"
        (Path(model_dir) / CALIBRATION_FILE).write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, model_dir: Path) -> Calibration:
        """The model's calibration, or the identity when it has none."""
        path = Path(model_dir) / CALIBRATION_FILE
        if not path.exists():
            return cls()
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def nll(proba: np.ndarray, y: np.ndarray) -> float:
    return float(-np.mean(np.log(np.clip(proba[np.arange(len(y)), y], _EPS, 1.0))))


def fit_temperature(proba: np.ndarray, y: np.ndarray, shift: list[float] | None = None) -> float:
    """The temperature minimising validation log-loss; alone it never changes the argmax."""
    logp = np.log(np.clip(proba, _EPS, 1.0))
    offset = np.asarray(shift) if shift else 0.0
    result = minimize_scalar(
        lambda log_t: nll(_softmax(logp / np.exp(log_t) + offset), y),
        bounds=(-3, 3),
        method="bounded",
    )
    return round(float(np.exp(result.x)), 6)


def prior_shift(target_prior: np.ndarray, model_prior: np.ndarray) -> list[float]:
    """log(target / model prior): moves probabilities from the training mix to real news."""
    target = np.clip(target_prior, 1e-4, None)
    model = np.clip(model_prior, 1e-4, None)
    return [round(float(v), 6) for v in np.log(target / target.sum()) - np.log(model / model.sum())]


def fit_calibration(
    proba: np.ndarray,
    y: np.ndarray,
    target_prior: np.ndarray,
    model_prior: np.ndarray,
    fitted_on: str,
) -> Calibration:
    """Temperature on validation; the prior shift is kept only if validation macro-F1 gains."""
    from pipeline.evaluation.metrics import macro_f1_from_counts

    n_labels = proba.shape[1]
    plain = Calibration(fit_temperature(proba, y), [], fitted_on, len(y))
    shift = prior_shift(target_prior, model_prior)
    shifted = Calibration(fit_temperature(proba, y, shift), shift, fitted_on, len(y))
    f1 = {
        name: round(macro_f1_from_counts(y, cal.apply(proba).argmax(axis=1), n_labels), 6)
        for name, cal in (("plain", plain), ("shifted", shifted))
    }
    best = shifted if f1["shifted"] > f1["plain"] else plain
    return Calibration(
        best.temperature,
        best.log_prior_shift,
        fitted_on,
        len(y),
        f1["plain"],
        f1["shifted"],
    )
