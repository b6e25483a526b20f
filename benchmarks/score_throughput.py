"""Sentences per second: a plain transformers pipeline loop vs `stance score` vs int8.

Run: python benchmarks/score_throughput.py [--model models/transformer | --bert-base] [--n 2000]
Sentences come from IndoSum (../shared) when present, else from the project's corpus.
The last line is `speedup=<c/a> agreement=<fraction>`.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import numpy as np
import torch
import typer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline.atomic import read_jsonl, write_json
from pipeline.batch_score import ScoreOptions, score_inputs
from pipeline.config import INTERIM_DIR, label_names
from pipeline.logs import configure_logging
from pipeline.predictor import MODEL_INFO, load_predictor
from pipeline.text import indosum

log = logging.getLogger("score_throughput")


def benchmark_sentences(n: int) -> list[str]:
    """n real news sentences: IndoSum's gold sentences, else the project's own."""
    if indosum.available():
        out = []
        for paragraph in indosum.paragraphs():
            out.extend(paragraph)
            if len(out) >= n:
                return out[:n]
    rows = read_jsonl(INTERIM_DIR / "sentences.jsonl")
    return [rows[i % len(rows)]["text"] for i in range(n)]


def bert_base_dir(tokenizer_source: Path, out: Path) -> Path:
    """A randomly initialised classifier of IndoBERT-base's shape (timing only)."""
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    names = label_names()
    config = BertConfig(vocab_size=50000, num_labels=len(names), id2label=dict(enumerate(names)))
    BertForSequenceClassification(config).save_pretrained(out)
    AutoTokenizer.from_pretrained(tokenizer_source).save_pretrained(out)
    write_json(
        out / MODEL_INFO,
        {
            "kind": "transformer",
            "model_source": "random-bert-base",
            "checkpoint": "BertConfig()",
            "label_names": names,
        },
    )
    return out


def plain_pipeline(model_dir: Path, sentences: list[str]) -> tuple[float, list[str]]:
    """(a) What users write first: a text-classification pipeline called per sentence."""
    from transformers import pipeline

    classify = pipeline(
        "text-classification", model=str(model_dir), device=-1, truncation=True, max_length=128
    )
    start = time.perf_counter()
    labels = [classify(s)[0]["label"] for s in sentences]
    return time.perf_counter() - start, labels


def stance_score(
    model_dir: Path, sentences: list[str], work: Path, quantize: str, batch_size: int
) -> tuple[float, list[str]]:
    """(b)/(c) The project's scorer on the same sentences (--no-split), files included."""
    inp = work / "sentences.jsonl"
    with open(inp, "w", encoding="utf-8") as fh:
        for i, s in enumerate(sentences):
            fh.write(json.dumps({"id": f"s{i:06d}", "text": s}, ensure_ascii=False) + "\n")
    out = work / f"out-{quantize}"
    start = time.perf_counter()
    predictor = load_predictor(model_dir, batch_size, quantize)
    score_inputs(
        [inp],
        out,
        predictor,
        str(model_dir),
        ScoreOptions(split=False, batch_size=batch_size),
        overwrite=True,
    )
    seconds = time.perf_counter() - start
    return seconds, [r["label"] for r in read_jsonl(out / "sentences.jsonl")]


def main(
    model: Annotated[Path, typer.Option(help="a fine-tuned model folder")] = Path(
        "models/transformer"
    ),
    bert_base: Annotated[
        bool, typer.Option(help="time a random IndoBERT-base-shaped model")
    ] = False,
    n: Annotated[int, typer.Option(help="number of sentences")] = 2000,
    batch_size: Annotated[int, typer.Option(help="batch size for stance score")] = 64,
) -> None:
    """Print sentences/s of (a), (b), (c), the ratios, and int8's label agreement with (b)."""
    configure_logging()
    torch.manual_seed(0)
    if not (model / "config.json").exists():
        log.warning("skipped: %s is not a transformer model folder (run `make repro`)", model)
        return
    sentences = benchmark_sentences(n)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if bert_base:
            model = bert_base_dir(model, work / "bert-base")
        log.info(
            "%d sentences, model %s, torch threads %d",
            len(sentences),
            model,
            torch.get_num_threads(),
        )
        a_s, a = plain_pipeline(model, sentences)
        b_s, b = stance_score(model, sentences, work, "none", batch_size)
        c_s, c = stance_score(model, sentences, work, "int8", batch_size)
    rate = {k: len(sentences) / v for k, v in (("a", a_s), ("b", b_s), ("c", c_s))}
    print(f"(a) transformers pipeline loop   {rate['a']:9.1f} sentences/s")
    print(
        f"(b) stance score                 {rate['b']:9.1f} sentences/s   b/a = {rate['b'] / rate['a']:.2f}"
    )
    print(
        f"(c) stance score --quantize int8 {rate['c']:9.1f} sentences/s   c/a = {rate['c'] / rate['a']:.2f}"
    )
    print(f"labels: (b) vs (a) agree {np.mean(np.array(a) == np.array(b)):.4f}")
    print(
        f"speedup={rate['c'] / rate['a']:.2f} agreement={np.mean(np.array(b) == np.array(c)):.4f}"
    )


if __name__ == "__main__":
    typer.run(main)
