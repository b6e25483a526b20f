"""Fine-tune a BERT-style checkpoint for sentence stance with the HF Trainer."""

from __future__ import annotations

import logging
import math
import shutil
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from pipeline.errors import BadInput
from pipeline.io import write_json
from pipeline.modeling.distributed import (
    fresh_scratch,
    is_main_process,
    precision_flags,
)
from pipeline.modeling.model_info import HISTORY_FILE
from pipeline.modeling.train_params import TrainParams
from pipeline.modeling.trainer_progress import use_project_progress

log = logging.getLogger(__name__)
LOG_EVERY_STEPS = 0.02  # a share of all steps: ~50 points for the per-step curves


def class_weights(labels: Sequence[int], n_labels: int, mode: str) -> torch.Tensor | None:
    """Loss weight per class: n / (k * count) as sklearn's 'balanced', or its square root.

    1.0 for classes absent here; None for mode "none".
    """
    if mode == "none":
        return None
    counts = np.bincount(np.asarray(labels, dtype=np.int64), minlength=n_labels)
    present = int((counts > 0).sum())
    weights = np.ones(n_labels, dtype=np.float64)
    mask = counts > 0
    weights[mask] = len(labels) / (present * counts[mask])
    if mode == "sqrt":
        weights = np.sqrt(weights)
    return torch.tensor(weights, dtype=torch.float32)


