"""DVC stage `real_news`: rebuild the stand-off real-news labels from the corpus folder in params."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import label_names, project_path
from pipeline.errors import run_stage
from pipeline.io import write_json, write_jsonl
from pipeline.labeling.standoff import CorpusMissing, check_labels, read_standoff, rebuild
from pipeline.logs import configure_logging
from pipeline.params import RealNewsParams, load_section

log = logging.getLogger(__name__)


def main(
    labels: Annotated[Path, typer.Argument(help="stand-off labels JSONL (git-tracked, no text)")],
    labeled_out: Annotated[Path, typer.Argument(help="labeled real-news sentences JSONL")],
    status_out: Annotated[Path, typer.Argument(help="whether real news was read, and counts")],
) -> None:
    """Write the labeled real-news sentences, or nothing (loudly) when the corpus is absent."""
    configure_logging()
    corpus_dir = project_path(load_section(RealNewsParams).corpus_dir)
    try:
        records = read_standoff(labels)
        check_labels(records, label_names(), labels)
        rows = rebuild(records, corpus_dir, labels)
    except CorpusMissing as err:
        log.warning(
            "!!! REAL-NEWS DATA ABSENT: %s. The pipeline goes on with the repository's own "
            "(mostly authored) labels only; every metric and the MLflow run will say so. "
            "Download IndoSum (see README, 'Real-news data') and set real_news.corpus_dir.",
            err,
        )
        write_jsonl(labeled_out, [])
        write_json(status_out, {"available": False, "reason": str(err), "sentences": 0})
        return
    write_jsonl(labeled_out, rows)
    status = {
        "available": True,
        "articles": len({r["article_id"] for r in rows}),
        "sentences": len(rows),
        "labels": dict(sorted(Counter(r["label"] for r in rows).items())),
        "selection": dict(sorted(Counter(r["selection"] for r in rows).items())),
    }
    write_json(status_out, status)
    log.info("real news: %d labeled sentences from %d articles", len(rows), status["articles"])


if __name__ == "__main__":
    run_stage(main)
