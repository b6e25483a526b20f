"""Turn articles into cleaned article records and sentence records with offsets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

from pipeline.io import write_jsonl
from pipeline.text.articles import Article, read_articles
from pipeline.text.clean import clean_article
from pipeline.text.metadata import date_in_text, outlet_in_dateline
from pipeline.text.sentences import split_sentences


def segment_article(article: Article, clean: bool = True) -> tuple[dict[str, Any], list[dict]]:
    """One article's record (cleaned text, title, dateline) and its sentence records."""
    if clean:
        cleaned = clean_article(article.text, article.title)
        text, title, dateline = cleaned.text, cleaned.title, cleaned.dateline
    else:
        text, title, dateline = article.full_text(), article.title, None
    found_date = None if article.date else date_in_text(text)
    found_source = None if article.source else outlet_in_dateline(dateline)
    record = {
        "id": article.id,
        "title": title,
        "dateline": dateline,
        "date": article.date or found_date,
        "date_from": "input" if article.date else ("text" if found_date else None),
        "source": article.source or found_source,
        "source_from": "input" if article.source else ("dateline" if found_source else None),
        "text": text,
    }
    sentences = [
        {"article_id": article.id, "sent_idx": i, "text": s.text, "start": s.start, "end": s.end}
        for i, s in enumerate(split_sentences(text))
    ]
    return record, sentences


def cap_sentences(sentences: list[dict[str, Any]], max_chars: int) -> list[dict[str, Any]]:
    """Sentences longer than max_chars cut at a space (else hard), flagged `cut`, renumbered."""
    capped: list[dict[str, Any]] = []
    for row in sentences:
        text = row["text"]
        if len(text) <= max_chars:
            capped.append({**row, "cut": False})
            continue
        pos = 0
        while pos < len(text):
            end = min(pos + max_chars, len(text))
            if end < len(text):
                space = text.rfind(" ", pos + max_chars // 2, end)
                end = space if space > pos else end
            start = row["start"] + pos
            capped.append(
                {
                    **row,
                    "text": text[pos:end],
                    "start": start,
                    "end": start + end - pos,
                    "cut": True,
                }
            )
            pos = end
            while pos < len(text) and text[pos].isspace():
                pos += 1
    return [{**row, "sent_idx": i} for i, row in enumerate(capped)]


def segment_articles(
    articles: Iterable[Article], clean: bool = True
) -> Iterator[tuple[dict[str, Any], list[dict]]]:
    """Segment many articles lazily."""
    for article in articles:
        yield segment_article(article, clean)


def split_to_files(
    inputs: list[Path], output: Path, articles_out: Path | None, clean: bool
) -> tuple[int, int]:
    """Read all inputs first (so bad input writes nothing), then write atomically."""
    articles = read_articles(*inputs)
    records, sentences = [], []
    for record, sents in tqdm(
        segment_articles(articles, clean),
        total=len(articles),
        desc="splitting",
        unit="article",
        disable=None,
    ):
        records.append(record)
        sentences.extend(sents)
    if articles_out is not None:
        write_jsonl(articles_out, records)
    write_jsonl(output, sentences)
    return len(records), len(sentences)
