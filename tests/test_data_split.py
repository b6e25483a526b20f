"""Article-level train/validation/test assignment."""

import random

import pytest

from pipeline.config import label_names
from pipeline.labeling.partition import (
    article_stratum,
    assign_partitions,
    label_table,
)
from pipeline.params import Shares

FRACTIONS = {"train": 0.7, "validation": 0.15, "test": 0.15}
LABELS = label_names()  # configs/labels.yaml, the one list


def corpus(n_articles=60, seed=0):
    rng = random.Random(seed)
    return [
        {"article_id": f"art{a:03d}", "sent_idx": i, "label": rng.choice(LABELS)}
        for a in range(n_articles)
        for i in range(rng.randint(3, 12))
    ]


def test_no_article_is_in_two_splits_and_every_sentence_is_assigned():
    rows = corpus()
    assignment = assign_partitions(rows, FRACTIONS, seed=13)
    assert set(assignment) == {r["article_id"] for r in rows}
    assert set(assignment.values()) == {"train", "validation", "test"}
    by_split = {s: {a for a, sp in assignment.items() if sp == s} for s in FRACTIONS}
    assert not (by_split["train"] & by_split["validation"])
    assert not (by_split["train"] & by_split["test"])
    assert not (by_split["validation"] & by_split["test"])


def test_sizes_follow_fractions():
    assignment = assign_partitions(corpus(100), FRACTIONS, seed=1)
    sizes = {s: list(assignment.values()).count(s) for s in FRACTIONS}
    assert sizes == {"train": 70, "validation": 15, "test": 15}


def test_stable_for_a_seed_and_changes_with_it():
    rows = corpus()
    assert assign_partitions(rows, FRACTIONS, 13) == assign_partitions(
        list(reversed(rows)), FRACTIONS, 13
    )
    assert assign_partitions(rows, FRACTIONS, 13) != assign_partitions(rows, FRACTIONS, 14)


def test_stratified_by_label_mix():
    rows = [{"article_id": f"c{i}", "label": "conditional"} for i in range(20)]
    rows += [{"article_id": f"n{i}", "label": "none"} for i in range(20)]
    assignment = assign_partitions(rows, FRACTIONS, seed=5)
    test_ids = [a for a, s in assignment.items() if s == "test"]
    assert sum(a.startswith("c") for a in test_ids) == sum(a.startswith("n") for a in test_ids) == 3


def test_stratum_is_the_dominant_stance():
    assert article_stratum(["none", "none", "rejected", "proposed", "rejected"]) == "rejected"
    assert article_stratum(["none", "none"]) == "none"


def test_bad_fractions_are_refused():
    with pytest.raises(ValueError, match="sum to 1"):
        Shares(1, 0.8, 0.15, 0.15)
    with pytest.raises(ValueError, match="> 0"):
        Shares(1, 0.8, 0.2, 0.0)
    assert Shares(1, 0.6, 0.2, 0.2).fractions() == {"train": 0.6, "validation": 0.2, "test": 0.2}


def test_label_table_counts():
    rows = {
        "train": [{"article_id": "a", "label": "none"}, {"article_id": "a", "label": "proposed"}],
        "validation": [],
        "test": [{"article_id": "b", "label": "none"}],
    }
    table = label_table(rows, LABELS)
    assert table["train"] == {
        "proposed": 1,
        "rejected": 0,
        "conditional": 0,
        "none": 1,
        "sentences": 2,
        "articles": 1,
    }
    assert table["total"]["none"] == 2 and table["total"]["articles"] == 2


def test_hash_assignment_is_stable_when_articles_are_added():
    from pipeline.labeling.partition import hash_assign

    fractions = {"train": 0.6, "validation": 0.2, "test": 0.2}
    first = hash_assign([f"a{i}" for i in range(300)], fractions, seed=29)
    more = hash_assign([f"a{i}" for i in range(600)], fractions, seed=29)
    assert all(more[a] == s for a, s in first.items())
    shares = {s: sum(v == s for v in more.values()) / 600 for s in ("train", "validation", "test")}
    assert shares["train"] == pytest.approx(0.6, abs=0.06)
    assert shares["test"] == pytest.approx(0.2, abs=0.05)
    assert hash_assign([f"a{i}" for i in range(300)], fractions, seed=30) != first


def test_active_learning_sentences_train_unless_their_article_was_sampled():
    from pipeline.stages.partition import partition_real_news

    params = Shares(seed=29, train=0.4, validation=0.3, test=0.3)
    rows = [
        {"article_id": f"s{i}", "label": "none", "selection": "random_article"} for i in range(60)
    ]
    rows += [
        {"article_id": f"al{i}", "label": "none", "selection": "active_learning_r1"}
        for i in range(60)
    ]
    rows.append({"article_id": "s0", "label": "proposed", "selection": "active_learning_r2"})
    parts = partition_real_news(rows, params)
    held_out = [r for s in ("validation", "test") for r in parts[s]]
    assert not any(r["article_id"].startswith("al") for r in held_out)
    assert {r["article_id"] for r in held_out}  # sampled articles still reach val/test
    where = {s for s, rs in parts.items() for r in rs if r["article_id"] == "s0"}
    assert len(where) == 1  # the AL sentence of a sampled article follows its article
