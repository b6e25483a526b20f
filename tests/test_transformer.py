"""Fine-tuning with the Trainer on a tiny BERT, the settings' checks and prediction."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from pipeline.config import label_names
from pipeline.io import fingerprint, swap_dir
from pipeline.modeling.classifier import predict_proba
from pipeline.modeling.finetune import (
    class_weights,
    epoch_history,
    fine_tune,
    macro_f1_metrics,
    step_history,
)
from pipeline.modeling.train_params import TrainParams
from pipeline.params import ParamsError, parse_params
from pipeline.stages import train_transformer as stage

from tiny_model import make_tiny_model, tiny_rows

FAST = {
    "learning_rate": 2e-2,
    "epochs": 8,
    "batch_size": 8,
    "warmup_ratio": 0.0,
    "early_stopping_patience": 0,
    "max_length": 32,
}


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory) -> Path:
    rows = tiny_rows(10)
    return make_tiny_model([r["text"] for r in rows], tmp_path_factory.mktemp("tiny") / "bert")


@pytest.fixture(scope="module")
def trained(tiny_checkpoint, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("run") / "model"
    config = TrainParams(**FAST)
    history = fine_tune(
        tiny_checkpoint,
        tiny_rows(10),
        tiny_rows(3, offset=3),
        label_names(),
        config,
        out,
        config_extra={"model_source": "local"},
    )
    return out, history


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"learning_rate": 0}, "learning_rate"),
        ({"learning_rate": "fast"}, "learning_rate` must be a number"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": 2.5}, "epochs` must be a whole number"),
        ({"batch_size": True}, "batch_size"),
        ({"warmup_ratio": 1.0}, "warmup_ratio"),
        ({"class_weights": "inverse"}, "class_weights"),
        ({"precision": "int8"}, "precision"),
        ({"early_stopping_patience": -1}, "early_stopping_patience"),
        ({"max_length": 4}, "max_length"),
        ({"group_by_length": "yes"}, "group_by_length"),
    ],
)
def test_config_rejects_bad_values(change, message):
    with pytest.raises(ParamsError, match=message):
        parse_params(TrainParams, change, "train")


def test_config_from_params():
    config = parse_params(
        TrainParams, {"learning_rate": "3e-5", "class_weights": "sqrt", "epochs": 2}, "train"
    )
    assert (config.learning_rate, config.epochs, config.class_weights) == (3e-5, 2, "sqrt")
    with pytest.raises(ParamsError, match=r"unknown key `train\.lr`"):
        parse_params(TrainParams, {"lr": 1e-3}, "train")


def test_class_weights_balanced_sqrt_and_none():
    assert class_weights([0, 0, 0, 1], 3, "balanced").tolist() == pytest.approx([4 / 6, 2.0, 1.0])
    assert class_weights([0, 0, 0, 1], 3, "sqrt").tolist() == pytest.approx(
        [(4 / 6) ** 0.5, 2.0**0.5, 1.0]
    )
    assert class_weights([0, 0, 0, 1], 3, "none") is None


def test_epoch_history_merges_train_and_eval_logs():
    logs = [
        {"loss": 1.0, "epoch": 1.0, "step": 5},
        {"eval_loss": 0.9, "eval_macro_f1": 0.5, "epoch": 1.0},
        {"loss": 0.5, "epoch": 2.0},
        {"eval_loss": 0.7, "eval_macro_f1": 0.6, "epoch": 2.0},
        {"train_runtime": 1.0, "train_loss": 0.75, "epoch": 2.0},
    ]
    assert epoch_history(logs) == [
        {"epoch": 1, "train_loss": 1.0, "eval_loss": 0.9, "eval_macro_f1": 0.5},
        {"epoch": 2, "train_loss": 0.5, "eval_loss": 0.7, "eval_macro_f1": 0.6},
    ]


def test_step_logs_give_epoch_means_and_per_step_curves():
    logs = [
        {"loss": 1.0, "learning_rate": 2e-5, "grad_norm": 3.0, "epoch": 0.5, "step": 10},
        {"loss": 0.8, "learning_rate": 1e-5, "grad_norm": 2.0, "epoch": 1.0, "step": 20},
        {"eval_loss": 0.9, "eval_macro_f1": 0.5, "epoch": 1.0, "step": 20},
        {"loss": 0.6, "learning_rate": 5e-6, "epoch": 1.5, "step": 30},
        {"eval_loss": 0.7, "eval_macro_f1": 0.6, "epoch": 2.0, "step": 40},
        {"train_runtime": 1.0, "train_loss": 0.75, "epoch": 2.0, "step": 40},
    ]
    epochs = epoch_history(logs)
    assert [e["train_loss"] for e in epochs] == [pytest.approx(0.9), 0.6]
    assert [e["eval_macro_f1"] for e in epochs] == [0.5, 0.6]
    steps = step_history(logs)
    assert [s["step"] for s in steps] == [10, 20, 30]
    assert steps[0] == {"step": 10, "epoch": 0.5, "train_loss": 1.0, "learning_rate": 2e-5,
                        "grad_norm": 3.0}  # fmt: skip


def test_macro_f1_metrics():
    logits = np.array([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0]])
    result = macro_f1_metrics(SimpleNamespace(predictions=logits, label_ids=np.array([0, 1, 1])))
    assert result["accuracy"] == pytest.approx(2 / 3)
    assert 0 < result["macro_f1"] < 1


def test_fine_tune_learns_and_saves(trained):
    out, history = trained
    epochs = history["epochs"]
    assert [e["epoch"] for e in epochs] == list(range(1, FAST["epochs"] + 1))
    assert all("eval_macro_f1" in e and "eval_loss" in e for e in epochs)
    assert epochs[-1]["train_loss"] < epochs[0]["train_loss"]
    assert history["best_val_macro_f1"] == max(e["eval_macro_f1"] for e in epochs)
    assert (history["n_train"], history["n_val"]) == (40, 12)
    saved = json.loads((out / "training_history.json").read_text())
    assert saved["best_epoch"] == history["best_epoch"]


def test_same_seed_saves_the_same_bytes_and_prints_no_log_dicts(
    trained, tiny_checkpoint, tmp_path, capfd
):
    # The folder is a DVC output: a byte that changes between reruns re-runs every reader.
    first, _ = trained
    capfd.readouterr()
    again = tmp_path / "model"
    fine_tune(
        tiny_checkpoint,
        tiny_rows(10),
        tiny_rows(3, offset=3),
        label_names(),
        TrainParams(**FAST),
        again,
        config_extra={"model_source": "local"},
    )
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in first.iterdir())
    for file in first.iterdir():
        assert file.read_bytes() == (again / file.name).read_bytes(), file.name
    # The Trainer's own callbacks print a dict per logging step into `dvc repro`'s output.
    out, err = capfd.readouterr()
    assert "'loss'" not in out + err and "'eval_loss'" not in out + err


def test_saved_config_and_no_leftover_checkpoints(trained):
    out, _ = trained
    config = json.loads((out / "config.json").read_text())
    names = label_names()
    assert config["id2label"] == {str(i): n for i, n in enumerate(names)}
    assert config["label2id"] == {n: i for i, n in enumerate(names)}
    assert config["model_source"] == "local"
    assert not list(out.glob("checkpoint-*"))
    assert sorted(p.name for p in out.parent.iterdir()) == ["model"]


def test_predict_proba_rows_sum_to_one_in_input_order(trained):
    out, _ = trained
    texts = [r["text"] for r in tiny_rows(2, offset=5)]
    texts[0] += " dan pernyataan yang jauh lebih panjang dari yang lain di sini"
    probs = predict_proba(out, texts, batch_size=3, max_length=32)
    assert probs.shape == (len(texts), len(label_names()))
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    one_by_one = np.vstack([predict_proba(out, [t], max_length=32) for t in texts[:3]])
    assert np.allclose(probs[:3], one_by_one, atol=1e-5)
    reversed_probs = predict_proba(out, texts[::-1], batch_size=3, max_length=32)
    assert np.allclose(reversed_probs[::-1], probs, atol=1e-5)
    assert predict_proba(out, []).shape == (0, len(label_names()))
    longest = " ".join(texts * 4)  # over the tiny model's 64 positions: truncated, no error
    assert predict_proba(out, [longest], max_length=512).shape == (1, len(label_names()))


def test_swap_dir(tmp_path):
    old, new = tmp_path / "model", tmp_path / "new"
    old.mkdir()
    (old / "a").write_text("old")
    new.mkdir()
    (new / "b").write_text("new")
    swap_dir(new, old)
    assert [p.name for p in old.iterdir()] == ["b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_stage_trains_local_checkpoint(monkeypatch, tmp_path, tiny_checkpoint):
    splits = tmp_path / "partitions"
    splits.mkdir()
    for name, rows in (("train", tiny_rows(6)), ("validation", tiny_rows(2, offset=3))):
        (splits / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    resolved = tmp_path / "resolved.json"
    resolved.write_text(
        json.dumps(
            {
                "name": "tiny",
                "requested_revision": "main",
                "source": "local",
                "path": str(tiny_checkpoint),
                "resolved_revision": "local-abc",
            }
        )
    )
    params = {**FAST, "epochs": 2}
    monkeypatch.setattr(stage, "load_section", lambda cls: parse_params(cls, params, "train"))
    store = f"sqlite:///{tmp_path / 'mlflow.db'}"  # never the project's own store
    monkeypatch.setenv("MLFLOW_TRACKING_URI", store)
    app = typer.Typer()
    app.command()(stage.main)
    out = tmp_path / "models" / "transformer"
    args = [str(splits), str(tmp_path / "unused.jsonl"), str(resolved), str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    info = json.loads((out / "model_info.json").read_text())
    assert info == {
        "kind": "transformer",
        "model_source": "local",
        "checkpoint": "tiny",
        "revision": "local-abc",
        "label_names": label_names(),
    }
    assert json.loads((out / "config.json").read_text())["model_source"] == "local"
    assert sorted(p.name for p in out.parent.iterdir()) == ["transformer", "transformer.run.json"]
    # the Trainer reported each step into the run the stage opened, recorded beside the model
    from mlflow import MlflowClient

    run_id = json.loads((out.parent / "transformer.run.json").read_text())["run_id"]
    loss = MlflowClient(tracking_uri=store).get_metric_history(run_id, "loss")
    assert len(loss) >= 1
    # a second run is a new MLflow run, yet the model folder is byte-identical (one version)
    first = fingerprint([out])
    assert CliRunner().invoke(app, args).exit_code == 0
    assert json.loads((out.parent / "transformer.run.json").read_text())["run_id"] != run_id
    assert fingerprint([out]) == first
