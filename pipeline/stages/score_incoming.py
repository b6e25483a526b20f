"""DVC stage `score_incoming`: score the articles dropped in data/incoming with the champion."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline.errors import run_stage
from pipeline.logs import configure_logging
from pipeline.modeling.predictor import load_predictor
from pipeline.params import ScoreParams, load_section
from pipeline.scoring.batch import ScoreOptions, score_inputs

log = logging.getLogger(__name__)


def main(
    incoming: Annotated[Path, typer.Argument(help="folder of new articles")],
    champion_dir: Annotated[Path, typer.Argument(help="champion model folder")],
    out_dir: Annotated[Path, typer.Argument(help="folder for the scored tables")],
) -> None:
    """Write sentences and articles tables for every incoming article."""
    configure_logging()
    params = load_section(ScoreParams)
    options = ScoreOptions(
        fmt=params.format,
        batch_size=params.batch_size,
        skip_bad=params.skip_bad,
        max_article_chars=params.max_article_chars,
        max_sentence_chars=params.max_sentence_chars,
    )
    predictor = load_predictor(champion_dir, options.batch_size)
    score_inputs([incoming], out_dir, predictor, str(champion_dir), options, overwrite=True)


if __name__ == "__main__":
    run_stage(main)
