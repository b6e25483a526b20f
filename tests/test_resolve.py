"""Resolving model.name to local / cache / hub / fallback, offline and fast."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from typer.testing import CliRunner

from pipeline.modeling import resolve
from pipeline.modeling.resolve import Resolved, WeightsUnavailable, resolve_model
from pipeline.params import parse_params
from pipeline.stages import resolve_model as stage

COMMIT = "0123456789abcdef0123456789abcdef01234567"
UNKNOWN = "nobody-here/no-such-model"


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """No hub, and an empty private HF cache."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path / "hf-cache"))


def test_local_folder_with_config(tmp_path):
    model = tmp_path / "indobert"
    model.mkdir()
    (model / "config.json").write_text("{}")
    found = resolve_model(str(model), "main", allow_fallback=False)
    assert (found.source, found.path) == ("local", str(model.resolve()))
    assert found.resolved_revision.startswith("local-")
    (model / "config.json").write_text('{"changed": 1}')
    assert resolve_model(str(model)).resolved_revision != found.resolved_revision


def test_cached_snapshot_gives_its_commit(tmp_path):
    repo = tmp_path / "hf-cache" / "models--someone--tiny-bert"
    (repo / "snapshots" / COMMIT).mkdir(parents=True)
    (repo / "snapshots" / COMMIT / "config.json").write_text("{}")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(COMMIT)
    found = resolve_model("someone/tiny-bert", "main")
    assert (found.source, found.resolved_revision) == ("cache", COMMIT)
    assert Path(found.path).name == COMMIT


def test_hub_records_sha(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setattr(
        "huggingface_hub.HfApi.model_info", lambda self, *a, **k: SimpleNamespace(sha=COMMIT)
    )
    found = resolve_model("someone/on-the-hub", "main")
    assert (found.source, found.path, found.resolved_revision) == ("hub", None, COMMIT)


def test_unknown_id_offline_falls_back(caplog):
    found = resolve_model(UNKNOWN, "main", allow_fallback=True)
    assert found == Resolved(UNKNOWN, "main", "fallback", None, None)
    assert "FALLBACK" in caplog.text


def test_unknown_id_without_fallback_says_how_to_supply_weights():
    with pytest.raises(WeightsUnavailable) as err:
        resolve_model("indobenchmark/indobert-base-p1", "main", allow_fallback=False)
    message = str(err.value)
    assert "model.name: /path/to/indobert" in message
    assert "huggingface-cli download indobenchmark/indobert-base-p1" in message


def test_missing_local_path_is_not_a_hub_id():
    with pytest.raises(WeightsUnavailable, match="indobenchmark/indobert-base-p1"):
        resolve_model("/no/such/folder", None)


def run_stage(monkeypatch, out: Path, **params) -> object:
    monkeypatch.setattr(stage, "load_section", lambda cls: parse_params(cls, params, "model"))
    app = typer.Typer()
    app.command()(stage.main)
    return CliRunner().invoke(app, [str(out)])


def test_stage_writes_only_availability_fields(monkeypatch, tmp_path):
    out = tmp_path / "resolved.json"
    result = run_stage(monkeypatch, out, name=UNKNOWN, revision="main", allow_fallback=True)
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text())
    assert written == {
        "name": UNKNOWN,
        "requested_revision": "main",
        "source": "fallback",
        "path": None,
        "resolved_revision": None,
    }
    assert Resolved.from_json(written).source == "fallback"


def test_a_repeated_fallback_says_so_in_one_line(monkeypatch, tmp_path, caplog):
    out = tmp_path / "resolved.json"
    with caplog.at_level(logging.INFO):
        run_stage(monkeypatch, out, name=UNKNOWN, revision="main", allow_fallback=True)
        assert caplog.text.count("NO WEIGHTS") == 1
        caplog.clear()
        run_stage(monkeypatch, out, name=UNKNOWN, revision="main", allow_fallback=True)
    assert "NO WEIGHTS" not in caplog.text and "still the fallback" in caplog.text


def test_stage_fails_without_fallback(monkeypatch, tmp_path):
    out = tmp_path / "resolved.json"
    result = run_stage(monkeypatch, out, name=UNKNOWN, revision="main", allow_fallback=False)
    assert result.exit_code != 0
    assert not out.exists()


def test_offline_flag_detection(monkeypatch):
    assert resolve.hub_offline()
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    assert not resolve.hub_offline()
