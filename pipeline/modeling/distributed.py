"""Process-group helpers: which rank writes, waiting for the others, numeric precision."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import torch

from pipeline.errors import BadInput

log = logging.getLogger(__name__)


def precision_flags(precision: str) -> dict[str, bool]:
    """TrainingArguments bf16/fp16 flags; auto = bf16 on a CUDA GPU that supports it, else fp32."""
    cuda = torch.cuda.is_available()
    if precision == "auto":
        precision = "bf16" if cuda and torch.cuda.is_bf16_supported() else "fp32"
    if precision == "fp16" and not cuda:
        raise BadInput(
            "train.precision fp16 needs a CUDA GPU; fix: set train.precision to auto or fp32 in "
            "configs/params.yaml"
        )
    log.info("precision: %s", precision)
    return {"bf16": precision == "bf16", "fp16": precision == "fp16"}


def is_main_process() -> bool:
    """True on global rank 0 (RANK is set by torchrun and accelerate launch)."""
    return int(os.environ.get("RANK", "0")) == 0


def barrier() -> None:
    """Wait for every rank when a process group is up (after TrainingArguments); else no-op."""
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.barrier()


def fresh_scratch(path: Path) -> Path:
    """Empty `path` on the main process: no stale checkpoints from an interrupted run."""
    if is_main_process():
        shutil.rmtree(path, ignore_errors=True)
    barrier()
    return path
