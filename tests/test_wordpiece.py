"""The WordPiece vocabulary learner: deterministic, within budget, and covering its corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.modeling.wordpiece import count_words, learn_vocab

from tiny_model import SUBJECTS, TEMPLATES

SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
CORPUS = [
    template.format(s=subject) + f" pada {day} Mei 2016."
    for day in range(1, 8)
    for subject in SUBJECTS
    for template in TEMPLATES.values()
] + ["Menteri Pertahanan menyambut baik usulan kerja sama tersebut, kata juru bicaranya."]


def wordpiece(word: str, vocab: set[str]) -> list[str]:
    """Greedy longest-match, as BertTokenizer does it."""
    pieces, start = [], 0
    while start < len(word):
        for end in range(len(word), start, -1):
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                pieces.append(piece)
                start = end
                break
        else:
            return ["[UNK]"]
    return pieces


def test_vocab_has_specials_first_then_sorted_tokens_within_budget():
    vocab = learn_vocab(CORPUS, 150, SPECIALS)
    assert vocab[:5] == list(SPECIALS)
    assert vocab[5:] == sorted(vocab[5:])
    assert len(vocab) == len(set(vocab)) <= 150


def test_every_corpus_word_tokenizes_without_unknowns_and_frequent_words_stay_whole():
    vocab = set(learn_vocab(CORPUS, 150, SPECIALS))
    words = count_words(CORPUS)
    assert all("[UNK]" not in wordpiece(w, vocab) for w in words)
    for frequent in ("kerja", "sama", "pertahanan", "mitra", "mei"):
        assert wordpiece(frequent, vocab) == [frequent]


def test_a_bigger_budget_segments_the_corpus_into_fewer_pieces():
    words = count_words(CORPUS)

    def pieces(size: int) -> int:
        vocab = set(learn_vocab(CORPUS, size, SPECIALS))
        return sum(n * len(wordpiece(w, vocab)) for w, n in words.items())

    assert pieces(300) < pieces(120) < sum(n * len(w) for w, n in words.items())


def test_same_corpus_same_vocab_whatever_the_hash_seed():
    script = (
        "import json, sys; from pipeline.modeling.wordpiece import learn_vocab; "
        "print(json.dumps(learn_vocab(json.load(sys.stdin), 150, ['[PAD]', '[UNK]'])))"
    )
    vocabs = [
        subprocess.run(
            [sys.executable, "-c", script],
            input=json.dumps(CORPUS),
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=Path(__file__).resolve().parents[1],
        ).stdout
        for seed in ("1", "2")
    ]
    assert vocabs[0] == vocabs[1]
    assert len(json.loads(vocabs[0])) > 100


def test_budget_below_the_alphabet_is_a_clear_error():
    with pytest.raises(ValueError, match="vocab_size 20 is below"):
        learn_vocab(CORPUS, 20, SPECIALS)
