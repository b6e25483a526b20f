"""A deterministic WordPiece vocabulary learner for the fallback model's tokenizer.

The `tokenizers` trainer breaks frequency ties in hash order, so the same corpus gave a
different vocabulary, and a different fallback model, on every run. This learner follows
the top-down algorithm of BERT's original vocabulary tool (as in tensorflow_text): count
the substrings that greedy longest-match tokenization could start with, discount prefixes
that a longer selected piece shadows, and pick the threshold that fills the budget.
Every choice is made on counts, then on the token text, so equal input gives equal output.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

CONTINUATION = "##"
MAX_PIECE_CHARS = 24  # longer pieces are whole rare words, never worth a vocabulary slot
ITERATIONS = 4  # re-segmenting with the last vocabulary; the set settles after a few


def count_words(texts: Iterable[str]) -> Counter[str]:
    """Words as an uncased BERT tokenizer sees them (normalised, split at spaces and punctuation)."""
    from tokenizers import normalizers, pre_tokenizers

    normalizer = normalizers.BertNormalizer(lowercase=True)
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(text)))
    return counts


def learn_vocab(texts: Iterable[str], vocab_size: int, special_tokens: Iterable[str]) -> list[str]:
    """At most `vocab_size` tokens: the specials, then every character and learned piece, sorted."""
    specials = list(special_tokens)
    words = count_words(texts)
    alphabet = {c for w in words for c in w}
    base = alphabet | {CONTINUATION + c for c in alphabet}
    budget = vocab_size - len(specials) - len(base)
    if budget < 0:
        raise ValueError(
            f"vocab_size {vocab_size} is below the {len(specials) + len(base)} tokens needed "
            "for the special tokens and the corpus's characters; raise it"
        )
    vocab = set(base)
    for _ in range(ITERATIONS):
        counts = _candidate_counts(words, vocab)
        vocab = base | _fill_budget(counts, budget)
    return [*specials, *sorted(vocab - set(specials))]


def _piece(word: str, start: int, end: int) -> str:
    return word[start:end] if start == 0 else CONTINUATION + word[start:end]


def _segment_starts(word: str, vocab: set[str]) -> list[int]:
    """Where the pieces of greedy longest-match tokenization of `word` begin."""
    starts, i = [], 0
    while i < len(word):
        starts.append(i)
        ends = range(min(len(word), i + MAX_PIECE_CHARS), i, -1)
        i = next((j for j in ends if _piece(word, i, j) in vocab), i + 1)
    return starts


def _candidate_counts(words: Mapping[str, int], vocab: set[str]) -> Counter[str]:
    """Occurrences of each multi-character piece starting where the current segmentation does."""
    counts: Counter[str] = Counter()
    for word, n in words.items():
        for start in _segment_starts(word, vocab):
            first_end = start + 2 if start == 0 else start + 1  # single characters are in base
            for end in range(first_end, min(len(word), start + MAX_PIECE_CHARS) + 1):
                counts[_piece(word, start, end)] += n
    for token in [t for t in counts if len(t.removeprefix(CONTINUATION)) == 1]:
        del counts[token]
    return counts


def _select(counts: Mapping[str, int], threshold: int) -> set[str]:
    """Pieces seen at least `threshold` times once longer selected pieces take their share."""
    left = dict(counts)
    by_length: dict[int, list[str]] = defaultdict(list)
    for token in counts:
        by_length[len(token.removeprefix(CONTINUATION))].append(token)
    for length in sorted(by_length, reverse=True):
        for token in by_length[length]:
            n = left[token]
            if n < threshold:
                continue
            stem = token.removeprefix(CONTINUATION)
            prefix = token[: len(token) - len(stem)]
            for k in range(1, len(stem)):
                shadowed = prefix + stem[:k]
                if shadowed in left:
                    left[shadowed] -= n
    return {t for t, n in left.items() if n >= threshold}


def _fill_budget(counts: Mapping[str, int], budget: int) -> set[str]:
    """The smallest threshold whose selection fits, topped up from the next one by count."""
    if not counts or budget == 0:
        return set()
    low, high = 1, max(counts.values()) + 1
    while low < high:
        middle = (low + high) // 2
        if len(_select(counts, middle)) <= budget:
            high = middle
        else:
            low = middle + 1
    chosen = _select(counts, low)
    if low > 1:
        extra = sorted(_select(counts, low - 1) - chosen, key=lambda t: (-counts[t], t))
        chosen |= set(extra[: budget - len(chosen)])
    return chosen
