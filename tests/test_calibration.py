"""Calibration: the math, the fit, and one application shared by scoring, MLflow and evaluation."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import label_names
from pipeline.evaluation.metrics import classification_metrics
from pipeline.io import write_json
from pipeline.modeling.baseline import BaselineParams, search_baseline
from pipeline.modeling.calibration import (
    Calibration,
    fit_calibration,
    fit_temperature,
    nll,
    prior_shift,
)
from pipeline.modeling.model_info import ENSEMBLE_MEMBERS_DIR
from pipeline.modeling.model_info import MODEL_INFO_FILE as MODEL_INFO
from pipeline.modeling.predictor import load_predictor
from pipeline.params import EvaluateParams
from pipeline.scoring.pyfunc import StanceArticleModel
from pipeline.stages.evaluate import evaluate_rows

from tiny_model import make_baseline_dir, tiny_rows

NAMES = label_names()  # configs/labels.yaml, the one list
# A shift strong enough to move predictions toward `none`, so a skipped calibration shows.
SHIFT = Calibration(temperature=2.0, log_prior_shift=[-3.0, -3.0, -3.0, 3.0])


def test_identity_by_default_and_temperature_keeps_the_argmax():
    proba = np.array([[0.7, 0.1, 0.1, 0.1], [0.2, 0.5, 0.2, 0.1]])
    assert np.array_equal(Calibration().apply(proba), proba)
    soft = Calibration(temperature=3.0).apply(proba)
    assert np.allclose(soft.sum(axis=1), 1)
    assert (soft.argmax(axis=1) == proba.argmax(axis=1)).all()
    assert soft.max() < proba.max()


def test_temperature_fit_lowers_the_loss_of_an_overconfident_model():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, 400)
    predicted = np.where(rng.random(400) < 0.6, y, rng.integers(0, 4, 400))
    proba = np.full((400, 4), 0.01)
    proba[np.arange(400), predicted] = 0.97
    t = fit_temperature(proba, y)
    assert t > 1.5
    assert nll(Calibration(t).apply(proba), y) < nll(proba, y)


def test_prior_shift_is_kept_only_when_it_raises_validation_macro_f1():
    # The model believes the classes are balanced; the data is 90% `none`.
    rng = np.random.default_rng(1)
    y = np.where(rng.random(500) < 0.9, 3, rng.integers(0, 3, 500))
    proba = rng.dirichlet(np.ones(4), 500) * 0.5 + np.eye(4)[y] * 0.1
    proba /= proba.sum(axis=1, keepdims=True)
    target, uniform = np.array([5.0, 5.0, 5.0, 85.0]), np.ones(4)
    kept = fit_calibration(proba, y, target, uniform, "real_news/validation")
    assert kept.log_prior_shift == prior_shift(target, uniform)
    assert kept.macro_f1_with_prior_shift > kept.macro_f1_without_prior_shift
    perfect = np.eye(4)[y] * 0.7 + 0.075
    dropped = fit_calibration(perfect, y, target, uniform, "real_news/validation")
    assert dropped.log_prior_shift == []


def test_save_and_load_round_trip(tmp_path):
    SHIFT.save(tmp_path)
    assert Calibration.load(tmp_path) == SHIFT
    assert Calibration.load(tmp_path / "none") == Calibration()


@pytest.fixture(scope="module")
def calibrated_dir(tmp_path_factory):
    out = make_baseline_dir(tmp_path_factory.mktemp("calibrated"), NAMES)
    SHIFT.save(out)
    return out


TEXT = "Jepang menolak kerja sama pertahanan dengan mitra."


def test_scoring_the_mlflow_model_and_evaluation_apply_the_same_calibration(
    calibrated_dir, tmp_path
):
    predictor = load_predictor(calibrated_dir)
    raw = load_predictor(calibrated_dir, calibrated=False).predict_proba([TEXT])
    expected = SHIFT.apply(raw)
    assert np.allclose(predictor.predict_proba([TEXT]), expected)
    assert not np.allclose(expected, raw, atol=1e-3)

    out = tmp_path / "scored"
    result = CliRunner().invoke(
        app, ["score", str(_article(tmp_path)), "-o", str(out), "--model", str(calibrated_dir)]
    )
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in (out / "sentences.jsonl").open()]
    cli = np.array([row[f"p_{n}"] for n in NAMES])
    assert np.allclose(cli, expected[0], atol=1e-4)

    model = StanceArticleModel()
    model.load_context(SimpleNamespace(artifacts={"model_dir": str(calibrated_dir)}))
    table = model.predict(None, pd.DataFrame([{"id": "a", "text": TEXT}]))
    assert np.allclose(table[[f"p_{n}" for n in NAMES]].to_numpy()[0], expected[0], atol=1e-4)

    rows = [{"article_id": "a", "label": "rejected", "text": TEXT}]
    evaluated = evaluate_rows(rows, predictor.predict_proba([TEXT]), NAMES, _eval_params(), raw)
    y = np.array([1])
    assert (
        evaluated["confusion_matrix"]
        == classification_metrics(y, expected, NAMES)["confusion_matrix"]
    )


def _article(tmp_path: Path) -> Path:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n", encoding="utf-8")
    return path


def _eval_params() -> EvaluateParams:
    return EvaluateParams(ece_bins=10, bootstrap_resamples=10, seed=1)


def test_ensemble_averages_its_members_calibrated_probabilities(calibrated_dir, tmp_path):
    import shutil

    ensemble = tmp_path / "ensemble"
    for name in ("a", "b"):
        shutil.copytree(calibrated_dir, ensemble / ENSEMBLE_MEMBERS_DIR / name)
    (ensemble / ENSEMBLE_MEMBERS_DIR / "b" / "calibration.json").unlink()
    write_json(
        ensemble / MODEL_INFO,
        {
            "kind": "ensemble",
            "model_source": "e",
            "checkpoint": "e",
            "label_names": NAMES,
            "members": ["a", "b"],
        },
    )
    a = load_predictor(ensemble / ENSEMBLE_MEMBERS_DIR / "a").predict_proba([TEXT])
    b = load_predictor(ensemble / ENSEMBLE_MEMBERS_DIR / "b").predict_proba([TEXT])
    assert np.allclose(load_predictor(ensemble).predict_proba([TEXT]), (a + b) / 2)


def test_search_scores_every_candidate_on_validation_and_returns_the_best():
    train, validation = tiny_rows(8), tiny_rows(4, offset=3)
    config = BaselineParams(search={"C": [0.01, 4.0], "negation": [False, True]})
    chosen, results = search_baseline(
        ([r["text"] for r in train], [r["label"] for r in train]),
        ([r["text"] for r in validation], [r["label"] for r in validation]),
        NAMES,
        config,
    )
    assert len(results) == 4
    best = max(results, key=lambda r: r["validation_macro_f1"])
    assert best["validation_macro_f1"] == max(r["validation_macro_f1"] for r in results)
    assert (chosen.C, chosen.negation) in {
        (r["C"], r["negation"])
        for r in results
        if r["validation_macro_f1"] == best["validation_macro_f1"]
    }
    assert chosen.search == {}
    assert search_baseline(([], []), ([], []), NAMES, BaselineParams())[1] == []
