"""A temporary copy of the repository with a tiny corpus and a tiny BERT, after `dvc repro`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from fixture_corpus import write_corpus

from pipeline.config import PROJECT_ROOT
from pipeline.labeling.standoff import write_standoff

from tiny_model import make_tiny_model

# A small but real corpus: the samples plus authored articles of every kind.
FIXTURE_ARTICLES = (
    "000_",
    "001_",
    "002_",
    "003_",
    "004_",
    "a001_",
    "a004_",
    "a010_",
    "a021_",
    "a033_",
    "a036_",
    "a041_",
    "a045_",
    "a061_",
    "a064_",
    "a070_",
    "a074_",
    "a076_",
)


@dataclass
class FixturePipeline:
    """Where the copy lives, the environment to run in it, and the first repro's output."""

    root: Path
    env: dict
    output: str


def build_fixture_pipeline(root: Path, tiny_dir: Path) -> FixturePipeline:
    """Copy the repo, swap in the fixture corpus and a tiny model, commit, `dvc repro`."""
    _copy_repository(root)
    _write_fixture_corpus(root)
    texts = [line for p in (root / "data/raw").glob("*.txt") for line in p.read_text().split("\n")]
    tiny = make_tiny_model([t for t in texts if t.strip()], tiny_dir)
    params_file = root / "configs" / "params.yaml"
    params = yaml.safe_load(params_file.read_text())
    params["model"]["name"] = str(tiny)
    params["real_news"]["corpus_dir"] = str(_write_fixture_real_news(root, tiny_dir.parent))
    params["train"].update(epochs=2, batch_size=8, max_length=48, learning_rate=1e-3)
    params_file.write_text(yaml.safe_dump(params, sort_keys=False))
    env = {
        **os.environ,
        "PATH": f"{Path(sys.prefix) / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "TOKENIZERS_PARALLELISM": "false",
    }
    env.pop("MLFLOW_TRACKING_URI", None)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "fixture"]):
        subprocess.run(cmd, cwd=root, env=env, check=True, capture_output=True)
    result = subprocess.run(
        ["dvc", "repro"], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0:
        raise RuntimeError(f"dvc repro failed:\n{result.stdout}\n{result.stderr}")
    return FixturePipeline(root, env, result.stdout + result.stderr)


def _copy_repository(dest: Path) -> None:
    """Tracked and untracked-but-not-ignored files, as a fresh clone would have them."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for rel in filter(None, listed):
        src = PROJECT_ROOT / rel
        if src.is_file() and not rel.startswith(("data/raw/", "data/labels/", "dvc.lock")):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def _write_fixture_real_news(repo: Path, scratch: Path) -> Path:
    """A tiny IndoSum-format corpus outside the repository, and stand-off labels over it."""
    corpus_dir = scratch / "fixture-indosum"
    records = write_corpus(corpus_dir)
    write_standoff(repo / "data/labels/indosum.jsonl", records)
    second = [
        {**r, "annotator": "fixture-second", "first_label": r["label"], "first_annotator": "x"}
        for r in records[:12]
    ]
    second[0]["label"] = "none" if second[0]["first_label"] != "none" else "proposed"
    with open(repo / "data/labels/indosum_second_pass.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in second)
    return corpus_dir


def _write_fixture_corpus(repo: Path) -> None:
    raw = repo / "data" / "raw"
    raw.mkdir(parents=True)
    chosen = set()
    for prefix in FIXTURE_ARTICLES:
        (src,) = (PROJECT_ROOT / "data" / "raw").rglob(f"{prefix}*.txt")
        shutil.copy2(src, raw / src.name)
        chosen.add(src.stem)
    gold = [json.loads(line) for line in (PROJECT_ROOT / "data/labels/gold.jsonl").open()]
    (repo / "data" / "labels").mkdir(parents=True)
    with open(repo / "data/labels/gold.jsonl", "w", encoding="utf-8") as fh:
        for row in gold:
            if row["article_id"] in chosen:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
