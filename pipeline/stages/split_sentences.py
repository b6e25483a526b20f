"""DVC stage `split_sentences`: clean the raw articles and split them into sentences."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline.errors import run_stage
from pipeline.logs import configure_logging
from pipeline.params import SentencesParams, load_section
from pipeline.text.segment import split_to_files

log = logging.getLogger(__name__)


def main(
    raw_dir: Annotated[Path, typer.Argument(help="folder of raw articles")],
    articles_out: Annotated[Path, typer.Argument(help="cleaned articles JSONL")],
    sentences_out: Annotated[Path, typer.Argument(help="sentences JSONL")],
) -> None:
    """Write cleaned articles and their sentences with offsets."""
    configure_logging()
    params = load_section(SentencesParams)
    n_articles, n_sentences = split_to_files([raw_dir], sentences_out, articles_out, params.clean)
    log.info("%d articles -> %d sentences", n_articles, n_sentences)


if __name__ == "__main__":
    run_stage(main)
