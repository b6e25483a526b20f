"""Stand-off real-news labels: round trip, hash checks, a missing corpus, and the stage's exits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_corpus import write_corpus

from pipeline.config import PROJECT_ROOT, label_names
from pipeline.labeling.gold import LabelError
from pipeline.labeling.standoff import (
    CorpusMissing,
    check_labels,
    read_standoff,
    rebuild,
    write_standoff,
)


@pytest.fixture
def corpus(tmp_path):
    records = write_corpus(tmp_path / "indosum")
    store = tmp_path / "indosum_labels.jsonl"
    write_standoff(store, records)
    return tmp_path / "indosum", store, records


def test_store_round_trips_without_text(corpus):
    folder, store, records = corpus
    rows = read_standoff(store)
    assert [{k: v for k, v in r.items() if k != "_line"} for r in rows] == sorted(
        records, key=lambda r: (r["article_id"], r["para"], r["sent"])
    )
    assert "text" not in store.read_text()
    assert "menawarkan" not in store.read_text()
    rebuilt = rebuild(rows, folder, store)
    assert [r["label"] for r in rebuilt] == [r["label"] for r in rows]
    assert rebuilt[0]["text"].startswith("Kementerian Pertahanan menawarkan kerja sama")


def test_tampered_corpus_sentence_is_named_with_the_fix(corpus):
    folder, store, _ = corpus
    fold = folder / "dev.01.jsonl"
    fold.write_text(fold.read_text().replace('"Hujan"', '"Salju"', 1), encoding="utf-8")
    with pytest.raises(LabelError) as err:
        rebuild(read_standoff(store), folder, store)
    (problem,) = err.value.problems
    assert f"{store}:2:" in problem
    assert "paragraph 0 sentence 1" in problem
    assert "restore the original IndoSum files" in problem


def test_label_whose_sentence_is_gone_is_reported(corpus):
    folder, store, records = corpus
    write_standoff(store, [*records[:3], {**records[3], "para": 9}])
    with pytest.raises(LabelError, match=r"no sentence at fx000-artikel-uji paragraph 9"):
        rebuild(read_standoff(store), folder, store)


def test_missing_corpus_raises_corpus_missing(corpus, tmp_path):
    _, store, _ = corpus
    with pytest.raises(CorpusMissing):
        rebuild(read_standoff(store), tmp_path / "nowhere", store)


def test_unknown_label_and_double_labels_are_errors(corpus):
    _, store, records = corpus
    bad = [{**records[0], "label": "maybe"}, records[1], {**records[1], "label": "none"}]
    write_jsonl_raw(store, bad)
    with pytest.raises(LabelError) as err:
        check_labels(read_standoff(store), label_names(), store)
    assert any("unknown label 'maybe'" in p for p in err.value.problems)
    assert any("second label for" in p and "line 2" in p for p in err.value.problems)


def write_jsonl_raw(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def run_stage(tmp_path: Path, store: Path, corpus_dir: Path) -> subprocess.CompletedProcess:
    params = tmp_path / "root" / "configs"
    params.mkdir(parents=True)
    (params / "params.yaml").write_text(f"real_news:\n  corpus_dir: {corpus_dir}\n")
    (params / "labels.yaml").write_text((PROJECT_ROOT / "configs/labels.yaml").read_text())
    env = {"STANCE_PROJECT_ROOT": str(tmp_path / "root"), "PATH": "/usr/bin:/bin"}
    out = tmp_path / "out"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline.stages.real_news",
            str(store),
            str(out / "rn.jsonl"),
            str(out / "status.json"),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_stage_without_corpus_goes_on_loudly(corpus, tmp_path):
    _, store, _ = corpus
    result = run_stage(tmp_path, store, tmp_path / "absent")
    assert result.returncode == 0, result.stderr
    assert "REAL-NEWS DATA ABSENT" in result.stderr
    status = json.loads((tmp_path / "out/status.json").read_text())
    assert status["available"] is False and status["sentences"] == 0
    assert (tmp_path / "out/rn.jsonl").read_text() == ""


def test_stage_with_tampered_corpus_exits_2_and_writes_nothing(corpus, tmp_path):
    folder, store, _ = corpus
    fold = folder / "dev.01.jsonl"
    fold.write_text(fold.read_text().replace('"Hujan"', '"Salju"'), encoding="utf-8")
    result = run_stage(tmp_path, store, folder)
    assert result.returncode == 2
    assert "hash" in result.stderr and "restore the original IndoSum files" in result.stderr
    assert not (tmp_path / "out").exists()


def test_stage_rebuilds_labeled_sentences(corpus, tmp_path):
    folder, store, records = corpus
    result = run_stage(tmp_path, store, folder)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in (tmp_path / "out/rn.jsonl").open()]
    assert len(rows) == len(records)
    status = json.loads((tmp_path / "out/status.json").read_text())
    assert status["available"] is True
    n = len(records) // 6
    assert status["labels"] == {"conditional": n, "none": 3 * n, "proposed": n, "rejected": n}
