"""DVC stage `split`: assign whole articles to train/validation/test."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline.atomic import read_jsonl, write_json, write_jsonl
from pipeline.config import label_names, load_params
from pipeline.data_split import (
    SPLITS,
    assign_splits,
    label_table,
    markdown_table,
    validate_fractions,
)
from pipeline.logs import configure_logging

log = logging.getLogger(__name__)


def main(
    labeled: Annotated[Path, typer.Argument(help="labeled sentences JSONL")],
    splits_dir: Annotated[Path, typer.Argument(help="folder for train/validation/test JSONL")],
    stats_out: Annotated[Path, typer.Argument(help="label counts per split (DVC metrics)")],
) -> None:
    """Write one JSONL per split and the label statistics."""
    configure_logging()
    params = load_params("split")
    fractions = {s: float(params[s]) for s in SPLITS}
    validate_fractions(fractions)
    rows = read_jsonl(labeled)
    assignment = assign_splits(rows, fractions, seed=int(params["seed"]))
    by_split = {s: [r for r in rows if assignment[r["article_id"]] == s] for s in SPLITS}
    for split, split_rows in by_split.items():
        keep = ("article_id", "sent_idx", "key", "text", "label")
        write_jsonl(splits_dir / f"{split}.jsonl", ({k: r[k] for k in keep} for r in split_rows))
    table = label_table(by_split, label_names())
    write_json(stats_out, table)
    log.info("label statistics:\n%s", markdown_table(table, label_names()))


if __name__ == "__main__":
    typer.run(main)
