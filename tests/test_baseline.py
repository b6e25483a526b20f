"""The TF-IDF + logistic regression baseline."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.config import label_names
from pipeline.evaluation.metrics import classification_metrics
from pipeline.modeling.baseline import BaselineParams, baseline_proba, train_baseline
from pipeline.modeling.predictor import BaselinePredictor
from pipeline.scoring.summary import label_sentences, summarise_article

from tiny_model import tiny_rows

NAMES = label_names()  # configs/labels.yaml, the one list


def fit(seed=13):
    rows = tiny_rows(8)
    model = train_baseline(
        [r["text"] for r in rows], [r["label"] for r in rows], NAMES, BaselineParams(seed=seed)
    )
    return model, tiny_rows(4, offset=3)


def test_learns_the_keywords_and_same_seed_gives_same_metrics_exactly():
    (m1, test), (m2, _) = fit(), fit()
    y = np.array([NAMES.index(r["label"]) for r in test])
    p1 = baseline_proba(m1, [r["text"] for r in test], 4)
    p2 = baseline_proba(m2, [r["text"] for r in test], 4)
    assert np.array_equal(p1, p2)
    metrics = classification_metrics(y, p1, NAMES)
    assert metrics == classification_metrics(y, p2, NAMES)
    assert metrics["macro_f1"] >= 0.9


def test_same_seed_saves_the_same_bytes_in_separate_processes(tmp_path):
    # Memory addresses differ between processes, so both fits run in their own interpreter.
    script = (
        "import sys; from pathlib import Path; from tiny_model import tiny_rows; "
        "from pipeline.modeling.baseline import BaselineParams, save_baseline, train_baseline; "
        "rows = tiny_rows(8); "
        "model = train_baseline([r['text'] for r in rows], [r['label'] for r in rows], "
        f"{NAMES!r}, BaselineParams()); "
        "save_baseline(model, Path(sys.argv[1]))"
    )
    root = Path(__file__).resolve().parents[1]
    digests = []
    for run in ("1", "2"):
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / run)],
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": run, "PYTHONPATH": f"{root}/tests:{root}"},
        )
        digests.append(hashlib.md5((tmp_path / run / "model.joblib").read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_probability_columns_follow_the_label_set_even_for_unseen_labels():
    rows = [r for r in tiny_rows(5) if r["label"] != "conditional"]
    model = train_baseline(
        [r["text"] for r in rows], [r["label"] for r in rows], NAMES, BaselineParams()
    )
    proba = baseline_proba(model, ["Jepang menolak kerja sama pertahanan."], 4)
    assert proba.shape == (1, 4) and proba[0, 2] == 0.0
    assert proba[0].sum() == pytest.approx(1.0)


def test_bad_config_is_refused():
    with pytest.raises(ValueError, match="char_ngram"):
        BaselineParams(char_ngram_min=5, char_ngram_max=2)
    with pytest.raises(ValueError, match="class_weight"):
        BaselineParams(class_weight="auto")


def test_scored_sentences_and_article_summary():
    model, _ = fit()
    predictor = BaselinePredictor(model, NAMES, {"kind": "baseline"})
    rows = [
        {"article_id": "a", "sent_idx": i, "text": t}
        for i, t in enumerate(
            [
                "Jepang menolak kerja sama pertahanan dengan mitra.",
                "Korea menolak kerja sama pertahanan dengan mitra hari ini.",
                "Hujan deras turun di ibu kota Jepang pagi ini.",
            ]
        )
    ]
    labeled = label_sentences(predictor, rows)
    assert [r["label"] for r in labeled] == ["rejected", "rejected", "none"]
    assert all(abs(sum(r[f"p_{n}"] for n in NAMES) - 1) < 1e-4 for r in labeled)
    summary = summarise_article("a", labeled, NAMES)
    assert summary["n_rejected"] == 2 and summary["share_none"] == pytest.approx(1 / 3, abs=1e-6)
    assert summary["dominant_stance"] == "rejected"
    assert summary["strongest_sentence"] in {rows[0]["text"], rows[1]["text"]}


def _row(label: str, probs: dict[str, float]) -> dict:
    return {"label": label, "text": label, **{f"p_{n}": probs.get(n, 0.0) for n in NAMES}}


def test_a_tie_is_flagged_and_goes_to_the_stance_with_more_probability():
    rows = [
        _row("proposed", {"proposed": 0.6, "none": 0.4}),
        _row("rejected", {"rejected": 0.9, "none": 0.1}),
        _row("none", {"none": 0.7, "rejected": 0.3}),
    ]
    summary = summarise_article("a", rows, NAMES)
    assert (summary["dominant_stance"], summary["dominant_tie"]) == ("rejected", True)
    single = summarise_article("b", rows[:1] + rows[2:], NAMES)
    assert (single["dominant_stance"], single["dominant_tie"]) == ("proposed", False)
    nothing = summarise_article("c", rows[2:], NAMES)
    assert (nothing["dominant_stance"], nothing["dominant_tie"]) == (None, False)
