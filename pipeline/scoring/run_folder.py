"""The state of a scoring output folder: a work folder of finished parts, and a record of the
run (inputs, model, options) that --resume must match."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from pipeline.errors import BadInput
from pipeline.io import write_json

log = logging.getLogger(__name__)
WORK_DIR = ".work"
RESUME_KEYS = ("inputs", "inputs_fingerprint", "model", "options")


class OutputExists(BadInput, RuntimeError):
    """OUT_DIR already holds results and neither --resume nor --overwrite was given."""


def finished_run(
    out_dir: Path, manifest: dict[str, Any], resume: bool, overwrite: bool
) -> dict[str, Any] | None:
    """A finished run's summary when --resume asks for the same run again; BadInput otherwise."""
    run_file = out_dir / "run.json"
    if overwrite or not resume or not run_file.is_file() or (out_dir / WORK_DIR).exists():
        return None
    previous = json.loads(run_file.read_text(encoding="utf-8"))
    if all(previous.get(k) == manifest[k] for k in RESUME_KEYS):
        log.info("%s already holds this finished run; nothing to resume", out_dir)
        return previous
    raise OutputExists(
        f"{out_dir} holds a finished run with other inputs, model or options; --resume only "
        "continues the same run: pass --overwrite to replace it, or choose another folder"
    )


def prepare_work(out_dir: Path, resume: bool, overwrite: bool) -> Path:
    """The work folder of finished parts; OutputExists when results are there unasked."""
    work = out_dir / WORK_DIR
    existing = out_dir.exists() and any(p.name != WORK_DIR for p in out_dir.iterdir())
    if (existing or work.exists()) and not (resume or overwrite):
        raise OutputExists(
            f"{out_dir} already holds results; pass --resume to continue an "
            "interrupted run or --overwrite to replace them"
        )
    if overwrite and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    return work


def check_manifest(work: Path, manifest: dict[str, Any]) -> None:
    """Record the run in the work folder, or refuse a resume of a different run."""
    path = work / "manifest.json"
    if path.exists():
        previous = json.loads(path.read_text(encoding="utf-8"))
        if any(previous[k] != manifest[k] for k in RESUME_KEYS):
            raise OutputExists(
                f"{path.parent.parent} holds a run with other inputs, model or "
                "options; pass --overwrite to start again"
            )
    else:
        write_json(path, manifest)
