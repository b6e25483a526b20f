"""The registered champion as an MLflow model: served over HTTP and used as a Spark UDF."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import label_names
from pipeline.io import write_json
from pipeline.modeling.baseline import BaselineParams, save_baseline, train_baseline
from pipeline.modeling.model_info import MODEL_INFO_FILE as MODEL_INFO
from pipeline.scoring.pyfunc import log_model_folder
from pipeline.tracking.runs import CHAMPION_ALIAS, REGISTERED_MODEL

from tiny_model import tiny_rows

pytestmark = pytest.mark.slow
NAMES = label_names()  # configs/labels.yaml, the one list
URI = f"models:/{REGISTERED_MODEL}@{CHAMPION_ALIAS}"
ARTICLES = [
    {
        "id": "a1",
        "text": "Jepang menolak kerja sama pertahanan dengan mitra. Hujan deras turun "
        "di ibu kota Korea pagi ini.",
    },
    {"id": "a2", "text": "Korea mengusulkan kerja sama pertahanan dengan mitra."},
]


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    """A fresh SQLite MLflow store holding a registered champion (a small baseline)."""
    root = tmp_path_factory.mktemp("mlflow")
    rows = tiny_rows(8)
    model = train_baseline(
        [r["text"] for r in rows], [r["label"] for r in rows], NAMES, BaselineParams()
    )
    champion = root / "champion"
    save_baseline(model, champion)
    write_json(
        champion / MODEL_INFO,
        {
            "kind": "baseline",
            "model_source": "baseline",
            "checkpoint": "tfidf-logreg",
            "label_names": NAMES,
        },
    )
    uri = f"sqlite:///{root / 'mlflow.db'}"
    previous = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = uri
    mlflow.set_tracking_uri(uri)
    experiment = mlflow.create_experiment("t", artifact_location=(root / "artifacts").as_uri())
    with mlflow.start_run(experiment_id=experiment):
        info = log_model_folder(champion, NAMES)
    version = mlflow.register_model(info.model_uri, REGISTERED_MODEL).version
    mlflow.MlflowClient().set_registered_model_alias(REGISTERED_MODEL, CHAMPION_ALIAS, version)
    yield uri, champion, root
    if previous is None:
        os.environ.pop("MLFLOW_TRACKING_URI", None)
    else:
        os.environ["MLFLOW_TRACKING_URI"] = previous


def cli_labels(champion: Path, tmp: Path) -> dict[str, list[str]]:
    inp = tmp / "articles.jsonl"
    inp.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["score", str(inp), "-o", str(tmp / "cli"), "--model", str(champion)]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_json(tmp / "cli/sentences.jsonl", lines=True)
    return {k: list(g.label) for k, g in table.groupby("article_id")}


def venv_path() -> str:
    """PATH with this interpreter's bin first: `mlflow models serve` execs `uvicorn` from it."""
    return f"{Path(sys.prefix) / 'bin'}{os.pathsep}{os.environ['PATH']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_loaded_model_returns_the_sentence_table(registry):
    _, champion, root = registry
    table = mlflow.pyfunc.load_model(URI).predict(pd.DataFrame(ARTICLES))
    assert list(table.columns[:8]) == [
        "article_id",
        "sent_idx",
        "text",
        "start",
        "end",
        "cut",
        "label",
        "confidence",
    ]
    labels = {k: list(g.label) for k, g in table.groupby("article_id")}
    assert labels == cli_labels(champion, root) == {"a1": ["rejected", "none"], "a2": ["proposed"]}


def test_mlflow_models_serve_answers_invocations(registry):
    uri, _, _ = registry
    port = free_port()
    mlflow_cli = shutil.which("mlflow", path=venv_path())
    server = subprocess.Popen(
        [
            mlflow_cli,
            "models",
            "serve",
            "-m",
            URI,
            "--env-manager",
            "local",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        env={**os.environ, "MLFLOW_TRACKING_URI": uri, "PATH": venv_path()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    server.kill()
                    pytest.fail(f"server did not start:\n{server.stderr.read()[-3000:]}")
                time.sleep(0.5)
        body = json.dumps({"dataframe_records": ARTICLES}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/invocations",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            predictions = json.load(response)["predictions"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert [(p["article_id"], p["sent_idx"], p["label"]) for p in predictions] == [
        ("a1", 0, "rejected"),
        ("a1", 1, "none"),
        ("a2", 0, "proposed"),
    ]


def test_spark_udf_labels_equal_the_cli(registry, tmp_path, monkeypatch):
    pyspark = pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("PySpark needs Java (17+) on PATH")
    from pyspark.sql import SparkSession

    _, champion, _ = registry
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)  # workers need this venv's packages
    monkeypatch.setenv("PATH", venv_path())
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("stance-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    try:
        frame = spark.createDataFrame(pd.DataFrame(ARTICLES))
        udf = mlflow.pyfunc.spark_udf(
            spark, URI, result_type="string", env_manager="local", params={"output": "article_json"}
        )
        rows = frame.withColumn("stance", udf("id", "text")).collect()
    finally:
        spark.stop()
    spark_labels = {r["id"]: [s["label"] for s in json.loads(r["stance"])] for r in rows}
    assert pyspark.__version__
    assert spark_labels == cli_labels(champion, tmp_path)


def test_scoring_by_alias_records_the_pinned_version_run_and_commit(registry, tmp_path):
    inp = tmp_path / "articles.jsonl"
    inp.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["score", str(inp), "-o", str(out), "--model", URI])
    assert result.exit_code == 0, result.output
    version = mlflow.MlflowClient().get_model_version_by_alias(REGISTERED_MODEL, CHAMPION_ALIAS)
    pinned = f"models:/{REGISTERED_MODEL}/{version.version}"
    articles = pd.read_json(out / "articles.jsonl", lines=True)
    assert set(articles["model"]) == {pinned}
    resolved = json.loads((out / "run.json").read_text())["model_info"]["resolved"]
    assert (resolved["uri"], resolved["run_id"]) == (pinned, version.run_id)
