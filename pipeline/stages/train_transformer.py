"""DVC stage `train_transformer`: fine-tune the resolved checkpoint (IndoBERT, or the packaged encoder)."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.config import label_names
from pipeline.errors import BadInput, run_stage
from pipeline.io import read_jsonl, swap_dir
from pipeline.logs import configure_logging
from pipeline.modeling import packaged
from pipeline.modeling.calibrate_folder import calibrate_model_dir
from pipeline.modeling.distributed import barrier, is_main_process
from pipeline.modeling.finetune import fine_tune
from pipeline.modeling.model_info import PACKAGED_INFO_FILE, ModelInfo
from pipeline.modeling.resolve import Resolved
from pipeline.modeling.train_params import TrainParams
from pipeline.params import load_section
from pipeline.tracking.training_run import live_training_run, write_training_run

log = logging.getLogger(__name__)


def load_partition(partitions_dir: Path, name: str) -> list[dict[str, Any]]:
    """Rows of one split file; a clear error when it is missing or empty."""
    path = partitions_dir / f"{name}.jsonl"
    if not path.is_file():
        raise BadInput(f"{path}: partition file missing; fix: run `dvc repro partition` first")
    rows = read_jsonl(path)
    if not rows:
        raise BadInput(f"{path}: no rows; fix: check the labels and rerun `dvc repro partition`")
    return rows


def packaged_checkpoint(encoder_dir: Path) -> str:
    """The converted packaged encoder; BadInput when convert_packaged has not built it."""
    info_path = encoder_dir / PACKAGED_INFO_FILE
    info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.is_file() else {}
    if not info or info.get("skipped"):
        raise BadInput(
            f"{encoder_dir} holds no converted packaged encoder ({info.get('reason', 'missing')}); "
            "fix: run `dvc repro convert_packaged` after resolve_model chose the packaged source"
        )
    log.warning(
        "!!! model source is PACKAGED: fine-tuning %s (no IndoBERT weights available). See the "
        "resolve_model stage's message for how to supply IndoBERT.",
        info["checkpoint"],
    )
    return str(encoder_dir)


def model_info(resolved: Resolved, labels: list[str]) -> ModelInfo:
    """Where the fine-tuned model came from; the packaged encoder is named for what it is."""
    name = packaged.CHECKPOINT if resolved.source == "packaged" else resolved.name
    return ModelInfo("transformer", resolved.source, name, resolved.resolved_revision, labels)


def checkpoint_of(resolved: Resolved) -> tuple[str, str | None]:
    """What to load and at which revision: a folder path, or the hub id at its commit."""
    if resolved.path:
        return resolved.path, None
    return resolved.name, resolved.resolved_revision


def clear_dirs(*dirs: Path) -> None:
    """Remove temp folders on the main process once every rank is done with them."""
    barrier()
    if is_main_process():
        for path in dirs:
            shutil.rmtree(path, ignore_errors=True)
    barrier()


def main(
    partitions_dir: Annotated[Path, typer.Argument(help="folder with train/validation jsonl")],
    encoder_dir: Annotated[Path, typer.Argument(help="output of convert_packaged")],
    resolved_json: Annotated[Path, typer.Argument(help="output of the resolve_model stage")],
    out_dir: Annotated[Path, typer.Argument(help="model folder to (re)place")],
) -> None:
    """Fine-tune and write the model, tokenizer, training_history.json and model_info.json."""
    configure_logging()
    config = load_section(TrainParams)
    resolved = Resolved.from_json(json.loads(resolved_json.read_text(encoding="utf-8")))
    labels = label_names()
    train_rows, val_rows = (
        load_partition(partitions_dir, "train"),
        load_partition(partitions_dir, "validation"),
    )
    # Early stopping and the kept epoch follow real news whenever it was read.
    all_val_rows = val_rows
    val_rows = [r for r in val_rows if r.get("domain") == "real_news"] or val_rows
    staging = out_dir.parent / f".{out_dir.name}.stage"
    clear_dirs(staging)
    try:
        checkpoint, revision = checkpoint_of(resolved)
        if resolved.source == "packaged":
            checkpoint, revision = packaged_checkpoint(encoder_dir), None
        with live_training_run("transformer", {"model_source": resolved.source}) as run_id:
            fine_tune(
                checkpoint,
                train_rows,
                val_rows,
                labels,
                config,
                staging,
                revision=revision,
                config_extra={"model_source": resolved.source},
                report_to="mlflow" if run_id else "none",
            )
        if is_main_process():
            model_info(resolved, labels).write(staging)
            calibrate_model_dir(staging, train_rows, all_val_rows, labels, config.class_weights)
            if resolved.source == "packaged":  # keep the conversion record with the model
                shutil.copy2(encoder_dir / PACKAGED_INFO_FILE, staging / PACKAGED_INFO_FILE)
            swap_dir(staging, out_dir)
            write_training_run(out_dir, run_id)
            log.info("wrote %s (source %s)", out_dir, resolved.source)
    finally:
        clear_dirs(staging)


if __name__ == "__main__":
    run_stage(main)
