"""Fit a trained model folder's calibration on real-news validation (authored when absent)."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.modeling.calibration import Calibration, fit_calibration
from pipeline.modeling.predictor import load_predictor

log = logging.getLogger(__name__)


def label_prior(rows: list[dict[str, Any]], names: list[str]) -> np.ndarray:
    counts = Counter(r["label"] for r in rows)
    return np.array([counts.get(n, 0) for n in names], dtype=float) + 1.0  # add-one


def trained_prior(train_counts: np.ndarray, class_weights: str) -> np.ndarray:
    """The label mix a model trained with these loss weights has learnt (unnormalised)."""
    if class_weights == "balanced":
        return np.ones_like(train_counts)
    if class_weights == "sqrt":
        return np.sqrt(train_counts)
    return train_counts


def calibrate_model_dir(
    model_dir: Path,
    train_rows: list[dict[str, Any]],
    val_rows: list[dict[str, Any]],
    names: list[str],
    class_weights: str = "none",
) -> Calibration:
    """Write calibration.json into model_dir and return it.

    The target prior is the real-news train split's label mix (not validation's, which stays
    a fair yardstick); a class-weighted model's own prior is the train mix times the weights
    (uniform for "balanced", the square root of the mix for "sqrt").
    """
    real_val = [r for r in val_rows if r.get("domain") == "real_news"]
    real_train = [r for r in train_rows if r.get("domain") == "real_news"]
    domain = "real_news" if real_val else "authored"
    val = real_val or val_rows
    target = label_prior(real_train or train_rows, names)
    model_prior = trained_prior(label_prior(train_rows, names), class_weights)
    predictor = load_predictor(model_dir, calibrated=False)
    proba = predictor.predict_proba([r["text"] for r in val])
    y = np.array([names.index(r["label"]) for r in val])
    calibration = fit_calibration(proba, y, target, model_prior, f"{domain}/validation")
    calibration.save(model_dir)
    log.info(
        "calibration on %s: temperature %.3f, prior shift %s (validation macro-F1 %.4f -> %.4f)",
        calibration.fitted_on,
        calibration.temperature,
        "kept" if calibration.log_prior_shift else "not kept",
        calibration.macro_f1_without_prior_shift,
        calibration.macro_f1_with_prior_shift,
    )
    return calibration
