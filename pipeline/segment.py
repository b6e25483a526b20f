"""Turn articles into cleaned article records and sentence records with offsets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pipeline.articles import Article
from pipeline.clean import clean_article
from pipeline.sentences import split_sentences


def segment_article(article: Article, clean: bool = True) -> tuple[dict[str, Any], list[dict]]:
    """One article's record (cleaned text, title, dateline) and its sentence records."""
    if clean:
        cleaned = clean_article(article.text, article.title)
        text, title, dateline = cleaned.text, cleaned.title, cleaned.dateline
    else:
        text, title, dateline = article.full_text(), article.title, None
    record = {
        "id": article.id,
        "title": title,
        "dateline": dateline,
        "date": article.date,
        "source": article.source,
        "text": text,
    }
    sentences = [
        {"article_id": article.id, "sent_idx": i, "text": s.text, "start": s.start, "end": s.end}
        for i, s in enumerate(split_sentences(text))
    ]
    return record, sentences


def segment_articles(
    articles: Iterable[Article], clean: bool = True
) -> Iterator[tuple[dict[str, Any], list[dict]]]:
    """Segment many articles lazily."""
    for article in articles:
        yield segment_article(article, clean)
