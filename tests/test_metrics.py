"""Evaluation metrics and champion selection."""

import numpy as np
import pytest

from pipeline.metrics import classification_metrics, expected_calibration_error
from pipeline.stages.select_champion import choose

NAMES = ["proposed", "rejected", "conditional", "none"]


def one_hot(ids, confidence=1.0):
    proba = np.full((len(ids), 4), (1 - confidence) / 3)
    proba[np.arange(len(ids)), ids] = confidence
    return proba


def test_perfect_predictions():
    y = np.array([0, 1, 2, 3, 3])
    m = classification_metrics(y, one_hot(y), NAMES)
    assert m["accuracy"] == m["macro_f1"] == 1.0
    assert m["ece"] == 0.0
    assert m["confusion_matrix"] == [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 2]]
    assert m["per_class"]["none"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}


def test_mistakes_show_in_per_class_scores_and_confusion():
    y = np.array([0, 0, 1, 3])
    pred = np.array([0, 1, 1, 3])
    m = classification_metrics(y, one_hot(pred), NAMES)
    assert m["accuracy"] == 0.75
    assert m["per_class"]["proposed"]["recall"] == 0.5
    assert m["per_class"]["rejected"]["precision"] == 0.5
    assert m["confusion_matrix"][0] == [1, 1, 0, 0]
    # a label absent from both gold and predictions scores 0, pulling macro-F1 down
    assert m["per_class"]["conditional"]["f1"] == 0.0
    assert m["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 0 + 1) / 4, abs=1e-6)


def test_calibration_error_of_an_overconfident_model():
    y = np.array([0, 1, 0, 1])
    proba = one_hot(np.array([0, 0, 0, 0]), confidence=0.9)  # 90% sure, right half the time
    assert expected_calibration_error(proba, y) == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("baseline", "transformer", "min_gain", "winner"),
    [
        (0.60, 0.70, 0.0, "transformer"),
        (0.70, 0.60, 0.0, "baseline"),
        (0.65, 0.65, 0.0, "baseline"),
        (0.65, 0.66, 0.02, "baseline"),
    ],
)
def test_transformer_ships_only_when_it_beats_the_baseline(baseline, transformer, min_gain, winner):
    metrics = {
        "baseline": {"validation": {"macro_f1": baseline}},
        "transformer": {"validation": {"macro_f1": transformer}},
    }
    assert choose(metrics, min_gain)[0] == winner
