"""Cohen's kappa of the blind second pass."""

import pytest
from sklearn.metrics import cohen_kappa_score

from pipeline.config import label_names
from pipeline.labeling.agreement import kappa_report

NAMES = label_names()  # configs/labels.yaml, the one list


def test_kappa_matches_sklearn_and_names_disagreements():
    first = ["none"] * 8 + ["proposed", "proposed", "rejected", "conditional"]
    second = ["none"] * 7 + ["proposed", "proposed", "none", "rejected", "proposed"]
    report = kappa_report(first, second, NAMES)
    assert report["kappa"] == pytest.approx(cohen_kappa_score(first, second), abs=1e-4)
    assert report["observed_agreement"] == pytest.approx(9 / 12, abs=1e-4)
    assert report["disagreements"] == {
        "none->proposed": 1,
        "proposed->none": 1,
        "conditional->proposed": 1,
    }
    assert report["kappa_per_class"]["rejected"] == 1.0
    assert report["kappa_per_class"]["conditional"] == 0.0


def test_perfect_agreement_is_one_and_unused_labels_are_undefined():
    labels = ["none", "proposed", "none", "rejected"]
    report = kappa_report(labels, labels, NAMES)
    assert report["kappa"] == 1.0
    assert report["kappa_per_class"]["conditional"] is None


def test_lists_must_pair_up():
    with pytest.raises(ValueError):
        kappa_report(["none"], [], NAMES)
