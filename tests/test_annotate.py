"""The labeling loop: export to CSV, fill in, import."""

import csv
import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import label_names
from pipeline.labeling.cues import ANY_CUE
from pipeline.labeling.gold import read_gold, write_gold
from pipeline.text.keys import sentence_key

runner = CliRunner()
TEXTS = [
    "Rusia menawarkan kerja sama militer kepada AS.",
    "AS menolak tawaran itu.",
    "Cuaca di Jenewa cerah.",
    "Kedua negara sepakat melanjutkan perundingan.",
    "Pertandingan berakhir imbang.",
]


@pytest.fixture
def workspace(tmp_path):
    sentences = tmp_path / "sentences.jsonl"
    sentences.write_text(
        "".join(
            json.dumps({"article_id": "art1", "sent_idx": i, "text": t, "start": 0, "end": len(t)})
            + "\n"
            for i, t in enumerate(TEXTS)
        ),
        encoding="utf-8",
    )
    gold = tmp_path / "gold.jsonl"
    write_gold(
        gold,
        [
            {
                "article_id": "art1",
                "key": sentence_key(TEXTS[1]),
                "label": "rejected",
                "text": TEXTS[1],
            }
        ],
    )
    return tmp_path, sentences, gold


def export(tmp, sentences, gold, *extra):
    out = tmp / "todo.csv"
    result = runner.invoke(
        app,
        [
            "annotate",
            "export",
            "-o",
            str(out),
            "--sentences",
            str(sentences),
            "--gold",
            str(gold),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig", newline="") as fh:
        return out, list(csv.DictReader(fh))


def fill(path, rows, labels):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "label": labels.get(row["text"], "")})


def test_export_skips_labeled_sentences_and_gives_context(workspace):
    tmp, sentences, gold = workspace
    _, rows = export(tmp, sentences, gold, "--n", "10")
    assert [r["text"] for r in rows] == [TEXTS[0], TEXTS[2], TEXTS[3], TEXTS[4]]
    assert rows[1]["context_before"] == TEXTS[1] and rows[1]["context_after"] == TEXTS[3]
    assert all(r["label"] == "" for r in rows)


def test_cue_strategy_picks_sentences_with_cue_words(workspace):
    tmp, sentences, gold = workspace
    _, rows = export(tmp, sentences, gold, "--strategy", "cue", "--n", "10")
    assert [r["text"] for r in rows] == [TEXTS[0], TEXTS[3]]
    assert all(ANY_CUE.search(r["text"]) for r in rows)


