"""Assign whole articles to train/validation/test, seeded and stratified by label mix."""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

PARTITIONS = ("train", "validation", "test")
DOMAINS = ("authored", "real_news")  # the repository's own articles; labeled real news


def article_stratum(labels: Iterable[str], none_label: str = "none") -> str:
    """An article's stratum: its most frequent stance other than `none`, else `none`."""
    counts = Counter(label for label in labels if label != none_label)
    if not counts:
        return none_label
    return max(sorted(counts), key=lambda label: counts[label])


def assign_partitions(
    rows: list[dict[str, Any]], fractions: dict[str, float], seed: int
) -> dict[str, str]:
    """Map article id to split; every sentence of an article lands in the same split."""
    labels_by_article: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        labels_by_article[row["article_id"]].append(row["label"])
    strata: dict[str, list[str]] = defaultdict(list)
    for article_id in sorted(labels_by_article):
        strata[article_stratum(labels_by_article[article_id])].append(article_id)
    rng = random.Random(seed)
    assignment: dict[str, str] = {}
    carry = dict.fromkeys(PARTITIONS, 0.0)
    for stratum in sorted(strata):
        articles = strata[stratum]
        rng.shuffle(articles)
        for split, chunk in _cut(articles, fractions, carry).items():
            assignment.update(dict.fromkeys(chunk, split))
    return assignment


def hash_assign(
    article_ids: Iterable[str], fractions: dict[str, float], seed: int
) -> dict[str, str]:
    """Map article id to split by a seeded hash: adding articles never moves the others."""
    assignment = {}
    for article_id in sorted(set(article_ids)):
        digest = hashlib.sha256(f"{seed}:{article_id}".encode()).digest()
        point = int.from_bytes(digest[:8], "big") / 2**64
        edge = 0.0
        for split in PARTITIONS:
            edge += fractions[split]
            if point < edge or split == PARTITIONS[-1]:
                assignment[article_id] = split
                break
    return assignment


def _cut(items: list[str], fractions: dict[str, float], carry: dict[str, float]) -> dict:
    """Cut items by fractions; rounding remainders carry over so totals stay on target."""
    want = {s: len(items) * fractions[s] + carry[s] for s in PARTITIONS}
    sizes = {s: int(want[s]) for s in PARTITIONS}
    for s in sorted(PARTITIONS, key=lambda s: want[s] - sizes[s], reverse=True):
        if sum(sizes.values()) >= len(items):
            break
        sizes[s] += 1
    for s in PARTITIONS:
        carry[s] = want[s] - sizes[s]
    chunks, start = {}, 0
    for s in PARTITIONS:
        chunks[s] = items[start : start + sizes[s]]
        start += sizes[s]
    return chunks


def label_table(rows_by_split: dict[str, list[dict]], label_names: list[str]) -> dict:
    """Counts per split and label, with totals, for metrics and the data card."""
    table: dict[str, dict[str, int]] = {}
    for split in PARTITIONS:
        counts = Counter(r["label"] for r in rows_by_split.get(split, []))
        table[split] = {label: counts.get(label, 0) for label in label_names}
        table[split]["sentences"] = sum(counts.values())
        table[split]["articles"] = len({r["article_id"] for r in rows_by_split.get(split, [])})
    table["total"] = {k: sum(table[s][k] for s in PARTITIONS) for k in table["train"]}
    return table


def markdown_table(table: dict, label_names: list[str]) -> str:
    """The label table as Markdown, splits as rows."""
    cols = ["articles", "sentences", *label_names]
    lines = ["| split | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for split in (*PARTITIONS, "total"):
        lines.append(f"| {split} | " + " | ".join(str(table[split][c]) for c in cols) + " |")
    return "\n".join(lines)
