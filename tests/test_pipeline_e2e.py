"""`dvc repro` end to end in a temporary copy of the repository, on a tiny fixture corpus.

The transformer is a tiny BERT the test saves to a folder and names as `model.name`, so it
goes through the same resolve -> from_pretrained path as IndoBERT does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from pipeline.config import label_names
from pipeline.evaluation.metrics import expected_calibration_error

pytestmark = pytest.mark.slow
LABELS = label_names()  # configs/labels.yaml, the one list
STAGES = (
    "split_sentences",
    "join_labels",
    "real_news",
    "partition",
    "resolve_model",
    "train_baseline",
    "convert_packaged",
    "train_transformer",
    "ensemble",
    "evaluate",
    "select_champion",
    "track",
    "score_incoming",
    "agreement",
)


def run(cmd: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result


def set_params(repo: Path, **sections) -> None:
    path = repo / "configs" / "params.yaml"
    params = yaml.safe_load(path.read_text())
    for section, values in sections.items():
        params[section].update(values)
    path.write_text(yaml.safe_dump(params, sort_keys=False))


def stages_run(output: str) -> set[str]:
    return {s for s in STAGES if f"Running stage '{s}'" in output}


@pytest.fixture
def repo(fixture_pipeline, tmp_path):
    """A private copy of the repro'd fixture (git, DVC cache, MLflow store and all): these
    tests change params and repro, which must not reach the other tests sharing it."""
    root = tmp_path / "repo"
    shutil.copytree(fixture_pipeline.root, root, symlinks=True)
    return root, fixture_pipeline.env, fixture_pipeline.output


def test_every_stage_runs_and_writes_its_outputs(repo):
    path, _, output = repo
    assert stages_run(output) == set(STAGES)
    for out in (
        "data/interim/sentences.jsonl",
        "data/processed/labeled.jsonl",
        "data/processed/partitions/train.jsonl",
        "data/processed/partitions/test.jsonl",
        "models/resolved.json",
        "models/baseline/model_info.json",
        "models/transformer/config.json",
        "models/champion/champion.json",
        "models/champion/MODEL_CARD.md",
        "metrics/metrics.json",
        "plots/baseline/confusion.csv",
        "plots/transformer/per_class_f1.csv",
        "plots/transformer/training.csv",
        "metrics/headline.json",
        "reports/baseline/real_news/errors.csv",
        "reports/baseline/authored/errors.csv",
        "reports/transformer/real_news/confusion_matrix.png",
        "metrics/real_news.json",
        "data/processed/real_news.jsonl",
        "metrics/agreement.json",
        "models/packaged_encoder/packaged_info.json",
        "metrics/mlflow_run.json",
    ):
        assert (path / out).exists(), out
    metrics = json.loads((path / "metrics/metrics.json").read_text())
    headline = json.loads((path / "metrics/headline.json").read_text())
    champion = json.loads((path / "models/champion/champion.json").read_text())["champion"]
    assert headline["champion"] == champion and headline["domain"] == metrics["headline_domain"]
    for model in ("baseline", "transformer", "ensemble"):
        test = metrics[model][headline["domain"]]["test"]
        assert headline[model]["macro_f1"] == test["macro_f1"]
        assert headline[model]["model_source"] == metrics[model]["model_source"]
        confusion = pd.read_csv(path / f"plots/{model}/confusion.csv")
        assert len(confusion) == test["n"]  # each model's file holds its own predictions only
        assert list(confusion.columns) == ["actual", "predicted"]


def test_splits_are_disjoint_by_article_within_and_across_domains(repo):
    path, _, _ = repo
    rows = {
        s: [json.loads(line) for line in (path / f"data/processed/partitions/{s}.jsonl").open()]
        for s in ("train", "validation", "test")
    }
    for domain in ("authored", "real_news"):
        ids = {s: {r["article_id"] for r in rows[s] if r["domain"] == domain} for s in rows}
        assert ids["train"] and ids["validation"] and ids["test"], domain
        assert not (
            ids["train"] & ids["validation"]
            or ids["train"] & ids["test"]
            or ids["validation"] & ids["test"]
        )
    by_domain = {
        d: {r["article_id"] for s in rows for r in rows[s] if r["domain"] == d}
        for d in ("authored", "real_news")
    }
    assert not by_domain["authored"] & by_domain["real_news"]
    assert all(a.startswith("fx") for a in by_domain["real_news"])


def test_metrics_report_real_news_first_then_authored(repo):
    path, _, _ = repo
    metrics = json.loads((path / "metrics/metrics.json").read_text())
    assert metrics["real_news_available"] is True
    assert metrics["headline_domain"] == "real_news"
    splits = {
        s: [json.loads(line) for line in (path / f"data/processed/partitions/{s}.jsonl").open()]
        for s in ("test",)
    }
    n_real = sum(r["domain"] == "real_news" for r in splits["test"])
    for model in ("baseline", "transformer", "ensemble"):
        real = metrics[model]["real_news"]["test"]
        assert real["n"] == n_real
        assert sum(map(sum, real["confusion_matrix"])) == n_real
        lo, hi = real["macro_f1_ci95"]
        assert lo <= real["macro_f1"] <= hi
        shown = [
            json.loads(x)
            for x in (path / f"reports/{model}/real_news/test_predictions.jsonl").open()
        ]
        proba = np.array([[r[f"p_{n}"] for n in LABELS] for r in shown])
        gold = np.array([LABELS.index(r["gold"]) for r in shown])
        assert real["ece"] == pytest.approx(expected_calibration_error(proba, gold), abs=1e-4)
        if model != "ensemble":  # its members are calibrated; the mean is not refitted
            assert real["ece_uncalibrated"] != real["ece"]
        assert metrics[model]["authored"]["test"]["n"] == len(splits["test"]) - n_real
    for model in ("baseline", "transformer"):
        calibration = json.loads((path / f"models/{model}/calibration.json").read_text())
        assert calibration["fitted_on"] == "real_news/validation"
        assert calibration["n"] == sum(
            r["domain"] == "real_news"
            for r in map(json.loads, (path / "data/processed/partitions/validation.jsonl").open())
        )
    champion = json.loads((path / "models/champion/champion.json").read_text())
    assert champion["selected_on"] == "real_news/validation"
    assert set(champion["validation_macro_f1"]) == {"baseline", "transformer", "ensemble"}
    card = (path / "models/champion/MODEL_CARD.md").read_text()
    assert card.index("Real-news test split") < card.index("Authored test split")
    resolved = json.loads((path / "models/resolved.json").read_text())
    assert resolved["source"] == "local"
    config = json.loads((path / "models/transformer/config.json").read_text())
    assert config["id2label"] == {"0": "proposed", "1": "rejected", "2": "conditional", "3": "none"}


def test_mlflow_run_has_params_metrics_artifacts_and_a_model_that_predicts(repo):
    path, _, _ = repo
    import mlflow
    from mlflow import MlflowClient

    run_info = json.loads((path / "metrics/mlflow_run.json").read_text())
    mlflow.set_tracking_uri(f"sqlite:///{path / 'mlflow.db'}")
    client = MlflowClient()
    parent = client.get_run(run_info["run_id"])
    assert parent.data.params["train.epochs"] == "2"
    assert parent.data.params["baseline.C"] == "4.0"
    assert parent.data.tags["model_source"] == "local"
    assert len(parent.data.tags["git_commit"]) >= 40
    assert len(parent.data.tags["data_hash"]) == 64
    assert parent.data.tags["real_news_data"] == "present"
    metrics = json.loads((path / "metrics/metrics.json").read_text())
    winner = parent.data.tags["champion"]
    assert parent.data.metrics["champion_test_macro_f1"] == pytest.approx(
        metrics[winner]["real_news"]["test"]["macro_f1"]
    )
    assert parent.data.metrics["champion_authored_test_macro_f1"] == pytest.approx(
        metrics[winner]["authored"]["test"]["macro_f1"]
    )
    children = client.search_runs(
        [parent.info.experiment_id], f"tags.mlflow.parentRunId = '{parent.info.run_id}'"
    )
    by_name = {r.data.tags["mlflow.runName"]: r for r in children}
    assert set(by_name) == {"baseline", "transformer", "ensemble"}
    transformer = by_name["transformer"]
    assert "test_macro_f1" in transformer.data.metrics
    for child in by_name.values():  # every model's run has its data and its own model
        inputs = {d.dataset.name for d in child.inputs.dataset_inputs}
        assert inputs == {"stance-train", "stance-validation", "stance-test"}
        logged = mlflow.search_logged_models(
            experiment_ids=[parent.info.experiment_id],
            filter_string=f"source_run_id = '{child.info.run_id}'",
            output_format="list",
        )
        assert [m.name for m in logged] == ["model"]
    # the transformer's run is the one that watched training: live per-step curves, system
    # metrics, then nested under the parent by track
    training = json.loads((path / "models/transformer.run.json").read_text())
    assert transformer.info.run_id == training["run_id"]
    assert transformer.data.tags["stage"] == "train_transformer"
    history = client.get_metric_history(transformer.info.run_id, "eval_macro_f1")
    assert len(history) == 2 and history[0].step < history[1].step  # one per epoch
    rate = client.get_metric_history(transformer.info.run_id, "learning_rate")
    assert len(rate) >= 2 and rate[0].step < rate[-1].step  # a per-step curve
    assert any(k.startswith("system/cpu") for k in transformer.data.metrics)
    assert not any("precision" in k for k in transformer.data.metrics)  # in the JSON instead
    logged = client.download_artifacts(transformer.info.run_id, "evaluation/metrics.json")
    assert json.loads(Path(logged).read_text()) == metrics["transformer"]
    artifacts = {
        a.path for a in client.list_artifacts(transformer.info.run_id, "evaluation/real_news")
    }
    assert {
        "evaluation/real_news/confusion_matrix.png",
        "evaluation/real_news/errors.csv",
    } <= artifacts

    assert parent.info.run_name == f"repro-{parent.data.tags['git_commit'][:8]}"
    experiment = client.get_experiment(parent.info.experiment_id)
    assert experiment.tags["mlflow.experimentKind"] == "custom_model_development"
    view = json.loads(json.loads(experiment.tags["mlflow.sharedViewState.headline"])["state"])
    shown = {c.split("`")[1] for c in view["selectedColumns"] if c.startswith("metrics.")}
    assert "champion_real_news_test_macro_f1" in parent.data.metrics
    assert shown - {"champion_real_news_test_macro_f1"} <= set(transformer.data.metrics)
    version = client.get_model_version_by_alias("stance-classifier", "champion")
    assert run_info["alias"] == "champion" and run_info["model_version"] == str(version.version)
    assert version.description.startswith("# ") and "macro-F1" in version.description
    assert version.tags["git_commit"] == parent.data.tags["git_commit"]
    model = mlflow.pyfunc.load_model("models:/stance-classifier@champion")
    table = model.predict(
        pd.DataFrame(
            [{"id": "x1", "text": "Rusia menawarkan operasi bersama. AS menolak tawaran itu."}]
        )
    )
    assert list(table["sent_idx"]) == [0, 1]
    assert set(table["label"]) <= {"proposed", "rejected", "conditional", "none"}
    probs = table[["p_proposed", "p_rejected", "p_conditional", "p_none"]].sum(axis=1)
    assert probs.round(4).eq(1.0).all()


def test_second_repro_is_a_no_op_and_one_param_reruns_only_its_readers(repo):
    path, env, _ = repo
    again = run(["dvc", "repro"], path, env)
    assert stages_run(again.stdout) <= {"resolve_model", "real_news"}
    assert "Running stage 'train_transformer'" not in again.stdout
    champion_before = _alias_version(path, "champion")
    set_params(path, baseline={"C": 2.0, "search": {}})  # with a search grid, C is searched
    changed = run(["dvc", "repro"], path, env)
    # uncommitted params: the new champion is @candidate and @champion stays where it was
    assert json.loads((path / "metrics/mlflow_run.json").read_text())["alias"] == "candidate"
    assert _alias_version(path, "champion") == champion_before
    rerun = stages_run(changed.stdout)
    # baseline.C is read by train_baseline only; everything downstream of its model reruns
    assert {"train_baseline", "evaluate", "select_champion", "track"} <= rerun
    assert not rerun & {"split_sentences", "join_labels", "partition", "train_transformer"}
    set_params(path, train={"epochs": 1})
    fine_tuned = stages_run(run(["dvc", "repro"], path, env).stdout)
    assert "train_transformer" in fine_tuned and "convert_packaged" not in fine_tuned
    set_params(
        path, partition={"real_news": {"seed": 29, "train": 0.5, "validation": 0.25, "test": 0.25}}
    )
    repartitioned = stages_run(run(["dvc", "repro"], path, env).stdout)
    assert {"partition", "train_baseline", "train_transformer", "evaluate"} <= repartitioned


def test_without_the_corpus_the_pipeline_completes_and_says_real_news_is_absent(repo):
    """Points the corpus param at a missing folder and repros (in its own copy)."""
    path, env, _ = repo
    set_params(path, real_news={"corpus_dir": str(path / "no-such-corpus")})
    result = run(["dvc", "repro"], path, env)
    assert "REAL-NEWS DATA ABSENT" in result.stdout + result.stderr
    metrics = json.loads((path / "metrics/metrics.json").read_text())
    assert metrics["real_news_available"] is False
    assert metrics["headline_domain"] == "authored"
    assert "real_news" not in metrics["baseline"]
    assert (
        json.loads((path / "metrics/label_stats.json").read_text())["real_news_available"] is False
    )
    champion = json.loads((path / "models/champion/champion.json").read_text())
    assert champion["selected_on"] == "authored/validation"
    assert "Real-news data was absent" in (path / "models/champion/MODEL_CARD.md").read_text()
    import mlflow
    from mlflow import MlflowClient

    run_info = json.loads((path / "metrics/mlflow_run.json").read_text())
    mlflow.set_tracking_uri(f"sqlite:///{path / 'mlflow.db'}")
    parent = MlflowClient().get_run(run_info["run_id"])
    assert parent.data.tags["real_news_data"] == "ABSENT"
    assert parent.data.tags["headline_domain"] == "authored"


def _alias_version(path: Path, alias: str) -> str:
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=f"sqlite:///{path / 'mlflow.db'}")
    return str(client.get_model_version_by_alias("stance-classifier", alias).version)
