"""Clean scraped news text: drop debris, repeated paragraphs and datelines, re-join wraps."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.text.sentences import is_soft_wrap

_DEBRIS_LINE = re.compile(
    r"""^(?:
        [Aa](?:\s*[+-]?\s*[Aa][+-]?)*            # font-size widget: "A", "A A A", "A+ A-"
      | \(?\s*Baca\s+(?:juga|pula)\s*:.*         # (Baca juga: ...)
      | (?:Lihat|Simak)\s+(?:juga|video)\s*:.*
      | Leave\s+a\s+(?:Comment|Reply).*
      | Comments?
      | Post\s+a\s+Comment
      | \d+\s+Responses?\s+to\b.*
      | (?:Copyright|Hak\s+Cipta)\b.* | ©.*
      | Sumber\s*:\s*(?:https?://|www\.)\S*
      | To\s+Top | Back\s+to\s+top | Advertisement | ADVERTISEMENT | Share(?:\s+this)?\s*:?
      | (?:Editor|Penulis|Reporter|Pewarta|Penyunting|Tags?)\s*:.*
      | [\(\[][A-Za-z]{2,5}(?:/[A-Za-z]{2,5})*[\)\]]   # editor initials: (ian) [IZ] (ant/esn)
    )$""",
    re.VERBOSE,
)
_INLINE_DEBRIS = re.compile(r"\s*\(\s*Baca\s+(?:juga|pula)\s*:[^()]*\)")
_TRAILING_INITIALS = re.compile(r"(?<=[.!?\"”])\s*[\(\[][A-Za-z]{2,5}(?:/[A-Za-z]{2,5})*[\)\]]$")
_PHOTO_CAPTION = re.compile(r"\b(?:REUTERS|AFP|AP Photo|ANTARA FOTO|EPA)/|\(\s*[A-Z ]+ - Tags:")
_RUBRICS = frozenset(
    "internasional nasional dunia ekonomi bisnis politik olahraga hukum teknologi regional "
    "metro hiburan kesehatan otomotif news berita daerah opini humaniora sains".split()
)
_DATELINE = re.compile(
    r"""^(?:
        [A-Z][A-Z.'’]{2,}(?:\s[A-Z][A-Z.'’]+)*(?:\s*,\s*[^\s,!?][^!?\n]{0,40}?)?   # MOSKOW, WASHINGTON, (Panjimas.com)
      | [\w.]+\.(?:com|co|id|net|CO|COM)(?:\.id)?\s*,\s*[A-Z][\w ]{1,30}?          # TEMPO.CO, Jakarta
      | [A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s*,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2}    # Jakarta, CNN Indonesia
      | [A-Z][\w.]+(?:\s[A-Z][\w.]+)?\s*\([A-Z][\w. ]{1,25}\)                    # WASHINGTON (Reuters)
    )\s*(?:--|[-–—])\s+""",
    re.VERBOSE,
)
_SPACES = re.compile(r"[^\S\n]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


@dataclass(frozen=True)
class CleanText:
    """A cleaned article: title and body paragraphs joined by blank lines."""

    text: str
    title: str | None
    dateline: str | None


def clean_article(body: str, title: str | None = None) -> CleanText:
    """Clean one article; a title that is really a rubric or a dateline paragraph is fixed."""
    title = normalize_spaces(title).strip() if title else None
    if title and (title.lower() in _RUBRICS or _is_debris(title)):
        title = None
    elif title and _DATELINE.match(title):
        body, title = f"{title}\n{body}", None
    paragraphs = _paragraphs(normalize_spaces(body))
    if title is None and len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
        title = paragraphs.pop(0)
    dateline = None
    if paragraphs and (m := _DATELINE.match(paragraphs[0])):
        dateline = re.sub(r"\s*(?:--|[-–—])\s*$", "", m.group(0)).strip()
        paragraphs[0] = paragraphs[0][m.end() :]
    paragraphs = _dedupe(paragraphs)
    if paragraphs:
        paragraphs[-1] = _TRAILING_INITIALS.sub("", paragraphs[-1])
    parts = ([title] if title else []) + [p for p in paragraphs if p]
    return CleanText(text="\n\n".join(parts), title=title, dateline=dateline)


def normalize_spaces(text: str) -> str:
    """Unify Unicode spaces, drop invisible characters, collapse runs of spaces."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def _is_debris(line: str) -> bool:
    return bool(_DEBRIS_LINE.match(line) or _PHOTO_CAPTION.search(line))


def _paragraphs(text: str) -> list[str]:
    """Group lines into paragraphs, dropping debris lines and re-joining hard wraps."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = _INLINE_DEBRIS.sub("", line).strip()
        if not line or _is_debris(line):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and not is_soft_wrap(current[-1], line):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    if paragraphs and paragraphs[0].lower() in _RUBRICS:
        paragraphs.pop(0)
    return paragraphs


def _dedupe(paragraphs: list[str]) -> list[str]:
    """Drop paragraphs repeated verbatim; scrapers often paste the body twice."""
    seen: set[str] = set()
    kept = []
    for p in paragraphs:
        key = p.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(p)
    return kept


def _looks_like_headline(paragraph: str) -> bool:
    return (
        len(paragraph.split()) <= 25
        and paragraph[-1] not in ".,;:"
        and not _DATELINE.match(paragraph)
    )
