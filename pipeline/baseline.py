"""TF-IDF (word and character n-grams) + class-weighted logistic regression baseline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

MODEL_FILE = "model.joblib"


@dataclass(frozen=True)
class BaselineConfig:
    """Params of the `baseline` section, validated."""

    seed: int = field(default=13, metadata={"help": "random_state of the solver"})
    word_ngram_max: int = field(default=2, metadata={"help": "word n-grams 1..N"})
    char_ngram_min: int = field(default=2, metadata={"help": "shortest character n-gram"})
    char_ngram_max: int = field(default=5, metadata={"help": "longest character n-gram"})
    min_df: int = field(default=1, metadata={"help": "drop n-grams seen in fewer sentences"})
    C: float = field(default=4.0, metadata={"help": "inverse regularisation strength"})
    class_weight: str = field(default="balanced", metadata={"help": "balanced | none"})

    def __post_init__(self):
        if not 1 <= self.char_ngram_min <= self.char_ngram_max:
            raise ValueError("baseline: need 1 <= char_ngram_min <= char_ngram_max")
        if self.word_ngram_max < 1 or self.min_df < 1 or self.C <= 0:
            raise ValueError("baseline: word_ngram_max, min_df must be >= 1 and C > 0")
        if self.class_weight not in ("balanced", "none"):
            raise ValueError("baseline: class_weight must be 'balanced' or 'none'")


def build_baseline(config: BaselineConfig) -> Pipeline:
    """The unfitted scikit-learn pipeline."""
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, config.word_ngram_max), min_df=config.min_df, sublinear_tf=True
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    min_df=config.min_df,
                    sublinear_tf=True,
                    ngram_range=(config.char_ngram_min, config.char_ngram_max),
                ),
            ),
        ]
    )
    weights = None if config.class_weight == "none" else "balanced"
    classifier = LogisticRegression(
        C=config.C, class_weight=weights, max_iter=2000, random_state=config.seed
    )
    return Pipeline([("features", features), ("classifier", classifier)])


def train_baseline(
    texts: list[str], labels: list[str], label_names: list[str], config: BaselineConfig
) -> Pipeline:
    """Fit the baseline; class ids follow `label_names` order."""
    ids = np.array([label_names.index(label) for label in labels])
    model = build_baseline(config)
    model.fit(texts, ids)
    return model


def save_baseline(model: Pipeline, out_dir: Path) -> None:
    """Persist the fitted pipeline."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _drop_memory_addresses(model)
    joblib.dump(model, out_dir / MODEL_FILE)


def _drop_memory_addresses(model: Pipeline) -> None:
    """Remove sklearn's cached id(stop_words), so the same fit pickles to the same bytes."""
    for _, vectorizer in model.named_steps["features"].transformer_list:
        vectorizer.__dict__.pop("_stop_words_id", None)


def baseline_proba(model: Pipeline, texts: list[str], n_labels: int) -> np.ndarray:
    """Probabilities with one column per label, also for labels absent from training."""
    proba = np.zeros((len(texts), n_labels))
    if texts:
        proba[:, model.classes_] = model.predict_proba(texts)
    return proba