def test_export_import_round_trip(workspace):
    tmp, sentences, gold = workspace
    out, rows = export(tmp, sentences, gold, "--n", "10")
    fill(out, rows, {TEXTS[0]: "proposed", TEXTS[2]: "none", TEXTS[3]: "Proposed"})
    result = runner.invoke(app, ["annotate", "import", str(out), "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    labels = {r["text"]: r["label"] for r in read_gold(gold)}
    assert labels == {
        TEXTS[0]: "proposed",
        TEXTS[1]: "rejected",
        TEXTS[2]: "none",
        TEXTS[3]: "proposed",
    }
    _, left = export(tmp, sentences, gold, "--n", "10")
    assert [r["text"] for r in left] == [TEXTS[4]]


def test_unknown_label_is_refused_and_nothing_written(workspace, caplog):
    tmp, sentences, gold = workspace
    out, rows = export(tmp, sentences, gold, "--n", "10")
    fill(out, rows, {TEXTS[0]: "proposed", TEXTS[2]: "netral"})
    before = gold.read_bytes()
    result = runner.invoke(app, ["annotate", "import", str(out), "--gold", str(gold)])
    assert result.exit_code == 2
    assert f"{out}:3: unknown label 'netral'" in caplog.text
    assert gold.read_bytes() == before


def test_conflicts_are_reported_not_overwritten(workspace, caplog):
    tmp, _sentences, gold = workspace
    out = tmp / "conflict.csv"
    fill(
        out,
        [
            {
                "id": f"art1:{sentence_key(TEXTS[1])}",
                "article_id": "art1",
                "sent_idx": 1,
                "context_before": "",
                "text": TEXTS[1],
                "context_after": "",
                "label": "",
            },
            {
                "id": f"art1:{sentence_key(TEXTS[4])}",
                "article_id": "art1",
                "sent_idx": 4,
                "context_before": "",
                "text": TEXTS[4],
                "context_after": "",
                "label": "",
            },
        ],
        {TEXTS[1]: "proposed", TEXTS[4]: "none"},
    )
    result = runner.invoke(app, ["annotate", "import", str(out), "--gold", str(gold)])
    assert result.exit_code == 1
    assert "'proposed' conflicts with gold 'rejected'" in caplog.text
    labels = {r["text"]: r["label"] for r in read_gold(gold)}
    assert labels == {TEXTS[1]: "rejected", TEXTS[4]: "none"}


def test_real_news_loop_exports_unlabeled_corpus_sentences_and_imports_stand_off(tmp_path):
    from fixture_corpus import write_corpus

    from pipeline.labeling.standoff import read_standoff, write_standoff

    corpus_dir = tmp_path / "indosum"
    records = write_corpus(corpus_dir, n_articles=4)
    store = tmp_path / "indosum.jsonl"
    write_standoff(store, records[:12])  # the first two articles are labeled
    out = tmp_path / "export.csv"
    args = ["annotate", "export", "--real-news", "--corpus-dir", str(corpus_dir)]
    args += ["--labels", str(store), "--strategy", "random", "--n", "5", "--tag", "round_x"]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 5
    labeled = {(r["article_id"], r["para"], r["sent"]) for r in records[:12]}
    assert all(r["id"].startswith("indosum/") and r["selection"] == "round_x" for r in rows)
    assert {r["article_id"] for r in rows}.isdisjoint({a for a, _, _ in labeled})
    for r in rows:
        r["label"] = "none"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    refused = runner.invoke(app, ["annotate", "import", str(out), "--labels", str(store)])
    assert refused.exit_code == 2
    assert len(read_standoff(store)) == 12

    gold = tmp_path / "gold.jsonl"
    imported = runner.invoke(
        app,
        [
            "annotate",
            "import",
            str(out),
            "--labels",
            str(store),
            "--gold",
            str(gold),
            "--annotator",
            "ana",
        ],
    )
    assert imported.exit_code == 0, imported.output
    stored = read_standoff(store)
    assert len(stored) == 17
    new = [r for r in stored if r["annotator"] == "ana"]
    assert len(new) == 5 and {r["selection"] for r in new} == {"round_x"}
    assert "text" not in store.read_text() and not gold.exists()

    rows[0]["label"] = "proposed"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    conflict = runner.invoke(
        app, ["annotate", "import", str(out), "--labels", str(store), "--annotator", "bo"]
    )
    assert conflict.exit_code == 1
    assert [r["label"] for r in read_standoff(store) if r["annotator"] == "ana"].count("none") == 5


def test_label_studio_tasks_round_trip(workspace, tmp_path):
    from pipeline.labeling.label_studio import FROM_NAME

    tmp, sentences, gold = workspace
    tasks_file = tmp / "tasks.json"
    result = runner.invoke(
        app,
        [
            *("annotate", "export", "-o", str(tasks_file), "--format", "label-studio"),
            *("--sentences", str(sentences), "--gold", str(gold), "--model", str(tmp / "none")),
        ],
    )
    assert result.exit_code == 0, result.output
    tasks = json.loads(tasks_file.read_text())
    assert {t["data"]["text"] for t in tasks} == set(TEXTS) - {TEXTS[1]}
    config = tasks_file.with_suffix(".label_config.xml").read_text()
    assert f'<Choices name="{FROM_NAME}"' in config and '<Choice value="conditional"/>' in config
    for task in tasks:  # what Label Studio's JSON export adds: the annotator's choice
        choice = "proposed" if task["data"]["text"] == TEXTS[0] else "none"
        value = {"choices": [choice]}
        result = {"from_name": FROM_NAME, "to_name": "text", "type": "choices", "value": value}
        task["annotations"] = [{"id": 1, "was_cancelled": False, "result": [result]}]
    exported = tmp / "export.json"
    exported.write_text(json.dumps(tasks))
    result = runner.invoke(app, ["annotate", "import", str(exported), "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    labels = {r["text"]: r["label"] for r in read_gold(gold)}
    assert labels[TEXTS[0]] == "proposed" and labels[TEXTS[1]] == "rejected"
    assert len(labels) == len(TEXTS)


def test_label_studio_tasks_carry_the_models_prediction(workspace, tmp_path):
    from tiny_model import make_baseline_dir

    tmp, sentences, gold = workspace
    model = make_baseline_dir(tmp_path / "model", label_names())
    out = tmp / "tasks.json"
    args = ["--sentences", str(sentences), "--gold", str(gold), "--model", str(model)]
    result = runner.invoke(
        app, ["annotate", "export", "-o", str(out), "--format", "label-studio", *args]
    )
    assert result.exit_code == 0, result.output
    predictions = [t["predictions"][0] for t in json.loads(out.read_text())]
    assert all(p["result"][0]["value"]["choices"][0] in set(label_names()) for p in predictions)
    assert all(0 < p["score"] <= 1 for p in predictions)


def test_seed_fixes_the_random_pick(workspace):
    tmp, sentences, gold = workspace
    picks = {
        seed: [r["text"] for r in export(tmp, sentences, gold, "--n", "2", "--seed", seed)[1]]
        for seed in ("1", "2", "3", "4")
    }
    again = [r["text"] for r in export(tmp, sentences, gold, "--n", "2", "--seed", "1")[1]]
    assert again == picks["1"]  # same seed, same sentences
    assert len({tuple(p) for p in picks.values()}) > 1  # other seeds pick others


def test_add_copies_articles_into_the_folder_given_by_to(tmp_path, monkeypatch):
    from pipeline import config

    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setattr(config, "RAW_DIR", raw)
    new = tmp_path / "incoming" / "baru.txt"
    new.parent.mkdir()
    new.write_text("Judul\n\nRusia menawarkan kerja sama.\n", encoding="utf-8")
    result = runner.invoke(app, ["annotate", "add", str(new), "--to", str(raw / "batch-7")])
    assert result.exit_code == 0, result.output
    assert (raw / "batch-7" / "baru.txt").read_text(encoding="utf-8") == new.read_text(
        encoding="utf-8"
    )


def test_verbose_turns_on_debug_logs(workspace):
    import logging

    tmp, sentences, gold = workspace
    stance = logging.getLogger("stance")
    try:
        out = tmp / "v.csv"
        args = ["annotate", "export", "-o", str(out), "--sentences", str(sentences)]
        result = runner.invoke(app, ["--verbose", *args, "--gold", str(gold)])
        assert result.exit_code == 0, result.output
        assert stance.getEffectiveLevel() == logging.DEBUG
        runner.invoke(app, [*args, "--gold", str(gold)])
        assert stance.getEffectiveLevel() > logging.DEBUG  # quiet by default
    finally:
        from pipeline.logs import configure_logging

        configure_logging()
