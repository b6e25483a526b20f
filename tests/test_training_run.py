"""The run that watches training is adopted by `track` once; the UI's saved headline view."""

from __future__ import annotations

import json
import time

import mlflow
import pytest
from mlflow import MlflowClient

from pipeline.tracking import training_run
from pipeline.tracking.runs import EXPERIMENT, ensure_experiment
from pipeline.tracking.ui_view import HEADLINE_COLUMNS, VIEW_TAG, headline_view, runs_url


@pytest.fixture
def store(tmp_path, monkeypatch):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    mlflow.set_tracking_uri(uri)
    return MlflowClient(tracking_uri=uri)


def test_live_run_records_system_metrics_and_is_adopted_once(store, tmp_path, monkeypatch):
    monkeypatch.setattr(training_run, "SYSTEM_METRICS_EVERY_S", 1)
    with training_run.live_training_run("transformer", {"model_source": "local"}) as run_id:
        mlflow.log_metric("loss", 1.0, step=1)
        deadline = time.monotonic() + 30  # wait for the sampler's first system metrics
        while not any(k.startswith("system/") for k in store.get_run(run_id).data.metrics):
            assert time.monotonic() < deadline, "no system metrics within 30 s"
            time.sleep(0.1)
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    assert training_run.adoptable_run(store, model_dir) is None  # no record yet
    training_run.write_training_run(model_dir, run_id)
    run = store.get_run(run_id)
    assert run.data.tags["stage"] == "train_transformer"
    assert store.get_experiment(run.info.experiment_id).name == EXPERIMENT
    assert any(k.startswith("system/") for k in run.data.metrics)
    assert training_run.adoptable_run(store, model_dir) == run_id
    store.set_tag(run_id, training_run.PARENT_RUN_TAG, "a-parent")
    assert training_run.adoptable_run(store, model_dir) is None  # a rerun of track makes its own


def test_a_run_from_another_store_is_not_adopted(store, tmp_path):
    (tmp_path / "model.run.json").write_text(json.dumps({"run_id": "0" * 32}))
    assert training_run.adoptable_run(store, tmp_path / "model") is None


def test_the_record_sits_beside_the_model_and_may_say_no_run(store, tmp_path):
    model_dir = tmp_path / "transformer"
    model_dir.mkdir()
    training_run.write_training_run(model_dir, None)
    assert list(model_dir.iterdir()) == []  # the model folder's bytes stay the model's
    assert json.loads((tmp_path / "transformer.run.json").read_text()) == {"run_id": None}
    assert training_run.adoptable_run(store, model_dir) is None


def test_the_headline_view_is_set_once_and_repaired(store):
    experiment_id = ensure_experiment(store)
    tag = store.get_experiment(experiment_id).tags[VIEW_TAG]
    envelope = json.loads(tag)
    assert envelope["name"] == "Headline metrics"
    assert json.loads(envelope["state"])["selectedColumns"] == list(HEADLINE_COLUMNS)
    ensure_experiment(store)
    assert store.get_experiment(experiment_id).tags[VIEW_TAG] == tag  # unchanged: not rewritten
    store.set_experiment_tag(experiment_id, VIEW_TAG, headline_view().replace("champion", "x"))
    ensure_experiment(store)
    repaired = json.loads(store.get_experiment(experiment_id).tags[VIEW_TAG])["state"]
    assert repaired == envelope["state"]


def test_the_ui_address_opens_model_training_with_the_view():
    url = runs_url("http://127.0.0.1:5000/", "3")
    assert url.startswith("http://127.0.0.1:5000/#/experiments/3/runs?")
    assert "workflowType=machine_learning" in url and "viewStateShareKey=headline" in url
