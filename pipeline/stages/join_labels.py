"""DVC stage `join_labels`: join gold labels to the splitter's sentences, failing on bad labels."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import label_names
from pipeline.errors import run_stage
from pipeline.io import read_jsonl, write_jsonl
from pipeline.labeling.gold import join_labels, read_gold
from pipeline.logs import configure_logging

log = logging.getLogger(__name__)


def main(
    sentences: Annotated[Path, typer.Argument(help="sentences JSONL from the sentences stage")],
    gold: Annotated[Path, typer.Argument(help="gold labels JSONL (git-tracked)")],
    labeled_out: Annotated[Path, typer.Argument(help="labeled sentences JSONL to write")],
) -> None:
    """Write every labeled sentence; unlabeled sentences are counted, not written."""
    configure_logging()
    rows, report = join_labels(read_jsonl(sentences), read_gold(gold), label_names(), gold)
    write_jsonl(labeled_out, rows)
    log.info("%d labeled sentences, %d sentences without a label", report.labeled, report.unlabeled)


if __name__ == "__main__":
    run_stage(main)
