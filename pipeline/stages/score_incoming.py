"""DVC stage `score`: score the articles dropped in data/incoming with the champion."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline.batch_score import ScoreOptions, score_inputs
from pipeline.config import load_params
from pipeline.logs import configure_logging
from pipeline.predictor import load_predictor

log = logging.getLogger(__name__)


def main(
    incoming: Annotated[Path, typer.Argument(help="folder of new articles")],
    champion_dir: Annotated[Path, typer.Argument(help="champion model folder")],
    out_dir: Annotated[Path, typer.Argument(help="folder for the scored tables")],
) -> None:
    """Write sentences and articles tables for every incoming article."""
    configure_logging()
    params = load_params("score")
    options = ScoreOptions(
        fmt=params["format"],
        batch_size=int(params["batch_size"]),
        skip_bad=bool(params["skip_bad"]),
    )
    predictor = load_predictor(champion_dir, options.batch_size)
    score_inputs([incoming], out_dir, predictor, str(champion_dir), options, overwrite=True)


if __name__ == "__main__":
    typer.run(main)