def _trainer_class() -> type:
    """A Trainer whose loss is (optionally class-weighted) cross-entropy."""
    from transformers import Trainer

    class WeightedLossTrainer(Trainer):
        """Cross-entropy with optional class weights; the loss is a per-batch mean."""

        loss_is_scaled_for_ga = False

        def __init__(self, *args: Any, class_weights: torch.Tensor | None = None, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self.class_weights = class_weights

        def class_weights_list(self) -> list[float] | None:
            """The loss weights per class id, for the history file."""
            weights = self.class_weights
            return None if weights is None else [round(w, 6) for w in weights.tolist()]

        def compute_loss(
            self,
            model: torch.nn.Module,
            inputs: dict[str, Any],
            return_outputs: bool = False,
            num_items_in_batch: Any = None,
        ) -> Any:
            labels = inputs.pop("labels")
            outputs = model(**inputs)
            logits = outputs["logits"]
            weight = None if self.class_weights is None else self.class_weights.to(logits.device)
            loss = torch.nn.functional.cross_entropy(logits.float(), labels, weight=weight)
            return (loss, outputs) if return_outputs else loss

    return WeightedLossTrainer


def label_ids(rows: Sequence[Mapping[str, Any]], label2id: Mapping[str, int]) -> list[int]:
    """Class ids of the rows' labels; BadInput names the first unknown label and the fix."""
    ids = []
    for row in rows:
        if row["label"] not in label2id:
            raise BadInput(
                f"row {row.get('key', row.get('article_id'))}: label {row['label']!r} "
                f"not in {list(label2id)}; fix: correct the label or add it to "
                "configs/labels.yaml, then rerun `dvc repro`"
            )
        ids.append(label2id[row["label"]])
    return ids


def encode(
    rows: Sequence[Mapping[str, Any]], tokenizer: Any, label2id: Mapping[str, int], max_length: int
) -> Any:
    """A datasets.Dataset of unpadded token ids and `labels`.

    Rows that all carry `context` are encoded as pairs (sentence, context), the longer one
    truncated first.
    """
    from datasets import Dataset

    columns = {"text": [r["text"] for r in rows], "labels": label_ids(rows, label2id)}
    paired = bool(rows) and all("context" in r for r in rows)
    if paired:
        columns["context"] = [r["context"] or "" for r in rows]

    def tokenize(batch: Mapping[str, list]) -> Any:
        if paired:
            return tokenizer(batch["text"], batch["context"], truncation="longest_first",
                             max_length=max_length)  # fmt: skip
        return tokenizer(batch["text"], truncation=True, max_length=max_length)

    return Dataset.from_dict(columns).map(
        tokenize, batched=True, remove_columns=list(set(columns) - {"labels"}), desc="tokenize"
    )


def macro_f1_metrics(eval_pred: Any) -> dict[str, float]:
    """Validation macro-F1 and accuracy from logits and label ids."""
    from sklearn.metrics import accuracy_score, f1_score

    logits, labels = eval_pred.predictions, eval_pred.label_ids
    if isinstance(logits, tuple):
        logits = logits[0]
    preds = np.asarray(logits).argmax(axis=-1)
    return {
        "macro_f1": float(f1_score(labels, preds, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(labels, preds)),
    }


def training_arguments(config: TrainParams, scratch: Path, report_to: str = "none") -> Any:
    """TrainingArguments: eval/save each epoch, keep the best by macro-F1, no reporting."""
    from transformers import TrainingArguments

    return TrainingArguments(
        output_dir=str(scratch),
        seed=config.seed,
        learning_rate=config.learning_rate,
        num_train_epochs=config.epochs,
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.batch_size * 2,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        warmup_steps=config.warmup_ratio,  # a float in [0, 1) is a ratio in transformers 5
        weight_decay=config.weight_decay,
        train_sampling_strategy="group_by_length" if config.group_by_length else "random",
        eval_strategy="epoch",
        save_strategy="epoch",
        logging_strategy="steps",
        logging_steps=LOG_EVERY_STEPS,
        load_best_model_at_end=True,
        metric_for_best_model="macro_f1",
        greater_is_better=True,
        save_total_limit=2,
        save_only_model=True,
        report_to=report_to,  # "mlflow": the Trainer logs each step into the active run
        dataloader_pin_memory=torch.cuda.is_available(),
        **precision_flags(config.precision),
    )


def epoch_history(log_history: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per-epoch train loss (the mean of that epoch's logged steps), eval loss and macro-F1."""
    epochs: dict[int, dict[str, Any]] = {}
    losses: dict[int, list[float]] = {}
    for entry in log_history:
        if "epoch" not in entry or "train_runtime" in entry:
            continue
        if "loss" in entry:  # logged during the epoch it belongs to: (e - 1, e]
            losses.setdefault(math.ceil(entry["epoch"] - 1e-9), []).append(float(entry["loss"]))
        if any(key.startswith("eval_") for key in entry):
            row = epochs.setdefault(round(entry["epoch"]), {"epoch": round(entry["epoch"])})
            for key in ("eval_loss", "eval_macro_f1", "eval_accuracy"):
                if key in entry:
                    row[key] = float(entry[key])
    for epoch, values in losses.items():
        row = epochs.setdefault(epoch, {"epoch": epoch})
        row["train_loss"] = sum(values) / len(values)
    return [epochs[k] for k in sorted(epochs)]


def step_history(log_history: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The logged optimizer steps: training loss, learning rate and gradient norm."""
    steps = []
    for entry in log_history:
        if "loss" in entry and "step" in entry and "train_runtime" not in entry:
            row = {"step": int(entry["step"]), "epoch": round(float(entry["epoch"]), 4)}
            for key, name in (("loss", "train_loss"), ("learning_rate", "learning_rate"),
                              ("grad_norm", "grad_norm")):  # fmt: skip
                if key in entry:
                    row[name] = float(entry[key])
            steps.append(row)
    return steps


def load_classifier(
    checkpoint: str | Path, label_names: Sequence[str], revision: str | None = None
) -> tuple[Any, Any]:
    """Tokenizer and a sequence classifier with num_labels and id2label/label2id in its config."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(checkpoint), revision=revision)
    model = AutoModelForSequenceClassification.from_pretrained(
        str(checkpoint),
        revision=revision,
        num_labels=len(label_names),
        id2label=dict(enumerate(label_names)),
        label2id={name: i for i, name in enumerate(label_names)},
        problem_type="single_label_classification",
    )
    return tokenizer, model


def usable_length(config: TrainParams, model: Any) -> int:
    """config.max_length, capped (with a warning) at the model's position embeddings."""
    limit = getattr(model.config, "max_position_embeddings", config.max_length)
    if config.max_length > limit:
        log.warning("max_length %d > the model's %d positions; using %d", config.max_length,
                    limit, limit)  # fmt: skip
    return min(config.max_length, limit)


def build_trainer(
    model: Any,
    tokenizer: Any,
    train_data: Any,
    val_data: Any,
    config: TrainParams,
    scratch: Path,
    report_to: str = "none",
) -> Any:
    """The Trainer: weighted loss, dynamic padding, per-epoch macro-F1, early stopping."""
    from transformers import DataCollatorWithPadding, EarlyStoppingCallback

    weights = class_weights(train_data["labels"], model.config.num_labels, config.class_weights)
    if weights is not None:
        log.info("class weights (%s): %s", config.class_weights, weights.tolist())
    patience = config.early_stopping_patience
    trainer = _trainer_class()(
        model=model,
        args=training_arguments(config, scratch, report_to),
        train_dataset=train_data,
        eval_dataset=val_data,
        processing_class=tokenizer,
        data_collator=DataCollatorWithPadding(tokenizer),
        compute_metrics=macro_f1_metrics,
        callbacks=[EarlyStoppingCallback(early_stopping_patience=patience)] if patience else [],
        class_weights=weights,
    )
    return use_project_progress(trainer, "fine-tuning")


def fine_tune(
    checkpoint: str | Path,
    train_rows: Sequence[Mapping[str, Any]],
    val_rows: Sequence[Mapping[str, Any]],
    label_names: Sequence[str],
    config: TrainParams,
    out_dir: Path,
    *,
    revision: str | None = None,
    config_extra: Mapping[str, Any] | None = None,
    report_to: str = "none",
) -> dict[str, Any]:
    """Fine-tune `checkpoint`, keep the best epoch by validation macro-F1, save to out_dir.

    out_dir is emptied first: pass a staging folder and swap it in (pipeline.io.swap_dir) when
    everything else the model folder needs is written. config_extra goes into the model config;
    report_to="mlflow" streams the Trainer's logs into the active MLflow run.
    """
    from transformers import set_seed

    if not train_rows or not val_rows:
        raise BadInput(
            f"fine_tune: {len(train_rows)} train / {len(val_rows)} validation rows; fix: label "
            "more articles (both partitions need rows), then rerun `dvc repro partition`"
        )
    out_dir = Path(out_dir)
    set_seed(config.seed)  # before the classifier head is initialised
    tokenizer, model = load_classifier(checkpoint, label_names, revision)
    if config.freeze_word_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    label2id = model.config.label2id
    max_length = usable_length(config, model)
    train_data = encode(train_rows, tokenizer, label2id, max_length)
    val_data = encode(val_rows, tokenizer, label2id, max_length)
    scratch = fresh_scratch(out_dir.parent / f".{out_dir.name}.checkpoints")
    trainer = build_trainer(model, tokenizer, train_data, val_data, config, scratch, report_to)
    try:
        start = time.perf_counter()
        trainer.train()
        log.info("fine-tuned in %.1f s", time.perf_counter() - start)
        history = _history(trainer, len(train_rows), len(val_rows))
        _save(trainer, out_dir, history, config_extra)
    finally:
        trainer.accelerator.wait_for_everyone()
        if is_main_process():
            shutil.rmtree(scratch, ignore_errors=True)
    return history


def _history(trainer: Any, n_train: int, n_val: int) -> dict[str, Any]:
    """The training_history.json document; no timings, so a rerun saves the same bytes."""
    epochs = epoch_history(trainer.state.log_history)
    steps = step_history(trainer.state.log_history)
    scored = [e for e in epochs if "eval_macro_f1" in e]
    best = max(scored, key=lambda e: e["eval_macro_f1"]) if scored else None
    return {
        "epochs": epochs,
        "steps": steps,
        "best_epoch": best["epoch"] if best else None,
        "best_val_macro_f1": best["eval_macro_f1"] if best else None,
        "n_train": n_train,
        "n_val": n_val,
        "class_weights": trainer.class_weights_list(),
    }


def _save(
    trainer: Any, out_dir: Path, history: dict[str, Any], config_extra: Mapping[str, Any] | None
) -> None:
    """Save the best model, tokenizer and history into out_dir (the caller's staging folder)."""
    if is_main_process():
        shutil.rmtree(out_dir, ignore_errors=True)
    trainer.accelerator.wait_for_everyone()
    for key, value in (config_extra or {}).items():
        setattr(trainer.model.config, key, value)
    trainer.save_model(str(out_dir))  # writes on the main process only
    if is_main_process():
        (out_dir / "training_args.bin").unlink(missing_ok=True)
        write_json(out_dir / HISTORY_FILE, history)
        log.info(
            "best epoch %s, validation macro-F1 %.4f -> %s",
            history["best_epoch"],
            history["best_val_macro_f1"] or 0.0,
            out_dir,
        )
