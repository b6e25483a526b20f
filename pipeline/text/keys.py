"""The stable key of a sentence, shared by the corpus readers and the label files."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def sentence_key(text: str) -> str:
    """Stable key of a sentence: survives re-splitting, whitespace and case changes."""
    normal = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]
