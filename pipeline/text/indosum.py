"""Read the IndoSum corpus at run time: articles, gold sentences and their positions (never copied)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import INDOSUM_DIR
from pipeline.errors import BadInput
from pipeline.io import JsonLineError, jsonl_lines
from pipeline.text.keys import sentence_key

CORPUS_NAME = "indosum"
_NO_SPACE_BEFORE = set(",.!?;:)]%”’")
_NO_SPACE_AFTER = set("([“‘")


@dataclass(frozen=True)
class CorpusSentence:
    """One gold sentence of an IndoSum article, addressed by paragraph and sentence index."""

    article_id: str
    para: int
    sent: int
    sent_idx: int
    text: str

    @property
    def key(self) -> str:
        return sentence_key(self.text)


def available(root: Path = INDOSUM_DIR) -> bool:
    """True when the corpus folder holds IndoSum's fold files."""
    return any(Path(root).glob("*.jsonl"))


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


def raw_articles(root: Path = INDOSUM_DIR, limit: int | None = None) -> Iterator[dict]:
    """Articles of every fold file, deduplicated by id (folds overlap), in file order."""
    seen: set[str] = set()
    for path in sorted(Path(root).glob("*.jsonl")):
        for n, article in jsonl_lines(path):
            if (
                isinstance(article, JsonLineError)
                or not isinstance(article, dict)
                or ("id" not in article)
            ):
                raise BadInput(
                    f"{path}:{n}: not an IndoSum article record ({article!s:.80}); "
                    "point the corpus param at an unmodified IndoSum folder"
                )
            if article["id"] in seen:
                continue
            seen.add(article["id"])
            if limit is not None and len(seen) > limit:
                return
            yield article


def _paragraph_sentences(paragraph: list[list[str]]) -> list[str]:
    """A paragraph's gold sentences as raw text (empty ones kept, so indices stay true)."""
    sentences, quote_open = [], False
    for tokens in paragraph:
        text, quote_open = detokenize(tokens, quote_open)
        sentences.append(text)
    return sentences


def article_sentences(article: dict) -> list[CorpusSentence]:
    """Every non-empty gold sentence of one article, in reading order."""
    out: list[CorpusSentence] = []
    for p, para in enumerate(article["paragraphs"]):
        for s, text in enumerate(_paragraph_sentences(para)):
            if text:
                out.append(CorpusSentence(article["id"], p, s, len(out), text))
    return out


def sentences(root: Path = INDOSUM_DIR, limit: int | None = None) -> Iterator[CorpusSentence]:
    """Every gold sentence of every article."""
    for article in raw_articles(root, limit):
        yield from article_sentences(article)


def paragraphs(root: Path = INDOSUM_DIR, limit: int | None = None) -> Iterator[list[str]]:
    """Each paragraph as its list of gold sentences (for the splitter benchmark)."""
    for article in raw_articles(root, limit):
        for para in article["paragraphs"]:
            if sents := [t for t in _paragraph_sentences(para) if t]:
                yield sents


def articles(root: Path = INDOSUM_DIR, limit: int | None = None) -> Iterator[tuple[str, str]]:
    """(id, text) per article, paragraphs separated by blank lines."""
    for article in raw_articles(root, limit):
        paras = [" ".join(t for t in _paragraph_sentences(p) if t) for p in article["paragraphs"]]
        yield article["id"], "\n\n".join(p for p in paras if p)
