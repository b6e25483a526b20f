"""The champion as an MLflow pyfunc model whose input is a table of raw articles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import mlflow.pyfunc
import pandas as pd

from pipeline.text.articles import Article
from pipeline.text.segment import cap_sentences, segment_article

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the whole `pipeline` package
ARTICLE_COLUMNS = ("id", "text")
OUTPUTS = ("sentences", "article_json")


class StanceArticleModel(mlflow.pyfunc.PythonModel):
    """Articles (`id`, `text`, optional `title`) in, one row per sentence with its stance out."""

    def load_context(self, context: Any) -> None:
        from pipeline.modeling.predictor import load_predictor

        self.predictor = load_predictor(Path(context.artifacts["model_dir"]), trusted=True)

    def predict(self, context: Any, model_input: pd.DataFrame, params: dict | None = None):
        """`output`: "sentences" (one row per sentence) or "article_json" (one JSON per article)."""
        output = (params or {}).get("output", "sentences")
        if output not in OUTPUTS:
            raise _bad_request(f"params.output must be one of {OUTPUTS}, got {output!r}")
        table = score_article_table(self.predictor, model_input)
        if output == "sentences":
            return table
        # Spark's pandas UDFs need one output row per input row: one JSON list per article.
        grouped = {k: g.to_dict("records") for k, g in table.groupby("article_id", sort=False)}
        return pd.Series(
            [json.dumps(grouped.get(str(i), []), ensure_ascii=False) for i in model_input["id"]]
        )


def score_article_table(predictor: Any, articles: pd.DataFrame) -> pd.DataFrame:
    """Split and label a DataFrame of articles; one output row per sentence."""
    from pipeline.params import ScoreParams
    from pipeline.scoring.summary import label_sentences, sentence_columns

    rows = []
    for article in validated_articles(articles):
        rows.extend(cap_sentences(segment_article(article)[1], ScoreParams.max_sentence_chars))
    labeled = label_sentences(predictor, rows)
    return pd.DataFrame(labeled, columns=sentence_columns(predictor.label_names))


def validated_articles(articles: pd.DataFrame) -> list[Article]:
    """The table's rows as articles; MLflow's 400 Bad Request for anything malformed."""
    missing = [c for c in ARTICLE_COLUMNS if c not in articles.columns]
    if missing:
        raise _bad_request(f"input table lacks column(s) {missing}; send `id` and `text`")
    result, seen = [], set()
    for n, record in enumerate(articles.to_dict("records")):
        for key in ("id", "text", "title"):
            value = record.get(key)
            if key == "title" and (value is None or value != value):  # absent or NaN
                continue
            if not isinstance(value, str) or not value.strip():
                raise _bad_request(f"record {n}: {key!r} must be a non-empty string, got {value!r}")
        if record["id"] in seen:
            raise _bad_request(f"record {n}: duplicate id {record['id']!r}; ids must be unique")
        seen.add(record["id"])
        title = record.get("title")
        result.append(
            Article(
                id=record["id"],
                text=record["text"],
                title=title if isinstance(title, str) else None,
            )
        )
    return result


def _bad_request(message: str) -> Exception:
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def log_model_folder(model_dir: Path, label_names: list[str], name: str = "champion") -> Any:
    """Log a model folder as a pyfunc model in the active run (registered separately)."""
    from mlflow.models import infer_signature

    from pipeline.modeling.predictor import load_predictor

    example = pd.DataFrame(
        [{"id": "contoh-1", "text": "Rusia menawarkan operasi bersama. AS menolak tawaran itu."}]
    )
    output = score_article_table(load_predictor(model_dir), example)
    return mlflow.pyfunc.log_model(
        name=name,
        python_model=StanceArticleModel(),
        artifacts={"model_dir": str(model_dir)},
        code_paths=[str(PACKAGE_DIR)],
        signature=infer_signature(example, output, params={"output": "sentences"}),
        pip_requirements=_requirements(),
        input_example=example,
    )


def _requirements() -> list[str]:
    from importlib.metadata import version

    names = (
        "torch",
        "transformers",
        "tokenizers",
        "scikit-learn",
        "pandas",
        "numpy",
        "joblib",
        "pyyaml",
        "mlflow",
    )
    return [f"{n}=={version(n).split('+')[0]}" for n in names]
