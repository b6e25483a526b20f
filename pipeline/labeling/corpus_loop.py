"""The labeling loop over the real-news corpus: export unlabeled corpus sentences, import stand-off."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.errors import BadInput
from pipeline.labeling.standoff import read_standoff, write_standoff
from pipeline.text import indosum

ID_PREFIX = f"{indosum.CORPUS_NAME}/"


def corpus_row_id(s: indosum.CorpusSentence) -> str:
    """CSV id of a corpus sentence: corpus, article, paragraph, sentence, then the text key."""
    return f"{ID_PREFIX}{s.article_id}/{s.para}/{s.sent}:{s.key}"


def parse_corpus_id(row_id: str) -> tuple[str, int, int, str]:
    """(article_id, para, sent, key) of a corpus CSV id."""
    position, _, key = row_id.rpartition(":")
    article_id, para, sent = position[len(ID_PREFIX) :].rsplit("/", 2)
    return article_id, int(para), int(sent), key


def corpus_candidates(corpus_dir: Path, labels: Path, selection: str) -> list[dict[str, Any]]:
    """Unlabeled real-news sentences; BadInput when the corpus folder is not there."""
    if not indosum.available(corpus_dir):
        raise BadInput(f"no real-news corpus in {corpus_dir}; set real_news.corpus_dir (README)")
    return unlabeled_corpus_rows(corpus_dir, labels, selection)


def unlabeled_corpus_rows(corpus_dir: Path, labels: Path, selection: str) -> list[dict[str, Any]]:
    """Every corpus sentence without a stand-off label, as export rows with context."""
    done = set()
    if labels.exists() and labels.stat().st_size:
        done = {(r["article_id"], r["para"], r["sent"]) for r in read_standoff(labels)}
    rows = []
    for article in indosum.raw_articles(corpus_dir):
        sents = indosum.article_sentences(article)
        for i, s in enumerate(sents):
            if (s.article_id, s.para, s.sent) in done:
                continue
            rows.append(
                {
                    "id": corpus_row_id(s),
                    "article_id": s.article_id,
                    "sent_idx": s.sent_idx,
                    "context_before": sents[i - 1].text if i else "",
                    "text": s.text,
                    "context_after": sents[i + 1].text if i + 1 < len(sents) else "",
                    "label": "",
                    "selection": selection,
                }
            )
    return rows


def merge_corpus_labels(
    rows: list[dict[str, Any]], labels: Path, annotator: str, now: datetime | None = None
) -> tuple[int, int, list[str]]:
    """Add labeled corpus rows to the stand-off store: (added, unchanged, conflicts)."""
    existing = read_standoff(labels) if labels.exists() and labels.stat().st_size else []
    index = {(r["article_id"], r["para"], r["sent"]): r for r in existing}
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    added, unchanged, conflicts = [], 0, []
    for row in rows:
        article_id, para, sent, key = parse_corpus_id(row["article_id"] + ":" + row["key"])
        old = index.get((article_id, para, sent))
        if old is None:
            record = {
                "corpus": indosum.CORPUS_NAME,
                "article_id": article_id,
                "para": para,
                "sent": sent,
                "key": key,
                "label": row["label"],
                "annotator": annotator,
                "labeled_at": stamp,
                "selection": row.get("selection") or "annotate_export",
                "note": row.get("note") or "",
            }
            index[(article_id, para, sent)] = record
            added.append(record)
        elif old["label"] == row["label"]:
            unchanged += 1
        else:
            conflicts.append(
                f"line {row['_line']}: {row['label']!r} conflicts with {old['label']!r} "
                f"({labels}:{old.get('_line', '?')}) for {article_id} paragraph {para} "
                f"sentence {sent}; kept the stored label"
            )
    if added:
        write_standoff(labels, [*existing, *added])
    return len(added), unchanged, conflicts
