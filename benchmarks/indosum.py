"""Read the IndoSum dev folds in ../shared at run time (never copied into the repository)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from pipeline.config import INDOSUM_DIR

_NO_SPACE_BEFORE = set(",.!?;:)]%”’")
_NO_SPACE_AFTER = set("([“‘")


def available(root: Path = INDOSUM_DIR) -> bool:
    """True when the corpus folder is there."""
    return any(root.glob("dev.*.jsonl"))


def detokenize(tokens: list[str], quote_open: bool = False) -> tuple[str, bool]:
    """Rebuild raw text from tokens; returns the text and whether a quote is still open."""
    out: list[str] = []
    glue_next = False
    for tok in tokens:
        if tok == '"':
            if quote_open:
                out.append(tok)  # closing quote sticks to the previous token
            else:
                out.append(" " + tok if out else tok)
                glue_next = True
            quote_open = not quote_open
            continue
        if out and not glue_next and tok not in _NO_SPACE_BEFORE:
            out.append(" ")
        out.append(tok)
        glue_next = tok in _NO_SPACE_AFTER
    return re.sub(r"\s+", " ", "".join(out)).strip(), quote_open


def _unique_articles(root: Path, limit: int | None) -> Iterator[dict]:
    """Articles of every dev fold, deduplicated by id (folds overlap)."""
    seen: set[str] = set()
    for path in sorted(root.glob("dev.*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                article = json.loads(line)
                if article["id"] in seen:
                    continue
                seen.add(article["id"])
                if limit is not None and len(seen) > limit:
                    return
                yield article


def _paragraph_sentences(paragraph: list[list[str]]) -> list[str]:
    """A paragraph's gold sentences as raw text; quotes may span sentences."""
    sentences, quote_open = [], False
    for tokens in paragraph:
        text, quote_open = detokenize(tokens, quote_open)
        if text:
            sentences.append(text)
    return sentences


def paragraphs(root: Path = INDOSUM_DIR, limit: int | None = None) -> Iterator[list[str]]:
    """Each paragraph as its list of gold sentences."""
    for article in _unique_articles(root, limit):
        for para in article["paragraphs"]:
            if sents := _paragraph_sentences(para):
                yield sents


def articles(root: Path = INDOSUM_DIR, limit: int | None = None) -> Iterator[tuple[str, str]]:
    """(id, text) per article, paragraphs separated by blank lines."""
    for article in _unique_articles(root, limit):
        paras = [" ".join(_paragraph_sentences(p)) for p in article["paragraphs"]]
        yield article["id"], "\n\n".join(p for p in paras if p)
