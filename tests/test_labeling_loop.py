"""The labeling loop on new articles, end to end: add -> split -> export -> fill -> import -> repro."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
NEW_ARTICLE = (
    "Jepang Tawarkan Latihan Bersama\n\n"
    "TOKYO, (Kabar Asia) - Jepang menawarkan latihan militer bersama kepada Filipina, "
    "Senin (4/3/2024). Manila belum menanggapi tawaran itu. Cuaca di Tokyo cerah.\n"
)


def run(cmd: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{cmd}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def stance(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", *args]


def test_new_articles_can_be_added_labeled_and_joined(fixture_pipeline, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(fixture_pipeline.root, repo, symlinks=True)
    env = {**fixture_pipeline.env, "STANCE_PROJECT_ROOT": str(repo)}
    labeled_before = len((repo / "data/processed/labeled.jsonl").read_text().splitlines())
    new = tmp_path / "new" / "n001_jepang-latihan.txt"
    new.parent.mkdir()
    new.write_text(NEW_ARTICLE, encoding="utf-8")

    run(stance("annotate", "add", str(new)), repo, env)
    assert (repo / "data/raw/added/n001_jepang-latihan.txt").read_text() == NEW_ARTICLE
    run(["dvc", "repro", "split_sentences"], repo, env)
    todo = tmp_path / "todo.csv"
    run(stance("annotate", "export", "-o", str(todo), "--n", "100000"), repo, env)
    with open(todo, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    mine = [r for r in rows if r["article_id"] == "n001_jepang-latihan"]
    assert len(mine) >= 3
    labels = {"Jepang menawarkan": "proposed", "Manila belum": "none", "Cuaca": "none"}
    for row in mine:
        row["label"] = next((v for k, v in labels.items() if row["text"].startswith(k)), "none")
    with open(todo, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(mine)
    run(stance("annotate", "import", str(todo)), repo, env)
    run(["dvc", "repro"], repo, env)

    labeled = [json.loads(x) for x in (repo / "data/processed/labeled.jsonl").open()]
    assert len(labeled) == labeled_before + len(mine)
    joined = {
        r["text"][:17]: r["label"] for r in labeled if r["article_id"] == "n001_jepang-latihan"
    }
    assert joined["Jepang menawarkan"] == "proposed"
    articles = [json.loads(x) for x in (repo / "data/interim/articles.jsonl").open()]
    added = next(a for a in articles if a["id"] == "n001_jepang-latihan")
    assert (added["date"], added["source"]) == ("2024-03-04", "Kabar Asia")


def test_adding_an_article_id_the_corpus_has_is_refused(fixture_pipeline, tmp_path):
    raw = fixture_pipeline.root / "data" / "raw"
    existing = next(raw.glob("00*.txt"))
    copy = tmp_path / existing.name
    copy.write_bytes(existing.read_bytes())
    result = subprocess.run(
        stance("annotate", "add", str(copy)),
        cwd=fixture_pipeline.root,
        env={**fixture_pipeline.env, "STANCE_PROJECT_ROOT": str(fixture_pipeline.root)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "already holds article ids" in result.stderr
    assert not (raw / "added" / existing.name).exists()
