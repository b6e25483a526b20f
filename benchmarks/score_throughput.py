"""Sentences per second, one process, same model and sentences: (a) `transformers.pipeline`
on the whole list with `batch_size`, (b) `stance score`, (c) `stance score --quantize int8`,
(d) the same model in ONNX Runtime when it is installed; and the share of the CPU's
measured peak fp32 matmul throughput that (b) reaches.

Run: python benchmarks/score_throughput.py [--model models/transformer | --bert-base] [--n 2000]
Sentences come from IndoSum (../shared) when present, else from the project's corpus.
The last line is `speedup=<c/a> agreement=<fraction>` (int8's label agreement with (b)).
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
from pipeline.config import INTERIM_DIR, label_names
from pipeline.io import read_jsonl, write_json
from pipeline.logs import configure_logging
from pipeline.modeling.model_info import MODEL_INFO_FILE
from pipeline.modeling.predictor import load_predictor
from pipeline.scoring.batch import ScoreOptions, score_inputs
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
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_source)
    config = BertConfig(
        vocab_size=len(tokenizer), num_labels=len(names), id2label=dict(enumerate(names))
    )
    BertForSequenceClassification(config).save_pretrained(out)
    tokenizer.save_pretrained(out)
    write_json(
        out / MODEL_INFO_FILE,
        {
            "kind": "transformer",
            "model_source": "random-bert-base",
            "checkpoint": "BertConfig()",
            "label_names": names,
        },
    )
    return out


def plain_pipeline(
    model_dir: Path, sentences: list[str], batch_size: int
) -> tuple[float, list[str]]:
    """(a) What a competent user writes: one pipeline call on the list, batched."""
    from transformers import pipeline

    classify = pipeline(
        "text-classification", model=str(model_dir), device=-1, truncation=True, max_length=128
    )
    start = time.perf_counter()
    labels = [r["label"] for r in classify(sentences, batch_size=batch_size)]
    return time.perf_counter() - start, labels


def onnx_runtime(
    model_dir: Path, sentences: list[str], work: Path, batch_size: int
) -> tuple[float, list[str]] | None:
    """(d) The model exported to ONNX, length-sorted batches; None without onnxruntime."""
    import importlib.util

    if importlib.util.find_spec("onnxruntime") is None:
        return None
    import onnxruntime
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    sample = tokenizer(["contoh kalimat"], return_tensors="pt")
    path = work / "model.onnx"
    torch.onnx.export(
        model,
        (sample["input_ids"], sample["attention_mask"]),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={n: {0: "batch", 1: "length"} for n in ("input_ids", "attention_mask")},
        dynamo=False,
    )
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [model.config.id2label[i] for i in range(model.config.num_labels)]
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    labels: list[str] = [""] * len(sentences)
    start = time.perf_counter()
    for lo in range(0, len(order), batch_size):
        idx = order[lo : lo + batch_size]
        enc = tokenizer(
            [sentences[i] for i in idx],
            padding=True,
            truncation=True,
            max_length=128,
            return_tensors="np",
        )
        logits = session.run(
            None,
            {
                "input_ids": enc["input_ids"].astype(np.int64),
                "attention_mask": enc["attention_mask"].astype(np.int64),
            },
        )[0]
        for i, k in zip(idx, logits.argmax(axis=1), strict=True):
            labels[i] = names[int(k)]
    return time.perf_counter() - start, labels


def peak_matmul_gflops(size: int = 1024, repeats: int = 20) -> float:
    """The best fp32 GFLOP/s of a square matmul on this CPU, with torch's threads."""
    a, b = torch.randn(size, size), torch.randn(size, size)
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        torch.mm(a, b)
        best = max(best, 2 * size**3 / (time.perf_counter() - start) / 1e9)
    return best


def forward_gflop(model_dir: Path, sentences: list[str]) -> float:
    """Approximate forward GFLOP for the sentences: 2 x non-embedding params x tokens."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(model_dir)
    embedding = sum(p.numel() for n, p in model.named_parameters() if "embeddings" in n)
    dense = sum(p.numel() for p in model.parameters()) - embedding
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    tokens = sum(
        len(ids) for ids in tokenizer(sentences, truncation=True, max_length=128)["input_ids"]
    )
    return 2 * dense * tokens / 1e9


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
    """Print sentences/s of (a)-(d), the ratios, int8's agreement with (b), and (b)'s peak share."""
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
        a_s, a = plain_pipeline(model, sentences, batch_size)
        b_s, b = stance_score(model, sentences, work, "none", batch_size)
        c_s, c = stance_score(model, sentences, work, "int8", batch_size)
        d = onnx_runtime(model, sentences, work, batch_size)
        gflop = forward_gflop(model, sentences)
    peak = peak_matmul_gflops()
    rate = {k: len(sentences) / v for k, v in (("a", a_s), ("b", b_s), ("c", c_s))}
    print(f"(a) transformers pipeline, batched {rate['a']:7.1f} sentences/s")
    print(
        f"(b) stance score                 {rate['b']:9.1f} sentences/s   b/a = {rate['b'] / rate['a']:.2f}"
    )
    print(
        f"(c) stance score --quantize int8 {rate['c']:9.1f} sentences/s   c/a = {rate['c'] / rate['a']:.2f}"
    )
    if d is None:
        print("(d) ONNX Runtime                   skipped: onnxruntime is not installed")
    else:
        d_rate = len(sentences) / d[0]
        agree = np.mean(np.array(b) == np.array(d[1]))
        print(
            f"(d) ONNX Runtime                 {d_rate:9.1f} sentences/s   d/a = {d_rate / rate['a']:.2f}   agreement with (b) {agree:.4f}"
        )
    print(
        f"(b) reaches {gflop / b_s:.1f} GFLOP/s of a measured fp32 matmul peak of {peak:.1f} "
        f"GFLOP/s: {gflop / b_s / peak:.1%}"
    )
    print(f"labels: (b) vs (a) agree {np.mean(np.array(a) == np.array(b)):.4f}")
    print(
        f"speedup={rate['c'] / rate['a']:.2f} agreement={np.mean(np.array(b) == np.array(c)):.4f}"
    )


if __name__ == "__main__":
    typer.run(main)
