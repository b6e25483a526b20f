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

MODELS = ("baseline", "transformer", "ensemble")


def headline_domain(metrics: dict[str, Any]) -> str:
    """Real news when it was read, else the authored articles (and every report says so)."""
    return "real_news" if metrics.get("real_news_available") else "authored"


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


def macro_f1_from_counts(y_true: np.ndarray, y_pred: np.ndarray, n_labels: int) -> float:
    """Macro-F1 over all labels (absent labels score 0), fast enough for bootstrap loops."""
    cm = np.bincount(y_true * n_labels + y_pred, minlength=n_labels * n_labels)
    cm = cm.reshape(n_labels, n_labels)
    tp = np.diag(cm).astype(float)
    denom = cm.sum(axis=0) + cm.sum(axis=1)
    f1 = np.divide(2 * tp, denom, out=np.zeros(n_labels), where=denom > 0)
    return float(f1.mean())


def bootstrap_macro_f1(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    groups: list[str],
    n_labels: int,
    resamples: int,
    seed: int,
) -> tuple[float, float]:
    """95% interval of macro-F1, resampling whole articles (sentences of one article correlate)."""
    if len(y_true) == 0 or resamples <= 0:
        return (float("nan"), float("nan"))
    ids = sorted(set(groups))
    members = {g: [] for g in ids}
    for i, g in enumerate(groups):
        members[g].append(i)
    index = [np.array(members[g]) for g in ids]
    rng = np.random.default_rng(seed)
    scores = np.empty(resamples)
    for b in range(resamples):
        pick = np.concatenate([index[j] for j in rng.integers(0, len(ids), len(ids))])
        scores[b] = macro_f1_from_counts(y_true[pick], y_pred[pick], n_labels)
    lo, hi = np.percentile(scores, [2.5, 97.5])
    return (round(float(lo), 6), round(float(hi), 6))
