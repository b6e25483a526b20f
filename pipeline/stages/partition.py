"""DVC stage `partition`: assign whole articles to train/validation/test, per data domain."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import label_names
from pipeline.errors import BadInput, run_stage
from pipeline.io import read_jsonl, write_json, write_jsonl
from pipeline.labeling.partition import (
    DOMAINS,
    PARTITIONS,
    assign_partitions,
    hash_assign,
    label_table,
    markdown_table,
)
from pipeline.logs import configure_logging
from pipeline.params import PartitionParams, Shares, load_section

log = logging.getLogger(__name__)
TRAIN_ONLY = "active_learning"  # selection prefix of sentences that only ever train
PARTITION_FIELDS = ("article_id", "sent_idx", "key", "text", "label", "domain", "selection")


def partition(rows: list[dict], params: Shares) -> dict[str, list[dict]]:
    """The authored rows by split, whole articles together, stratified and seeded."""
    assignment = assign_partitions(rows, params.fractions(), params.seed)
    return {s: [r for r in rows if assignment[r["article_id"]] == s] for s in PARTITIONS}


def partition_real_news(rows: list[dict], params: Shares) -> dict[str, list[dict]]:
    """Real-news rows by split: a seeded hash of the article id, so more labels move nothing.

    Sentences chosen by active learning are the model's hardest, not a sample of news: they
    train, and only join validation or test when their article already holds sampled rows.
    """
    assignment = hash_assign((r["article_id"] for r in rows), params.fractions(), params.seed)
    sampled = {r["article_id"] for r in rows if not r["selection"].startswith(TRAIN_ONLY)}
    for article_id in assignment:
        if article_id not in sampled:
            assignment[article_id] = "train"
    return {s: [r for r in rows if assignment[r["article_id"]] == s] for s in PARTITIONS}


def main(
    labeled: Annotated[Path, typer.Argument(help="labeled sentences of the project's articles")],
    real_news: Annotated[Path, typer.Argument(help="labeled real-news sentences (may be empty)")],
    real_news_status: Annotated[Path, typer.Argument(help="status JSON of the real_news stage")],
    partitions_dir: Annotated[Path, typer.Argument(help="folder for train/validation/test JSONL")],
    stats_out: Annotated[Path, typer.Argument(help="label counts per domain and split")],
) -> None:
    """Write one JSONL per split (rows tagged with their domain) and the label statistics."""
    configure_logging()
    params = load_section(PartitionParams)
    domain_rows = {"authored": read_jsonl(labeled), "real_news": read_jsonl(real_news)}
    overlap = {r["article_id"] for r in domain_rows["authored"]} & {
        r["article_id"] for r in domain_rows["real_news"]
    }
    if overlap:
        raise BadInput(
            f"{labeled} and {real_news}: article ids in both the project's and the real-news "
            f"labels: {sorted(overlap)}; give each article one id"
        )
    by_domain = {
        "authored": partition(domain_rows["authored"], params),
        "real_news": partition_real_news(domain_rows["real_news"], params.real_news),
    }
    if domain_rows["real_news"] and not all(by_domain["real_news"].values()):
        sizes = {s: len(v) for s, v in by_domain["real_news"].items()}
        raise BadInput(
            f"{real_news}: real-news labels {sizes} leave a partition empty; label more "
            "real-news articles (data/labels/indosum.jsonl) or change partition.real_news "
            "in configs/params.yaml"
        )
    for split in PARTITIONS:
        rows = [{"selection": d, **r, "domain": d} for d in DOMAINS for r in by_domain[d][split]]
        write_jsonl(
            partitions_dir / f"{split}.jsonl", ({k: r[k] for k in PARTITION_FIELDS} for r in rows)
        )
    status = json.loads(real_news_status.read_text(encoding="utf-8"))
    stats = {d: label_table(by_domain[d], label_names()) for d in DOMAINS}
    stats["real_news_available"] = bool(status["available"])
    write_json(stats_out, stats)
    for d in DOMAINS:
        log.info("%s label statistics:\n%s", d, markdown_table(stats[d], label_names()))


if __name__ == "__main__":
    run_stage(main)
