"""The `stance` command line keeps the ecosystem's manners: choices, ranges, version, examples."""

from __future__ import annotations

import logging
from importlib.metadata import version

import pytest
from typer.testing import CliRunner

from pipeline import cli
from pipeline.errors import BadInput
from pipeline.progress import Progress
from pipeline.tracking import scoring_model
from pipeline.tracking.scoring_model import model_ref

runner = CliRunner()


def test_version():
    result = runner.invoke(cli.app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"stance {version('stance-pipeline')}"


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "xlsx"],
        ["--batch-size", "0"],
        ["--chunk-size", "0"],
        ["--quantize", "int4"],
        ["--max-sentence-chars", "10"],
    ],
)
def test_bad_options_are_usage_errors_without_traceback(args, tmp_path):
    result = runner.invoke(cli.app, ["score", str(tmp_path), "-o", str(tmp_path / "o"), *args])
    assert result.exit_code == 2
    assert "Invalid value" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["split"],
        ["score"],
        ["promote"],
        ["annotate", "export"],
        ["annotate", "import"],
        ["annotate", "add"],
    ],
)
def test_every_command_help_has_an_example(command):
    result = runner.invoke(cli.app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0 and "Example" in result.output


def test_the_default_model_is_found_from_anywhere_in_the_project(tmp_path, monkeypatch):
    (tmp_path / "models" / "champion").mkdir(parents=True)
    monkeypatch.setattr(scoring_model, "PROJECT_ROOT", tmp_path)
    elsewhere = tmp_path / "notebooks"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert model_ref("models/champion") == str(tmp_path / "models" / "champion")
    assert model_ref("models:/stance-classifier@champion").startswith("models:/")
    with pytest.raises(BadInput, match="run `make repro`"):
        model_ref("models/nothing")


def test_progress_logs_a_total_and_an_eta_when_not_on_a_terminal(caplog):
    with (
        caplog.at_level(logging.INFO, logger="stance"),
        Progress("scoring", 200, "article", every_s=0) as bar,
    ):
        bar.update(50)
    assert "scoring: 50 of 200 articles (25%)" in caplog.text and "s left" in caplog.text
