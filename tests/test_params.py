"""Every params section is parsed by one strict mechanism that names the file, the key and the fix."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from pipeline.config import PARAMS_FILE, PROJECT_ROOT
from pipeline.modeling.baseline import BaselineParams
from pipeline.params import (
    ModelParams,
    ParamsError,
    PartitionParams,
    ScoreParams,
    SentencesParams,
    load_section,
    parse_params,
)
from pipeline.params_doc import SECTIONS


@pytest.mark.parametrize("cls", SECTIONS, ids=lambda c: c.SECTION)
def test_the_shipped_params_parse_to_the_values_written(cls):
    """Every value in configs/params.yaml arrives in the typed section unchanged."""
    written = yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))[cls.SECTION]
    parsed = dataclasses.asdict(load_section(cls))

    def same(a, b) -> bool:
        if isinstance(a, dict):
            return all(same(v, b[k]) for k, v in a.items())
        if isinstance(a, list | tuple):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        return a == pytest.approx(b) if isinstance(a, float) else a == b

    assert same(written, parsed), (written, parsed)


@pytest.mark.parametrize(
    ("cls", "values", "message"),
    [
        (ModelParams, {"allow_packaged": "false"}, "`model.allow_packaged` must be true or false"),
        (SentencesParams, {"clean": "false"}, "`sentences.clean` must be true or false"),
        (ScoreParams, {"skip_bad": "false"}, "`score.skip_bad` must be true or false"),
        (PartitionParams, {"sed": 3}, "unknown key `partition.sed`; `partition` takes seed"),
        (PartitionParams, {"real_news": {"sed": 3}}, "unknown key `partition.real_news.sed`"),
        (BaselineParams, {"Cc": 1.0}, "unknown key `baseline.Cc`"),
        (BaselineParams, {"C": -1.0}, "C > 0"),
        (ScoreParams, {"format": "xlsx"}, "`score.format` must be one of jsonl | csv | parquet"),
        (PartitionParams, {"train": 0.9}, "sum to 1"),
    ],
)
def test_bad_values_name_the_file_and_key(cls, values, message, tmp_path):
    source = tmp_path / "params.yaml"
    with pytest.raises(ParamsError) as caught:
        parse_params(cls, values, cls.SECTION, source)
    assert message in str(caught.value)
    assert str(source) in str(caught.value)


def test_yaml_exponent_strings_are_numbers():
    assert parse_params(BaselineParams, {"C": "1e-2"}, "baseline").C == 0.01


def test_a_stage_with_a_typo_exits_2_with_one_line(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / "configs", root / "configs")
    params = root / "configs" / "params.yaml"
    params.write_text(
        params.read_text(encoding="utf-8").replace("  clean: true", "  claen: true"),
        encoding="utf-8",
    )
    (root / "raw").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.stages.split_sentences", "raw", "a.jsonl", "s.jsonl"],
        cwd=root,
        env={**os.environ, "STANCE_PROJECT_ROOT": str(root), "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2, result.stderr
    assert "unknown key `sentences.claen`" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "s.jsonl").exists()
