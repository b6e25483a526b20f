"""Evaluation metrics and champion selection."""

import numpy as np
import pytest
from sklearn.metrics import f1_score

from pipeline.config import label_names
from pipeline.evaluation.metrics import (
    bootstrap_macro_f1,
    classification_metrics,
    expected_calibration_error,
    macro_f1_from_counts,
)
from pipeline.stages.select_champion import choose

NAMES = label_names()  # configs/labels.yaml, the one list


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
        "real_news_available": True,
        "baseline": {
            "real_news": {"validation": {"macro_f1": baseline}},
            "authored": {"validation": {"macro_f1": transformer}},
        },
        "transformer": {
            "real_news": {"validation": {"macro_f1": transformer}},
            "authored": {"validation": {"macro_f1": baseline}},
        },
    }
    chosen, reason = choose(metrics, min_gain)
    assert chosen == winner
    assert "real-news validation" in reason


def test_without_real_news_the_choice_falls_back_to_authored_and_says_so():
    metrics = {
        "real_news_available": False,
        "baseline": {"authored": {"validation": {"macro_f1": 0.7}}},
        "transformer": {"authored": {"validation": {"macro_f1": 0.6}}},
    }
    chosen, reason = choose(metrics, 0.0)
    assert chosen == "baseline" and "authored validation" in reason


def test_bootstrap_interval_brackets_the_score_and_resamples_articles():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, 400)
    y_pred = np.where(rng.random(400) < 0.7, y_true, rng.integers(0, 4, 400))
    groups = [f"a{i // 10}" for i in range(400)]
    lo, hi = bootstrap_macro_f1(y_true, y_pred, groups, 4, 300, seed=1)
    point = macro_f1_from_counts(y_true, y_pred, 4)
    assert lo < point < hi
    assert point == pytest.approx(f1_score(y_true, y_pred, average="macro"))
    assert bootstrap_macro_f1(y_true, y_pred, groups, 4, 300, seed=1) == (lo, hi)
    # one article holding everything: every resample is the same data, the interval collapses
    assert bootstrap_macro_f1(y_true, y_pred, ["one"] * 400, 4, 50, seed=1) == (
        pytest.approx(point),
        pytest.approx(point),
    )
