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


def paragraphs(root: Path = INDOSUM_DIR, limit: int | None = None) -> Iterator[list[str]]:
    """Each paragraph as its list of gold sentences, articles deduplicated by id."""
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
                for para in article["paragraphs"]:
                    sents, quote_open = [], False
                    for tokens in para:
                        text, quote_open = detokenize(tokens, quote_open)
                        if text:
                            sents.append(text)
                    if sents:
                        yield sents


def articles(root: Path = INDOSUM_DIR, limit: int | None = None) -> Iterator[tuple[str, str]]:
    """(id, text) per deduplicated article, paragraphs separated by blank lines."""
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
                paras = []
                for para in article["paragraphs"]:
                    quote_open, sents = False, []
                    for tokens in para:
                        text, quote_open = detokenize(tokens, quote_open)
                        sents.append(text)
                    paras.append(" ".join(s for s in sents if s))
                yield article["id"], "\n\n".join(p for p in paras if p)
