"""Choose the fine-tuning recipe on real-news validation: one variant per run, same code as the stage.

Run: python benchmarks/finetune_recipe.py VARIANT [VARIANT ...] [--checkpoint models/packaged_encoder]
Variants change one thing from params `train` (configs/params.yaml), e.g. `base`,
`lr=3e-5`, `epochs=3`, `class_weights=balanced`, `freeze_word_embeddings=false`,
`max_length=64`, `seed=14`, `context=previous` (the sentence before, as a second segment).
Each result (validation macro-F1 per epoch, per class at the kept epoch, seconds) is appended
to benchmarks/results/finetune_recipe.jsonl. Needs `dvc repro partition convert_packaged`;
exits 0 with a message when the partitions or the checkpoint are missing.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.config import (
    INDOSUM_DIR,
    INTERIM_DIR,
    MODELS_DIR,
    PROCESSED_DIR,
    PROJECT_ROOT,
    label_names,
)
from pipeline.io import read_jsonl
from pipeline.logs import configure_logging
from pipeline.modeling.finetune import fine_tune
from pipeline.modeling.train_params import TrainParams
from pipeline.params import load_section

log = logging.getLogger("finetune_recipe")
PARTITIONS = PROCESSED_DIR / "partitions"
RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "finetune_recipe.jsonl"


def previous_sentences(rows: list[dict[str, Any]], corpus_dir: Path) -> dict[tuple[str, int], str]:
    """(article_id, sent_idx) -> the sentence before it, from the project's and IndoSum's text."""
    from pipeline.text import indosum

    texts: dict[tuple[str, int], str] = {}
    for row in read_jsonl(INTERIM_DIR / "sentences.jsonl"):
        texts[(row["article_id"], row["sent_idx"])] = row["text"]
    wanted = {r["article_id"] for r in rows if r.get("domain") == "real_news"}
    if indosum.available(corpus_dir):
        for sentence in indosum.sentences(corpus_dir):
            if sentence.article_id in wanted:
                texts[(sentence.article_id, sentence.sent_idx)] = sentence.text
    return {(a, i + 1): t for (a, i), t in texts.items()}


def variant_config(base: TrainParams, variant: str) -> tuple[TrainParams, str]:
    """The config for one `key=value` variant, and its context mode."""
    if variant == "base":
        return base, "none"
    key, _, value = variant.partition("=")
    if key == "context":
        return base, value
    field = {f.name: f for f in dataclasses.fields(TrainParams)}[key]
    cast = {"bool": lambda v: v.lower() == "true", "int": int, "float": float}.get(
        str(field.type), str
    )
    return dataclasses.replace(base, **{key: cast(value)}), "none"


def per_class_f1(
    model_dir: Path, rows: list[dict[str, Any]], names: list[str], max_length: int
) -> dict[str, float]:
    """Validation F1 per class of the kept epoch (argmax, pairs when rows carry context)."""
    import torch
    from sklearn.metrics import f1_score
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    preds: list[int] = []
    for i in range(0, len(rows), 64):
        batch = rows[i : i + 64]
        second = [r["context"] for r in batch] if "context" in batch[0] else None
        enc = tokenizer([r["text"] for r in batch], second, padding=True, max_length=max_length,
                        truncation=True, return_tensors="pt")  # fmt: skip
        with torch.no_grad():
            preds.extend(model(**enc).logits.argmax(-1).tolist())
    y = [names.index(r["label"]) for r in rows]
    scores = f1_score(y, preds, labels=range(len(names)), average=None, zero_division=0)
    return {n: round(float(s), 4) for n, s in zip(names, scores, strict=True)}


def results_table(path: Path = RESULTS) -> str:
    """The recorded runs as a Markdown table (validation macro-F1 per epoch, kept epoch's F1s)."""
    lines = [
        "| variant | val macro-F1 per epoch | kept | proposed / rejected / conditional / none | s |",
        "|---|---|---|---|---|",
    ]
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        epochs = ", ".join(f"{f:.3f}" for f in r["val_macro_f1_per_epoch"])
        per_class = " / ".join(f"{r['val_f1_per_class'][n]:.2f}" for n in label_names())
        lines.append(
            f"| {r['variant']} | {epochs} | {r['best_val_macro_f1']:.3f} | {per_class} | "
            f"{r['seconds']:.0f} |"
        )
    return "\n".join(lines)


def main(
    variants: Annotated[list[str] | None, typer.Argument(help="base or key=value changes")] = None,
    table: Annotated[bool, typer.Option(help="print the recorded runs as a table")] = False,
    checkpoint: Annotated[Path, typer.Option(help="HF folder")] = MODELS_DIR / "packaged_encoder",
    corpus_dir: Annotated[Path, typer.Option(help="IndoSum copy")] = INDOSUM_DIR,
) -> None:
    """Fine-tune each variant and append its real-news validation figures."""
    configure_logging()
    if table:
        print(results_table() if RESULTS.is_file() else f"no results yet in {RESULTS}")
        return
    if not (PARTITIONS / "train.jsonl").is_file() or not (checkpoint / "config.json").is_file():
        log.warning("skipped: needs %s and %s; run `dvc repro convert_packaged`", PARTITIONS,
                    checkpoint)  # fmt: skip
        return
    names = label_names()
    train = read_jsonl(PARTITIONS / "train.jsonl")
    val = [r for r in read_jsonl(PARTITIONS / "validation.jsonl") if r["domain"] == "real_news"]
    base = load_section(TrainParams)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    for variant in variants or []:
        config, context = variant_config(base, variant)
        tr, va = train, val
        if context == "previous":
            prev = previous_sentences(train + val, corpus_dir)
            tr = [{**r, "context": prev.get((r["article_id"], r["sent_idx"]), "")} for r in train]
            va = [{**r, "context": prev.get((r["article_id"], r["sent_idx"]), "")} for r in val]
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            history = fine_tune(checkpoint, tr, va, names, config, Path(tmp) / "model")
            seconds = time.perf_counter() - start
            per_class = per_class_f1(Path(tmp) / "model", va, names, config.max_length)
        result = {
            "variant": variant,
            "config": dataclasses.asdict(config),
            "context": context,
            "val_macro_f1_per_epoch": [e.get("eval_macro_f1") for e in history["epochs"]],
            "best_epoch": history["best_epoch"],
            "best_val_macro_f1": history["best_val_macro_f1"],
            "val_f1_per_class": per_class,
            "seconds": round(seconds, 1),
            "n_train": len(train),
            "n_val_real_news": len(val),
        }
        with open(RESULTS, "a", encoding="utf-8") as out:
            out.write(json.dumps(result) + "\n")
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(typer.run(main))
