"""Benchmarks skip cleanly, with a message, when their data is absent."""

import os
import subprocess
import sys

import pytest

from pipeline.config import PROJECT_ROOT


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("split_quality.py", "skipped"),
        ("train_speed.py", "skipped"),
        ("score_throughput.py", "skipped"),
        ("finetune_recipe.py", "skipped"),
        ("active_learning_curve.py", "skipped"),
        ("real_news_vs_rules.py", "skipped"),
        ("self_training.py", "skipped"),
    ],
)
def test_benchmark_skips_without_its_data(tmp_path, script, message):
    """With the project root moved to an empty folder there is no ../shared and no outputs."""
    empty = tmp_path / "project"
    (empty / "configs").mkdir(parents=True)
    (empty / "configs" / "params.yaml").write_text(
        (PROJECT_ROOT / "configs" / "params.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (empty / "configs" / "labels.yaml").write_text(
        (PROJECT_ROOT / "configs" / "labels.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / script)],
        cwd=empty,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "STANCE_PROJECT_ROOT": str(empty)},
    )
    assert result.returncode == 0, result.stderr
    assert message in result.stderr
