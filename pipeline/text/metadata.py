"""The date and the outlet of an article that came without them, read from its own text."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: i
    for i, names in enumerate(
        (
            "januari jan",
            "februari feb pebruari",
            "maret mar",
            "april apr",
            "mei",
            "juni jun",
            "juli jul",
            "agustus agu agt aug",
            "september sep sept",
            "oktober okt oct",
            "november nov nop",
            "desember des dec",
        ),
        start=1,
    )
    for name in names.split()
}
_NUMERIC = re.compile(r"\(\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*\)")  # (21/5/2016)
_WORDS = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})\b")  # 21 Mei 2016
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_IN_PARENS = re.compile(r"\(\s*([^()]{2,40}?)\s*\)")
HEAD_CHARS = 1500  # dates past the first paragraphs are more often about other events


def date_in_text(text: str) -> str | None:
    """The first well-formed date in the article's opening, as YYYY-MM-DD."""
    head = text[:HEAD_CHARS]
    found: list[tuple[int, str]] = []
    for m in _NUMERIC.finditer(head):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        found.append((m.start(), _iso(year + 2000 if year < 100 else year, month, day)))
    for m in _WORDS.finditer(head):
        month = MONTHS.get(m[2].lower())
        if month:
            found.append((m.start(), _iso(int(m[3]), month, int(m[1]))))
    for m in _ISO.finditer(head):
        found.append((m.start(), _iso(int(m[1]), int(m[2]), int(m[3]))))
    valid = sorted((pos, iso) for pos, iso in found if iso)
    return valid[0][1] if valid else None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat() if 1900 <= year <= 2100 else None
    except ValueError:
        return None


def outlet_in_dateline(dateline: str | None) -> str | None:
    """The outlet a dateline names: `BANDUNG, (Warta.id)`, `Jakarta (ANTARA)`, `TEMPO.CO, Jakarta`."""
    if not dateline:
        return None
    if m := _IN_PARENS.search(dateline):
        return m[1]
    if "," not in dateline:
        return None  # `MOSKOW`: a city only
    first, second = (part.strip() for part in dateline.split(",", 1))
    if "." in first and "." not in second:
        return first
    return second or None
