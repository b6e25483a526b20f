"""Gold labels: keys, the join to sentences, and the report of bad labels."""

import json

import pytest

from pipeline.config import GOLD_LABELS_FILE, RAW_DIR, label_names
from pipeline.labeling.gold import LabelError, join_labels, read_gold, write_gold
from pipeline.text.articles import read_articles
from pipeline.text.keys import sentence_key
from pipeline.text.segment import segment_articles

LABELS = label_names()  # configs/labels.yaml, the one list
SENTS = [
    {
        "article_id": "a1",
        "sent_idx": 0,
        "text": "Rusia menawarkan operasi bersama.",
        "start": 0,
        "end": 33,
    },
    {"article_id": "a1", "sent_idx": 1, "text": "AS menolak tawaran itu.", "start": 34, "end": 57},
    {"article_id": "a2", "sent_idx": 0, "text": "Cuaca cerah.", "start": 0, "end": 12},
]


def gold(article_id, text, label, line=1):
    return {
        "article_id": article_id,
        "key": sentence_key(text),
        "label": label,
        "text": text,
        "_line": line,
    }


def test_key_survives_whitespace_and_case_changes():
    assert sentence_key("AS  menolak\ntawaran itu.") == sentence_key("as menolak tawaran itu.")
    assert sentence_key("AS menolak tawaran itu.") != sentence_key("AS menerima tawaran itu.")


def test_join_attaches_labels_and_counts_unlabeled():
    rows, report = join_labels(
        SENTS,
        [gold("a1", SENTS[0]["text"], "proposed"), gold("a1", SENTS[1]["text"], "rejected")],
        LABELS,
    )
    assert [(r["sent_idx"], r["label"]) for r in rows] == [(0, "proposed"), (1, "rejected")]
    assert (report.labeled, report.unlabeled) == (2, 1)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([gold("a1", "Kalimat yang sudah dihapus.", "none", 7)], "gold:7: orphaned label"),
        (
            [
                gold("a1", SENTS[1]["text"], "rejected", 3),
                gold("a1", SENTS[1]["text"], "proposed", 9),
            ],
            "gold:9: duplicate with a different label ('proposed' here, 'rejected' at line 3)",
        ),
        ([gold("a2", SENTS[2]["text"], "netral", 4)], "gold:4: unknown label 'netral'"),
    ],
)
def test_bad_labels_are_reported(rows, message):
    with pytest.raises(LabelError) as err:
        join_labels(SENTS, rows, LABELS)
    assert message in str(err.value)


def test_every_problem_is_reported_at_once():
    rows = [gold("a1", "Hilang.", "none", 1), gold("a2", SENTS[2]["text"], "netral", 2)]
    with pytest.raises(LabelError) as err:
        join_labels(SENTS, rows, LABELS)
    assert len(err.value.problems) == 2


def test_write_and_read_round_trip(tmp_path):
    path = tmp_path / "gold.jsonl"
    write_gold(path, [gold("b", "Dua.", "none"), gold("a", "Satu.", "proposed")])
    rows = read_gold(path)
    assert [(r["article_id"], r["text"], r["_line"]) for r in rows] == [
        ("a", "Satu.", 1),
        ("b", "Dua.", 2),
    ]
    assert set(json.loads(path.read_text().splitlines()[0])) == {
        "article_id",
        "key",
        "label",
        "text",
    }


def test_project_gold_labels_fit_the_current_splitter():
    """Every sample and authored sentence is labeled, and no label is orphaned."""
    sentences = [s for _, sents in segment_articles(read_articles(RAW_DIR)) for s in sents]
    rows, report = join_labels(sentences, read_gold(GOLD_LABELS_FILE), label_names())
    assert report.unlabeled == 0
    counts = {name: sum(r["label"] == name for r in rows) for name in label_names()}
    assert len(rows) >= 900
    assert min(counts["proposed"], counts["rejected"], counts["conditional"]) >= 150


def test_label_file_reader_reports_every_bad_line_with_its_number(tmp_path):
    from pipeline.labeling.gold import read_label_records

    path = tmp_path / "labels.jsonl"
    path.write_text(
        '{"a": 1, "b": 2}\n\n{"a": 1\n[1, 2]\n{"b": 2}\n{"a": "x", "b": 2}\n', encoding="utf-8"
    )
    with pytest.raises(LabelError) as err:
        read_label_records(path, ("a", "b"), {"a": int})
    problems = err.value.problems
    assert [p.split(": ")[0] for p in problems] == [f"{path}:{n}" for n in (3, 4, 5, 6)]
    assert "not valid JSON" in problems[0] and "not a JSON object" in problems[1]
    assert "missing field(s) ['a']" in problems[2] and "wrongly typed ['a']" in problems[3]
    path.write_text('{"a": 1, "b": 2}\n\n{"a": 3, "b": 4}\n', encoding="utf-8")
    assert [r["_line"] for r in read_label_records(path, ("a", "b"), {"a": int})] == [1, 3]
