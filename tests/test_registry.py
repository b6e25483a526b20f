"""The registry: a version per champion content; @champion moves only for committed inputs."""

from __future__ import annotations

import mlflow
import pytest
from mlflow import MlflowClient

from pipeline.errors import BadInput
from pipeline.tracking import registry
from pipeline.tracking.runs import CHAMPION_ALIAS, REGISTERED_MODEL


class Echo(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        return model_input


@pytest.fixture
def client(tmp_path, monkeypatch):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    mlflow.set_tracking_uri(uri)
    experiment = mlflow.create_experiment("t", artifact_location=(tmp_path / "a").as_uri())
    with mlflow.start_run(experiment_id=experiment):
        logged = mlflow.pyfunc.log_model(name="m", python_model=Echo())
    return MlflowClient(), logged.model_uri


def register(client_and_uri, fingerprint, committed, monkeypatch):
    client, uri = client_and_uri
    monkeypatch.setattr(registry, "committed_inputs", lambda: committed)
    return registry.register_champion(client, uri, fingerprint, "# card", {"git_commit": "abc"})


def test_a_version_per_content_and_the_alias_by_commit_state(client, monkeypatch):
    assert register(client, "fp1", True, monkeypatch) == ("1", CHAMPION_ALIAS)
    assert register(client, "fp1", True, monkeypatch) == ("1", CHAMPION_ALIAS)  # same content
    assert register(client, "fp2", False, monkeypatch) == ("2", registry.CANDIDATE_ALIAS)
    mlflow_client = client[0]
    assert (
        str(mlflow_client.get_model_version_by_alias(REGISTERED_MODEL, CHAMPION_ALIAS).version)
        == "1"
    )
    version = mlflow_client.get_model_version(REGISTERED_MODEL, "2")
    assert version.description == "# card" and version.tags["champion_fingerprint"] == "fp2"
    assert registry.promote(mlflow_client) == "2"
    assert (
        str(mlflow_client.get_model_version_by_alias(REGISTERED_MODEL, CHAMPION_ALIAS).version)
        == "2"
    )
    assert registry.promote(mlflow_client, "1") == "1"


def test_promote_without_a_candidate_says_what_to_do(client):
    with pytest.raises(BadInput, match="name the version to promote"):
        registry.promote(client[0])


def test_an_experiment_is_never_committed(monkeypatch):
    monkeypatch.setenv("DVC_EXP_NAME", "lr-sweep")
    assert registry.committed_inputs() is False
    assert registry.run_name() == "lr-sweep"
