"""Classification metrics: accuracy, macro-F1, per-class scores, confusion, calibration."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)


def expected_calibration_error(proba: np.ndarray, y_true: np.ndarray, bins: int = 10) -> float:
    """Weighted gap between confidence and accuracy over equal-width confidence bins."""
    if len(y_true) == 0:
        return 0.0
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y_true
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        in_bin = (confidence > lo) & (confidence <= hi)
        if in_bin.any():
            ece += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(ece)


def classification_metrics(
    y_true: np.ndarray, proba: np.ndarray, label_names: list[str], ece_bins: int = 10
) -> dict[str, Any]:
    """All metrics for one model on one split, JSON-ready."""
    ids = list(range(len(label_names)))
    y_pred = proba.argmax(axis=1)
    p, r, f, support = precision_recall_fscore_support(y_true, y_pred, labels=ids, zero_division=0)
    return {
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 6),
        "macro_f1": round(
            float(f1_score(y_true, y_pred, labels=ids, average="macro", zero_division=0)), 6
        ),
        "ece": round(expected_calibration_error(proba, y_true, ece_bins), 6),
        "n": len(y_true),
        "per_class": {
            name: {
                "precision": round(float(p[i]), 6),
                "recall": round(float(r[i]), 6),
                "f1": round(float(f[i]), 6),
                "support": int(support[i]),
            }
            for i, name in enumerate(label_names)
        },
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=ids).tolist(),
    }
