"""Seconds per fine-tuning epoch: length-grouped dynamic padding vs padding every batch to max_length.

Run: python benchmarks/train_speed.py [--limit N] [--epochs E] [--bert-base]
Data: data/processed/partitions/train.jsonl if present, else IndoSum sentences from ../shared;
skips (exit 0) with a message when neither is there. Same model, weights and data for both.
"""

from __future__ import annotations

import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import torch
import typer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline.config import PROCESSED_DIR, label_names
from pipeline.io import read_jsonl
from pipeline.logs import configure_logging
from pipeline.modeling import packaged
from pipeline.modeling.distributed import precision_flags
from pipeline.modeling.e5_file import read_e5_file
from pipeline.modeling.train_params import TrainParams
from pipeline.params import load_section
from pipeline.text import indosum

log = logging.getLogger("train_speed")
TRAIN_SPLIT = PROCESSED_DIR / "partitions" / "train.jsonl"


def load_texts(limit: int, seed: int) -> tuple[list[str], list[int], str] | None:
    """Texts and label ids from the train split, else IndoSum sentences with random labels."""
    names = label_names()
    if TRAIN_SPLIT.is_file():
        rows = read_jsonl(TRAIN_SPLIT)[:limit]
        ids = {n: i for i, n in enumerate(names)}
        return [r["text"] for r in rows], [ids[r["label"]] for r in rows], str(TRAIN_SPLIT)
    if not indosum.available():
        return None
    texts: list[str] = []
    for para in indosum.paragraphs():
        texts.extend(para)
        if len(texts) >= limit:
            break
    rng = random.Random(seed)
    labels = [rng.randrange(len(names)) for _ in texts[:limit]]
    return texts[:limit], labels, f"IndoSum dev ({indosum.INDOSUM_DIR})"


def model_config(bert_base: bool, e5: Any, n_labels: int) -> Any:
    """The packaged encoder's BertConfig, or BertConfig() with IndoBERT-base's shape."""
    from transformers import BertConfig

    if bert_base:
        return BertConfig(vocab_size=e5.header.vocab_rows, num_labels=n_labels)
    config = packaged.bert_config(e5)
    config.num_labels = n_labels
    return config


def epoch_timer() -> Any:
    """A TrainerCallback that records the wall time of every epoch."""
    from transformers import TrainerCallback

    class EpochTimer(TrainerCallback):
        def __init__(self) -> None:
            self.seconds: list[float] = []
            self._start = 0.0

        def on_epoch_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            self._start = time.perf_counter()

        def on_epoch_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            self.seconds.append(time.perf_counter() - self._start)

    return EpochTimer()


def dataset(texts: list[str], labels: list[int], tokenizer: Any, max_length: int, pad: bool) -> Any:
    """Tokenized train set, padded to max_length when `pad`, else left for dynamic padding."""
    from datasets import Dataset

    padding = "max_length" if pad else False
    return Dataset.from_dict({"text": texts, "labels": labels}).map(
        lambda b: tokenizer(b["text"], truncation=True, max_length=max_length, padding=padding),
        batched=True,
        remove_columns=["text"],
    )


