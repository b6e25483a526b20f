"""Seconds per MLM step of candidate fallback-BERT shapes on real-news sentences (2 CPU cores).

Run: python benchmarks/pretrain_shapes.py [--steps 15]
It prints, per shape, the measured seconds per step and the steps and epochs over the
IndoSum sentences that fit in the `pretrain` stage's 10-minute budget; the chosen shape in
configs/params.yaml is the largest that still sees the corpus about twice.
Skips with a message without IndoSum. Batches here mix sentence lengths; the stage's Trainer
groups them by length, which measured about twice as fast (4x256: 0.5 s/step in the stage
against 1.08 s/step here), so the stage's step budget is set from the stage's own timing.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.config import INDOSUM_DIR
from pipeline.logs import configure_logging
from pipeline.modeling.fallback import PretrainConfig, bert_config, train_tokenizer
from pipeline.text import indosum

log = logging.getLogger("pretrain_shapes")
BUDGET_S = 600
SHAPES = {
    "2x128": dict(
        hidden_size=128, num_hidden_layers=2, num_attention_heads=2, intermediate_size=512
    ),
    "4x256": dict(
        hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024
    ),
    "6x256": dict(
        hidden_size=256, num_hidden_layers=6, num_attention_heads=4, intermediate_size=1024
    ),
    "4x384": dict(
        hidden_size=384, num_hidden_layers=4, num_attention_heads=6, intermediate_size=1536
    ),
}


def main(
    steps: Annotated[int, typer.Option(help="timed steps per shape")] = 15,
    batch_size: Annotated[int, typer.Option(help="sentences per step")] = 64,
    max_length: Annotated[int, typer.Option(help="tokens per sentence")] = 64,
    vocab_size: Annotated[int, typer.Option(help="WordPiece vocabulary size")] = 8000,
    shapes: Annotated[str, typer.Option(help="comma-separated shape names")] = ",".join(SHAPES),
) -> None:
    configure_logging()
    if not indosum.available(INDOSUM_DIR):
        log.warning("skipped: no IndoSum in %s", INDOSUM_DIR)
        return
    import torch
    from transformers import BertForMaskedLM, DataCollatorForLanguageModeling

    torch.manual_seed(0)
    texts = [s.text for s in indosum.sentences(INDOSUM_DIR)]
    tokenizer = train_tokenizer(texts, vocab_size, 128)
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15)
    batch_texts = texts[: batch_size * (steps + 2)]
    print(
        f"{len(texts)} IndoSum sentences; vocab {vocab_size}, batch {batch_size}, max_length {max_length}"
    )
    print("| shape | parameters | s/step | steps in 10 min | epochs in 10 min |")
    print("|---|---|---|---|---|")
    for name in shapes.split(","):
        shape = SHAPES[name]
        config = PretrainConfig(vocab_size=vocab_size, max_position_embeddings=128, **shape)
        model = BertForMaskedLM(bert_config(config, tokenizer))
        optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
        times = []
        for i in range(steps + 2):
            chunk = batch_texts[i * batch_size : (i + 1) * batch_size]
            enc = tokenizer(chunk, truncation=True, max_length=max_length)
            batch = collator([{"input_ids": ids} for ids in enc["input_ids"]])
            start = time.perf_counter()
            loss = model(**batch).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            if i >= 2:  # the first steps warm up allocators
                times.append(time.perf_counter() - start)
        per_step = sum(times) / len(times)
        n_params = sum(p.numel() for p in model.parameters())
        fit = int(BUDGET_S / per_step)
        print(
            f"| {name} | {n_params / 1e6:.1f} M | {per_step:.3f} | {fit} | "
            f"{fit * batch_size / len(texts):.2f} |"
        )


if __name__ == "__main__":
    typer.run(main)
