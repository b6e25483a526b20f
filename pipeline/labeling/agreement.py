"""Agreement between two independent labeling passes: Cohen's kappa overall and per class."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sklearn.metrics import cohen_kappa_score


def kappa_report(first: list[str], second: list[str], label_names: list[str]) -> dict[str, Any]:
    """Overall kappa, one-vs-rest kappa per class, raw agreement and the disagreement pairs."""
    if len(first) != len(second) or not first:
        raise ValueError(
            f"need two equally long, non-empty label lists ({len(first)}, {len(second)})"
        )
    per_class = {}
    for label in label_names:
        a = [x == label for x in first]
        b = [x == label for x in second]
        # kappa is undefined when neither pass ever uses the label
        per_class[label] = round(float(cohen_kappa_score(a, b)), 4) if any(a) or any(b) else None
    pairs = Counter(f"{a}->{b}" for a, b in zip(first, second, strict=True) if a != b)
    return {
        "n": len(first),
        "observed_agreement": round(
            sum(a == b for a, b in zip(first, second, strict=True)) / len(first), 4
        ),
        "kappa": round(float(cohen_kappa_score(first, second, labels=label_names)), 4),
        "kappa_per_class": per_class,
        "first_pass_counts": dict(Counter(first)),
        "second_pass_counts": dict(Counter(second)),
        "disagreements": dict(pairs.most_common()),
    }
