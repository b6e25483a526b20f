"""Seeded choice of real-news sentences to label: whole random articles, and cue-word hits elsewhere."""

from __future__ import annotations

import random
from collections.abc import Iterable

from pipeline.labeling.cues import ANY_CUE
from pipeline.text.indosum import CorpusSentence


def random_articles(article_ids: Iterable[str], n: int, seed: int) -> list[str]:
    """n article ids drawn at random (order-independent: ids are sorted before drawing)."""
    ids = sorted(set(article_ids))
    return sorted(random.Random(seed).sample(ids, min(n, len(ids))))


def cue_sentences(
    sentences: Iterable[CorpusSentence], exclude_articles: set[str], n: int, seed: int
) -> list[CorpusSentence]:
    """n sentences with a cooperation, refusal or condition cue, from articles not excluded."""
    hits = [s for s in sentences if s.article_id not in exclude_articles and ANY_CUE.search(s.text)]
    hits.sort(key=lambda s: (s.article_id, s.sent_idx))
    picked = random.Random(seed).sample(hits, min(n, len(hits)))
    return sorted(picked, key=lambda s: (s.article_id, s.sent_idx))
