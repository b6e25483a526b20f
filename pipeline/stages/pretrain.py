"""DVC stage `pretrain`: MLM-pretrain the small fallback BERT on unlabeled real news, once.

Runs only when `model.name` resolves to the fallback; otherwise it writes a marker saying
why it was skipped. Fine-tuning params live in `train` and never re-run this stage.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.config import project_path
from pipeline.errors import run_stage
from pipeline.io import atomic_dir, write_csv, write_json
from pipeline.logs import configure_logging
from pipeline.modeling.fallback import (
    PretrainConfig,
    build_fallback,
    corpus_texts,
    extra_dirs,
)
from pipeline.modeling.model_info import PRETRAIN_INFO_FILE
from pipeline.modeling.resolve import Resolved
from pipeline.params import load_section
from pipeline.text import indosum

log = logging.getLogger(__name__)


def pretraining_texts(
    corpus_dir: Path, sentences: Path, config: PretrainConfig
) -> tuple[list[str], int]:
    """Every IndoSum sentence, then the project's sentences and the extra folders."""
    news: list[str] = []
    if indosum.available(corpus_dir):
        news = [s.text for s in indosum.sentences(corpus_dir)]
    else:
        log.warning(
            "!!! no IndoSum in %s: pretraining on the project's own sentences only", corpus_dir
        )
    return news + corpus_texts(sentences, extra_dirs(config)), len(news)


def step_budget(config: PretrainConfig, n_texts: int, n_news: int) -> PretrainConfig:
    """Without real news, at most mlm_epochs passes: 1,150 steps over ~1,000 sentences only overfit."""
    passes = max(config.mlm_epochs, 1) * math.ceil(n_texts / config.mlm_batch_size)
    if n_news or not config.mlm_max_steps or passes >= config.mlm_max_steps:
        return config
    log.warning(
        "pretraining %d steps (%d pass(es) over %d sentences), not mlm_max_steps=%d: that "
        "budget is sized for the IndoSum corpus",
        passes,
        max(config.mlm_epochs, 1),
        n_texts,
        config.mlm_max_steps,
    )
    return replace(config, mlm_max_steps=passes)


def tokens_per_word(tokenizer: Any, texts: list[str]) -> float:
    """WordPiece tokens per whitespace word (special tokens left out)."""
    words = sum(len(t.split()) for t in texts)
    tokens = sum(len(ids) - 2 for ids in tokenizer(texts)["input_ids"])
    return round(tokens / max(words, 1), 4)


def main(
    resolved_json: Annotated[Path, typer.Argument(help="output of the resolve_model stage")],
    sentences: Annotated[Path, typer.Argument(help="the project's sentences JSONL")],
    corpus_dir: Annotated[Path, typer.Argument(help="IndoSum folder (real_news.corpus_dir)")],
    out_dir: Annotated[Path, typer.Argument(help="pretrained model folder to write")],
    loss_csv: Annotated[Path, typer.Argument(help="MLM loss per logged step (DVC plot)")],
) -> None:
    """Pretrain (or record why not) and write the MLM loss curve."""
    configure_logging()
    resolved = Resolved.from_json(json.loads(resolved_json.read_text(encoding="utf-8")))
    config = load_section(PretrainConfig)
    corpus_dir = project_path(corpus_dir)
    rows: list[dict[str, Any]] = []
    with atomic_dir(out_dir) as tmp:
        if resolved.source != "fallback":
            reason = f"model.name resolves to {resolved.source} weights ({resolved.name})"
            write_json(tmp / PRETRAIN_INFO_FILE, {"skipped": True, "reason": reason})
            log.info("pretraining skipped: %s", reason)
        else:
            texts, n_news = pretraining_texts(corpus_dir, sentences, config)
            config = step_budget(config, len(texts), n_news)
            info = build_fallback(texts, config, tmp, config.seed, config.max_length)
            from transformers import AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(tmp)
            info["n_real_news_sentences"] = n_news
            info["tokens_per_word_real_news"] = tokens_per_word(tokenizer, texts[:n_news][:5000])
            write_json(tmp / PRETRAIN_INFO_FILE, info)
            rows = [
                {"step": step, "mlm_loss": loss}
                for step, loss in zip(info["mlm_loss_steps"], info["mlm_loss"], strict=True)
            ]
    write_csv(loss_csv, rows, columns=["step", "mlm_loss"])


if __name__ == "__main__":
    run_stage(main)
