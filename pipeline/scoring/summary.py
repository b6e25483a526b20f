"""Attach stance predictions to sentence rows and summarise them per article."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from pipeline.modeling.predictor import Predictor


def prob_column(label: str) -> str:
    """Name of the probability column of a label."""
    return f"p_{label}"


def sentence_columns(label_names: Iterable[str]) -> list[str]:
    """Columns of the sentence table, in order."""
    base = ["article_id", "sent_idx", "text", "start", "end", "cut", "label", "confidence"]
    return [*base, *(prob_column(n) for n in label_names)]


def article_columns(label_names: Iterable[str]) -> list[str]:
    """Columns of the article table, in order."""
    names = list(label_names)
    return [
        "article_id",
        "n_sentences",
        *(f"{kind}_{n}" for n in names for kind in ("n", "share")),
        "dominant_stance",
        "dominant_tie",
        "strongest_sentence",
        "strongest_confidence",
        "title",
        "date",
        "date_from",
        "source",
        "source_from",
        "dateline",
        "model",
        "model_source",
    ]


def label_sentences(predictor: Predictor, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copy of each row with `label`, `confidence` and one probability column per label."""
    proba = predictor.predict_proba([r["text"] for r in rows]) if rows else np.zeros((0, 0))
    labeled = []
    for row, p in zip(rows, proba, strict=True):
        best = int(p.argmax())
        out = {**row, "label": predictor.label_names[best], "confidence": round(float(p[best]), 6)}
        out.update(
            {
                prob_column(n): round(float(v), 6)
                for n, v in zip(predictor.label_names, p, strict=True)
            }
        )
        labeled.append(out)
    return labeled


def summarise_article(
    article_id: str,
    rows: Iterable[dict[str, Any]],
    label_names: list[str],
    none_label: str = "none",
) -> dict[str, Any]:
    """Counts and shares per stance, the dominant non-none stance and its strongest sentence."""
    rows = list(rows)
    summary: dict[str, Any] = {"article_id": article_id, "n_sentences": len(rows)}
    for label in label_names:
        count = sum(r["label"] == label for r in rows)
        summary[f"n_{label}"] = count
        summary[f"share_{label}"] = round(count / len(rows), 6) if rows else 0.0
    stances = [label for label in label_names if label != none_label]
    counts = {label: summary[f"n_{label}"] for label in stances}
    top = max(counts.values(), default=0)
    tied = [label for label in stances if top and counts[label] == top]
    # A tie goes to the stance with more probability mass over the article's sentences.
    mass = {label: sum(r[prob_column(label)] for r in rows) for label in tied}
    dominant = max(tied, key=lambda lb: mass[lb]) if tied else None
    summary["dominant_stance"] = dominant
    summary["dominant_tie"] = len(tied) > 1
    strongest = None
    if dominant is not None:
        strongest = max(
            (r for r in rows if r["label"] == dominant), key=lambda r: r[prob_column(dominant)]
        )
    summary["strongest_sentence"] = strongest["text"] if strongest else None
    summary["strongest_confidence"] = strongest[prob_column(dominant)] if strongest else None
    return summary