def time_setting(
    config: Any, tokenizer: Any, data: Any, grouped: bool, opts: dict[str, Any]
) -> list[float]:
    """Seconds of each epoch for one setting, from identical initial weights."""
    from transformers import (
        BertForSequenceClassification,
        DataCollatorWithPadding,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    set_seed(opts["seed"])
    model = BertForSequenceClassification(config)
    timer = epoch_timer()
    with tempfile.TemporaryDirectory() as tmp:
        args = TrainingArguments(
            output_dir=tmp,
            seed=opts["seed"],
            num_train_epochs=opts["epochs"],
            per_device_train_batch_size=opts["batch_size"],
            learning_rate=3e-5,
            train_sampling_strategy="group_by_length" if grouped else "random",
            save_strategy="no",
            eval_strategy="no",
            logging_strategy="no",
            report_to="none",
            disable_tqdm=True,
            dataloader_pin_memory=torch.cuda.is_available(),
            **precision_flags(opts["precision"]),
        )
        trainer = Trainer(
            model=model,
            args=args,
            train_dataset=data,
            data_collator=DataCollatorWithPadding(tokenizer),
            processing_class=tokenizer,
            callbacks=[timer],
        )
        trainer.train()
    return timer.seconds


def summary(seconds: list[float]) -> float:
    """Seconds per epoch: the mean of epochs after the first (warm-up) when there are several."""
    return statistics.mean(seconds[1:] if len(seconds) > 1 else seconds)


def main(
    limit: Annotated[int, typer.Option(help="train on the first N sentences")] = 2000,
    epochs: Annotated[int, typer.Option(help="epochs per setting; the first is warm-up")] = 2,
    batch_size: Annotated[int | None, typer.Option(help="default: params train.batch_size")] = None,
    max_length: Annotated[int | None, typer.Option(help="default: params train.max_length")] = None,
    precision: Annotated[str | None, typer.Option(help="default: params train.precision")] = None,
    bert_base: Annotated[
        bool, typer.Option("--bert-base", help="random BERT of IndoBERT-base's shape")
    ] = False,
) -> None:
    """Print seconds per epoch for both padding schemes and their ratio."""
    configure_logging()
    train = load_section(TrainParams)
    opts = {
        "seed": train.seed,
        "epochs": epochs,
        "batch_size": batch_size or train.batch_size,
        "precision": precision or train.precision,
    }
    max_length = max_length or train.max_length
    loaded = load_texts(limit, train.seed)
    if loaded is None:
        log.warning("skipped: no %s and no IndoSum in %s", TRAIN_SPLIT, indosum.INDOSUM_DIR)
        return
    texts, labels, source = loaded
    run(texts, labels, source, bert_base, max_length, opts)


def run(
    texts: list[str],
    labels: list[int],
    source: str,
    bert_base: bool,
    max_length: int,
    opts: dict[str, Any],
) -> None:
    """Time both settings on the same model and data, then print them side by side."""
    e5 = read_e5_file(packaged.verified_file())
    tokenizer = packaged.build_tokenizer(e5)
    config = model_config(bert_base, e5, len(label_names()))
    grouped_data = dataset(texts, labels, tokenizer, max_length, pad=False)
    padded_data = dataset(texts, labels, tokenizer, max_length, pad=True)
    mean_len = statistics.mean(len(ids) for ids in grouped_data["input_ids"])
    shape = "IndoBERT-base shape" if bert_base else "multilingual-e5-small shape"
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU"
    log.info("%d sentences from %s; mean %.1f tokens", len(texts), source, mean_len)
    log.info("BERT %s (%d layers, hidden %d) on %s", shape, config.num_hidden_layers,
             config.hidden_size, device)  # fmt: skip
    grouped = time_setting(config, tokenizer, grouped_data, True, opts)
    padded = time_setting(config, tokenizer, padded_data, False, opts)
    report(grouped, padded, len(texts), max_length, opts)


def report(
    grouped: list[float], padded: list[float], n: int, max_length: int, opts: dict[str, Any]
) -> None:
    """Both settings side by side and the speed-up."""
    rows = [
        ("length-grouped + dynamic padding", grouped),
        (f"padding='max_length' ({max_length}), random order", padded),
    ]
    lines = [f"{'setting':<48} {'s/epoch':>9} {'sent/s':>9}  epochs (s)"]
    for name, secs in rows:
        per_epoch = summary(secs)
        detail = " ".join(f"{s:.2f}" for s in secs)
        lines.append(f"{name:<48} {per_epoch:>9.2f} {n / per_epoch:>9.1f}  {detail}")
    ratio = summary(padded) / summary(grouped)
    lines.append(
        f"max_length padding takes {ratio:.2f}x as long per epoch (batch {opts['batch_size']})"
    )
    for line in lines:
        log.info("%s", line)


if __name__ == "__main__":
    typer.run(main)
