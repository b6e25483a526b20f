"""DVC stage `resolve_model`: record where the model weights come from (always re-checked)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline.errors import run_stage
from pipeline.io import write_json
from pipeline.logs import configure_logging
from pipeline.modeling.resolve import resolve_model
from pipeline.params import ModelParams, load_section

log = logging.getLogger(__name__)


def main(
    out: Annotated[Path, typer.Argument(help="resolved-model JSON to write")],
) -> None:
    """Resolve params `model` to local / cache / hub / packaged and write it as JSON."""
    configure_logging()
    params = load_section(ModelParams)
    previous = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else None
    unchanged = bool(previous) and previous.get("name") == params.name
    unchanged = unchanged and previous.get("requested_revision") == params.revision
    loud = not (unchanged and previous.get("source") == "packaged")
    resolved = resolve_model(params.name, params.revision, params.allow_packaged, loud=loud)
    write_json(out, resolved.to_json())
    log.info("wrote %s: source %s", out, resolved.source)


if __name__ == "__main__":
    run_stage(main)
