"""`stance score`: tables, formats, bad input, refusing to clobber, and resuming after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import PROJECT_ROOT, label_names
from pipeline.io import write_json
from pipeline.modeling.model_info import MODEL_INFO_FILE as MODEL_INFO
from pipeline.tracking.runs import git_commit

from tiny_model import make_baseline_dir, make_tiny_model, tiny_rows

runner = CliRunner()
NAMES = label_names()  # configs/labels.yaml, the one list
ARTICLE = (
    "Jepang Tolak Kerja Sama\n\nJAKARTA - Jepang menolak kerja sama pertahanan dengan "
    "mitra. Korea mengusulkan kerja sama pertahanan dengan mitra.\n\n"
    "Hujan deras turun di ibu kota Korea pagi ini."
)


@pytest.fixture(scope="module")
def baseline_dir(tmp_path_factory):
    return make_baseline_dir(tmp_path_factory.mktemp("baseline"), NAMES)


@pytest.fixture(scope="module")
def transformer_dir(tmp_path_factory):
    """A tiny (untrained) classifier saved like a fine-tuned model, for the kill test."""
    from transformers import AutoModelForSequenceClassification

    tiny = make_tiny_model([r["text"] for r in tiny_rows(10)], tmp_path_factory.mktemp("tiny"))
    model = AutoModelForSequenceClassification.from_pretrained(
        tiny, num_labels=4, id2label=dict(enumerate(NAMES))
    )
    model.save_pretrained(tiny)
    write_json(
        tiny / MODEL_INFO,
        {
            "kind": "transformer",
            "model_source": "local",
            "checkpoint": "tiny",
            "label_names": NAMES,
        },
    )
    return tiny


def write_articles(path: Path, n: int, bad_line: int | None = None) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            if i == bad_line:
                fh.write('{"id": "broken", "text": \n')
            else:
                fh.write(json.dumps({"id": f"art{i:04d}", "text": ARTICLE}) + "\n")
    return path


def score(*args: str):
    return runner.invoke(app, ["score", *args])


def test_writes_sentence_and_article_tables(tmp_path, baseline_dir):
    inp = write_articles(tmp_path / "in.jsonl", 3)
    out = tmp_path / "out"
    result = score(str(inp), "-o", str(out), "--model", str(baseline_dir))
    assert result.exit_code == 0, result.output
    sentences = pd.read_json(out / "sentences.jsonl", lines=True)
    assert list(sentences.columns) == [
        "article_id",
        "sent_idx",
        "text",
        "start",
        "end",
        "cut",
        "label",
        "confidence",
        *(f"p_{n}" for n in NAMES),
    ]
    assert len(sentences) == 3 * 4
    first = sentences[sentences.article_id == "art0000"]
    assert list(first.label) == ["rejected", "rejected", "proposed", "none"]
    articles = pd.read_json(out / "articles.jsonl", lines=True)
    row = articles.iloc[0]
    assert (row.n_sentences, row.n_rejected, row.dominant_stance) == (4, 2, "rejected")
    assert row.share_rejected == 0.5 and row.model_source == "baseline"
    assert row.model == f"{baseline_dir}@{git_commit()}"  # the folder, pinned to the commit
    run = json.loads((out / "run.json").read_text())
    assert run["counts"] == {"articles": 3, "sentences": 12, "rejected": 0}
    assert not (out / ".work").exists()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_other_formats_hold_the_same_rows(tmp_path, baseline_dir, fmt):
    inp = write_articles(tmp_path / "in.jsonl", 2)
    score(str(inp), "-o", str(tmp_path / "a"), "--model", str(baseline_dir))
    result = score(
        str(inp), "-o", str(tmp_path / "b"), "--model", str(baseline_dir), "--format", fmt
    )
    assert result.exit_code == 0, result.output
    reference = pd.read_json(tmp_path / "a/sentences.jsonl", lines=True)
    reader = pd.read_csv if fmt == "csv" else pd.read_parquet
    other = reader(tmp_path / f"b/sentences.{fmt}")
    pd.testing.assert_frame_equal(reference, other, check_dtype=False)


def test_no_split_scores_each_record_as_one_sentence(tmp_path, baseline_dir):
    inp = tmp_path / "s.csv"
    inp.write_text(
        "id,text\ns1,Jepang menolak kerja sama pertahanan dengan mitra. Lagi.\n", encoding="utf-8"
    )
    result = score(str(inp), "-o", str(tmp_path / "o"), "--model", str(baseline_dir), "--no-split")
    assert result.exit_code == 0, result.output
    (row,) = pd.read_json(tmp_path / "o/sentences.jsonl", lines=True).to_dict("records")
    assert (row["article_id"], row["sent_idx"], row["start"]) == ("s1", 0, 0)
    assert row["text"] == "Jepang menolak kerja sama pertahanan dengan mitra. Lagi."


def test_bad_input_stops_before_writing_unless_skip_bad(tmp_path, baseline_dir, caplog):
    inp = write_articles(tmp_path / "in.jsonl", 4, bad_line=2)
    out = tmp_path / "out"
    result = score(str(inp), "-o", str(out), "--model", str(baseline_dir))
    assert result.exit_code == 2
    assert f"{inp}:3: line is not valid JSON" in caplog.text
    assert not (out / "sentences.jsonl").exists() and not (out / "run.json").exists()
    result = score(
        str(inp), "-o", str(out), "--model", str(baseline_dir), "--skip-bad", "--overwrite"
    )
    assert result.exit_code == 0, result.output
    (bad,) = [json.loads(line) for line in (out / "rejected.jsonl").read_text().splitlines()]
    assert (bad["file"], bad["line"]) == (str(inp), 3) and "not valid JSON" in bad["reason"]
    assert pd.read_json(out / "articles.jsonl", lines=True).article_id.tolist() == [
        "art0000",
        "art0001",
        "art0003",
    ]


def test_existing_results_are_refused_without_resume_or_overwrite(tmp_path, baseline_dir, caplog):
    inp = write_articles(tmp_path / "in.jsonl", 2)
    out = tmp_path / "out"
    assert score(str(inp), "-o", str(out), "--model", str(baseline_dir)).exit_code == 0
    before = (out / "sentences.jsonl").read_bytes()
    result = score(str(inp), "-o", str(out), "--model", str(baseline_dir), "--format", "csv")
    assert result.exit_code == 2 and "--resume" in caplog.text
    assert (out / "sentences.jsonl").read_bytes() == before
    assert not (out / "sentences.csv").exists()


def test_run_record_follows_input_bytes_not_timestamps(tmp_path, baseline_dir):
    inp = write_articles(tmp_path / "in.jsonl", 2)
    runs = []
    for name, mtime in (("first", 1_600_000_000), ("touched", 1_700_000_000)):
        os.utime(inp, (mtime, mtime))
        assert (
            score(str(inp), "-o", str(tmp_path / name), "--model", str(baseline_dir)).exit_code == 0
        )
        runs.append((tmp_path / name / "run.json").read_bytes())
    assert runs[0] == runs[1]
    inp.write_text(inp.read_text().replace("art0001", "art0009"))  # same size
    os.utime(inp, (1_700_000_000, 1_700_000_000))
    assert (
        score(str(inp), "-o", str(tmp_path / "edited"), "--model", str(baseline_dir)).exit_code == 0
    )
    fingerprint = json.loads((tmp_path / "edited" / "run.json").read_text())["inputs_fingerprint"]
    assert fingerprint != json.loads(runs[0])["inputs_fingerprint"]


def test_killed_run_resumes_to_identical_output(tmp_path, transformer_dir):
    """SIGKILL a real `stance score` process mid-run, resume it, compare with a clean run."""
    inp = write_articles(tmp_path / "in.jsonl", 2000)
    common = ["--model", str(transformer_dir), "--batch-size", "8", "--chunk-size", "5"]
    cmd = [sys.executable, "-m", "pipeline.cli", "score", str(inp), *common]
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false"}
    subprocess.run(
        [*cmd, "-o", str(tmp_path / "clean")],
        check=True,
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
    )
    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [*cmd, "-o", str(killed)],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while not (killed / ".work" / "part-00002.articles.jsonl").exists():
        assert proc.poll() is None and time.time() < deadline, "run ended before it was killed"
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (killed / "sentences.jsonl").exists()
    # --chunk-size 5 reaches the scorer: each resumable part holds 5 articles (default 200)
    parts = sorted((killed / ".work").glob("part-*.articles.jsonl"))
    assert len(parts) >= 3
    assert [len(p.read_text().splitlines()) for p in parts[:3]] == [5, 5, 5]
    resumed = subprocess.run(
        [*cmd, "-o", str(killed), "--resume"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert resumed.returncode == 0, resumed.stderr
    for name in ("sentences.jsonl", "articles.jsonl"):
        assert (killed / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()


@pytest.mark.parametrize("verbose", [False, True])
def test_loading_a_transformer_is_quiet_unless_verbose(tmp_path, transformer_dir, verbose):
    inp = write_articles(tmp_path / "in.jsonl", 2)
    flags = ["-v"] if verbose else []
    args = ["score", str(inp), "-o", str(tmp_path / "o"), "--model", str(transformer_dir)]
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *flags, *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "TOKENIZERS_PARALLELISM": "false"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    library_lines = [
        line
        for line in result.stderr.splitlines()
        if " stance" not in line and " pipeline." not in line and line.strip()
    ]
    if verbose:
        assert library_lines  # the libraries' load reports and bars are there when asked for
    else:
        assert library_lines == [], library_lines
