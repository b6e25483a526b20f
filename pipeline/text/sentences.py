"""Rule-based Indonesian sentence splitter with character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Never a sentence end: titles, honorifics, degrees, address and number words that
# precede a name, a place or a number.
NEVER_FINAL = frozenset(
    """
    dr drs dra drg prof ir h hj kh k.h ust st sdr sdri muh moh mhd abd purn bpk bp tn ny nn mr mrs ms jend
    letjen mayjen brigjen kol letkol mayor kapt lettu letda serma pol komjen irjen brigjen
    kombes akbp kompol no nomor jl jln gg kel kec kab kota prov rt rw rp hlm hal tgl
    s.d a.n u.p d/a m.si m.sc m.h m.m m.a m.pd m.kes s.h s.e s.pd s.sos s.ag s.kom s.t
    s.ip s.psi ph.d lc vs cf apt dipl.ing ing
    jan feb mar apr jun jul agu agt ags sep sept okt nov des
    """.split()
)
# Sentence end only when the next word is capitalised: these often close a list or a
# company name at the end of a sentence.
FINAL_IF_CAPITAL = frozenset("dkk dll dsb dst tbk inc ltd co corp etc cs".split())
SPEECH_VERBS = frozenset(
    """
    kata katanya ujar ujarnya ucap ucapnya tutur tuturnya ungkap ungkapnya jelas jelasnya
    tambah tambahnya imbuh imbuhnya sambung sambungnya pungkas pungkasnya tegas tegasnya
    terang terangnya lanjut lanjutnya papar paparnya sebut sebutnya tanya tanyanya
    seru serunya kilah kilahnya timpal timpalnya beber bebernya klaim tukas tukasnya
    demikian
    """.split()
)

OPEN_QUOTES = "\"“‘'«"
CURLY_OPENERS = "“‘«"  # never closing quotes, unlike " and '
CLOSERS = "\"”’')]»"
_CANDIDATE = re.compile(r"(?:\.{2,}|…|[.!?])+[\"”’')\]»]*")
_WORD_BEFORE = re.compile(r"([\w./&-]*\w)$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its text and its [start, end) span in the text it came from."""

    text: str
    start: int
    end: int


def is_soft_wrap(line_before: str, line_after: str) -> bool:
    """True when a single newline between these lines is a hard wrap inside a sentence."""
    before, after = line_before.rstrip(), line_after.lstrip()
    if not before or not after:
        return False
    if before[-1] in ".!?…" or (before[-1] in CLOSERS and len(before) > 1 and before[-2] in ".!?"):
        return False
    return after[0].islower() or before[-1] in ",;:-–(" or after[0] in ",;:)"


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; `text[s.start:s.end] == s.text` for every sentence."""
    sentences: list[Sentence] = []
    for block_start, block_end in _blocks(text):
        start = block_start
        for cut in _boundaries(text, block_start, block_end):
            _append(sentences, text, start, cut)
            start = cut
        _append(sentences, text, start, block_end)
    return sentences


def _blocks(text: str) -> list[tuple[int, int]]:
    """Spans of text between hard breaks: blank lines, or newlines that are not soft wraps."""
    spans, start = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    blocks = []
    for b_start, b_end in spans:
        line_start = b_start
        newline = text.find("\n", b_start, b_end)
        while newline != -1:
            next_end = text.find("\n", newline + 1, b_end)
            line_after = text[newline + 1 : b_end if next_end == -1 else next_end]
            if not is_soft_wrap(text[line_start:newline], line_after):
                blocks.append((line_start, newline))
                line_start = newline + 1
            newline = next_end
        blocks.append((line_start, b_end))
    return blocks


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        sentences.append(Sentence(text[start:end], start, end))


def _boundaries(text: str, start: int, end: int):
    """Yield the offsets where a new sentence starts inside text[start:end]."""
    for m in _CANDIDATE.finditer(text, start, end):
        cut = _cut_after(text, m.start(), m.end(), end)
        if cut is not None:
            yield cut


def _cut_after(text: str, p_start: int, p_end: int, end: int) -> int | None:
    """Where the next sentence starts if the punctuation run text[p_start:p_end] ends one."""
    run = text[p_start:p_end]
    if p_end >= end:
        return None
    following = text[p_end]
    if following.isspace():
        cut = p_end
    elif following in OPEN_QUOTES and run[-1] in ".!?…":
        cut = p_end  # `disepakati."Apa ...`: the quote opens the next sentence
    elif run[-1] in "\"'" and following.isupper() and len(run) > 1:
        cut = p_end - 1  # `disepakati."Apa`: straight quote glued to the next word opens it
    else:
        return None
    next_word = _next_word(text, cut, end)
    if next_word and all(ch in CURLY_OPENERS for ch in next_word):
        # `… ketertinggalan. “ Saya kira …`: a spaced opening quote starts the next sentence
        after = text.index(next_word, cut) + len(next_word)
        next_word += _next_word(text, after, end)
    if not next_word:
        return None
    first = _first_alnum(next_word)
    if first is None:
        return None
    if first.islower() and next_word[0] not in "([":
        return None  # a bracket after a sentence end opens a new one: "... kata dia. (ant)"
    closed_quote = cut == p_end and run[-1] in "\"”’'"
    if closed_quote and _bare(next_word).lower() in SPEECH_VERBS:
        return None  # `... [berlangsung].” Jelas Kirby` is one sentence
    if _ends_with_abbreviation(text, p_start, run, first):
        return None
    return cut


def _ends_with_abbreviation(text: str, p_start: int, run: str, first: str) -> bool:
    if run.rstrip(")]") != ".":
        return False  # only a bare period (or one inside brackets) can close an abbreviation
    m = _WORD_BEFORE.search(text, max(0, p_start - 40), p_start)
    if m is None or m.end() != p_start:
        return False
    word = m.group(1).lower().lstrip("(")
    if word in NEVER_FINAL:
        return True
    if word in FINAL_IF_CAPITAL:
        return not first.isupper()
    # an initial: "John F. Kerry"
    return len(word) == 1 and word.isalpha() and text[m.start()].isupper()


def _next_word(text: str, pos: int, end: int) -> str:
    while pos < end and text[pos].isspace():
        pos += 1
    stop = pos
    while stop < end and not text[stop].isspace():
        stop += 1
    return text[pos:stop]


def _first_alnum(word: str) -> str | None:
    for ch in word:
        if ch.isalnum():
            return ch
    return None


def _bare(word: str) -> str:
    return word.strip(OPEN_QUOTES + CLOSERS + ",.;:!?()[]")
