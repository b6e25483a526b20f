"""DVC stage `resolve_model`: record where the model weights come from (always re-checked)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline.atomic import write_json
from pipeline.config import load_params
from pipeline.logs import configure_logging
from pipeline.resolve import WeightsUnavailable, resolve_model

log = logging.getLogger(__name__)


def main(
    out: Annotated[Path, typer.Argument(help="resolved-model JSON to write")],
) -> None:
    """Resolve params `model` to local / cache / hub / fallback and write it as JSON."""
    configure_logging()
    params = load_params("model")
    try:
        resolved = resolve_model(
            params["name"], params.get("revision"), bool(params.get("allow_fallback", False))
        )
    except WeightsUnavailable as err:
        log.error("%s", err)
        raise typer.Exit(code=2) from err
    write_json(out, resolved.to_json())
    log.info("wrote %s: source %s", out, resolved.source)


if __name__ == "__main__":
    typer.run(main)
