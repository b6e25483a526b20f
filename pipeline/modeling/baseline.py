"""TF-IDF (word and character n-grams) + class-weighted logistic regression baseline."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar, Literal

import joblib
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from pipeline.modeling.model_info import BASELINE_FILE
from pipeline.params import option

# "tidak menolak", "belum ada kesepakatan": the negator is glued to the next word, so the
# word n-grams see "tidak_menolak" apart from "menolak".
_NEGATION = re.compile(r"\b(tidak|tak|belum|bukan|enggan|tanpa|batal|urung)\s+(\w+)")
SEARCHABLE = ("C", "char_ngram_max", "word_ngram_max", "negation", "class_weight")


def mark_negation(text: str) -> str:
    """Lower-case text with each negator joined to the word after it."""
    return _NEGATION.sub(r"\1_\2", text.lower())


@dataclass(frozen=True)
class BaselineParams:
    """Stage `train_baseline`: TF-IDF + logistic regression."""

    SECTION: ClassVar[str] = "baseline"
    seed: int = option(13, "random_state of the solver")
    word_ngram_max: int = option(2, "TF-IDF word n-grams 1..N")
    char_ngram_min: int = option(2, "shortest TF-IDF character n-gram (within word boundaries)")
    char_ngram_max: int = option(5, "longest TF-IDF character n-gram")
    min_df: int = option(1, "drop n-grams seen in fewer sentences than this")
    C: float = option(4.0, "inverse regularisation strength of the logistic regression")
    class_weight: Literal["balanced", "none"] = option("balanced", "balanced | none")
    negation: bool = option(False, "join negators (tidak, belum, bukan, …) to the next word")
    search: dict[str, list[Any]] = option(  # noqa: RUF009 (frozen default)
        {}, "GridSearchCV grid over the keys above, on real-news validation macro-F1 ({} = off)"
    )

    def __post_init__(self):
        if not 1 <= self.char_ngram_min <= self.char_ngram_max:
            raise ValueError("need 1 <= char_ngram_min <= char_ngram_max")
        if self.word_ngram_max < 1 or self.min_df < 1 or self.C <= 0:
            raise ValueError("word_ngram_max, min_df must be >= 1 and C > 0")
        if self.class_weight not in ("balanced", "none"):
            raise ValueError("class_weight must be 'balanced' or 'none'")
        unknown = sorted(set(self.search) - set(SEARCHABLE))
        if unknown or not all(isinstance(v, list) and v for v in self.search.values()):
            raise ValueError(
                f"search: give non-empty lists for keys among {SEARCHABLE} (unknown: {unknown})"
            )


def build_baseline(config: BaselineParams) -> Pipeline:
    """The unfitted scikit-learn pipeline."""
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, config.word_ngram_max),
                    min_df=config.min_df,
                    sublinear_tf=True,
                    preprocessor=mark_negation if config.negation else None,
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
    texts: list[str], labels: list[str], label_names: list[str], config: BaselineParams
) -> Pipeline:
    """Fit the baseline; class ids follow `label_names` order."""
    ids = np.array([label_names.index(label) for label in labels])
    model = build_baseline(config)
    model.fit(texts, ids)
    return model


class BaselineEstimator(ClassifierMixin, BaseEstimator):
    """The baseline with its searchable config keys as estimator params, for GridSearchCV."""

    def __init__(
        self,
        C: float = 4.0,
        char_ngram_max: int = 5,
        word_ngram_max: int = 2,
        negation: bool = False,
        class_weight: str = "balanced",
        base: BaselineParams | None = None,
    ):
        self.C, self.char_ngram_max, self.word_ngram_max = C, char_ngram_max, word_ngram_max
        self.negation, self.class_weight, self.base = negation, class_weight, base

    def config(self) -> BaselineParams:
        changes = {k: getattr(self, k) for k in SEARCHABLE}
        return replace(self.base or BaselineParams(), **changes, search={})

    def fit(self, texts: list[str], y: np.ndarray) -> BaselineEstimator:
        self.pipeline_ = build_baseline(self.config()).fit(texts, y)
        self.classes_ = self.pipeline_.classes_
        return self

    def predict(self, texts: list[str]) -> np.ndarray:
        return self.pipeline_.predict(texts)


def search_baseline(
    train: tuple[list[str], list[str]],
    validation: tuple[list[str], list[str]],
    label_names: list[str],
    config: BaselineParams,
) -> tuple[BaselineParams, list[dict[str, Any]]]:
    """GridSearchCV over config.search: fits on train, scores macro-F1 on validation only.

    A PredefinedSplit keeps the one train/validation cut; refit=False, so the caller fits the
    chosen config on train alone and validation stays unseen by the final model.
    """
    if not config.search or not validation[0]:
        return replace(config, search={}), []
    from sklearn.metrics import f1_score, make_scorer
    from sklearn.model_selection import GridSearchCV, PredefinedSplit

    texts = [*train[0], *validation[0]]
    y = np.array([label_names.index(label) for label in [*train[1], *validation[1]]])
    folds = np.array([-1] * len(train[0]) + [0] * len(validation[0]))
    base = replace(config, search={})
    scorer = make_scorer(
        f1_score, average="macro", labels=list(range(len(label_names))), zero_division=0
    )
    search = GridSearchCV(
        BaselineEstimator(**{k: getattr(base, k) for k in SEARCHABLE}, base=base),
        config.search,
        scoring=scorer,
        cv=PredefinedSplit(folds),
        refit=False,
    ).fit(texts, y)
    results = [
        {**params, "validation_macro_f1": round(float(score), 6)}
        for params, score in zip(
            search.cv_results_["params"], search.cv_results_["mean_test_score"], strict=True
        )
    ]
    return replace(base, **search.best_params_), results


def save_baseline(model: Pipeline, out_dir: Path) -> None:
    """Persist the fitted pipeline."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _drop_memory_addresses(model)
    joblib.dump(model, out_dir / BASELINE_FILE)


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
