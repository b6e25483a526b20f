"""DVC stage `select_champion`: the champion has the higher validation macro-F1 on real news (if read)."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Annotated

import typer

from pipeline.errors import run_stage
from pipeline.evaluation.metrics import MODELS, headline_domain
from pipeline.evaluation.reports import model_card
from pipeline.io import atomic_dir, write_json
from pipeline.logs import configure_logging
from pipeline.modeling.model_info import CHAMPION_FILE, ModelInfo
from pipeline.params import SelectParams, load_section

log = logging.getLogger(__name__)


def choose(metrics: dict, min_gain: float) -> tuple[str, str]:
    """The best candidate on the headline domain's validation split; the baseline wins ties.

    A candidate other than the baseline must beat the baseline by more than `min_gain`.
    """
    domain = headline_domain(metrics)
    where = f"{domain.replace('_', '-')} validation macro-F1"
    scores = {m: metrics[m][domain]["validation"]["macro_f1"] for m in MODELS if m in metrics}
    base = scores["baseline"]
    best = max(scores, key=lambda m: (scores[m], m == "baseline"))
    listed = ", ".join(f"{m} {v:.4f}" for m, v in scores.items())
    if best != "baseline" and scores[best] > base + min_gain:
        return best, f"{where}: {listed}; {best} beats baseline + {min_gain}"
    return "baseline", f"{where}: {listed}; no candidate beats baseline + {min_gain}"


def main(
    metrics_file: Annotated[Path, typer.Argument(help="metrics JSON from evaluate")],
    baseline_dir: Annotated[Path, typer.Argument(help="baseline model folder")],
    transformer_dir: Annotated[Path, typer.Argument(help="transformer model folder")],
    ensemble_dir: Annotated[Path, typer.Argument(help="ensemble model folder")],
    champion_dir: Annotated[Path, typer.Argument(help="champion folder to write")],
    headline_out: Annotated[Path, typer.Argument(help="the few figures that matter (DVC metrics)")],
) -> None:
    """Copy the winning model to the champion folder with a champion.json explaining why."""
    configure_logging()
    params = load_section(SelectParams)
    metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
    domain = headline_domain(metrics)
    winner, reason = choose(metrics, params.min_gain)
    source = dict(zip(MODELS, (baseline_dir, transformer_dir, ensemble_dir), strict=True))[winner]
    info = ModelInfo.read(source)
    champion = {
        "champion": winner,
        "reason": reason,
        "selected_on": f"{domain}/validation",
        "real_news_available": metrics["real_news_available"],
        "model_source": info.model_source,
        "validation_macro_f1": {m: metrics[m][domain]["validation"]["macro_f1"] for m in MODELS},
        "test_macro_f1": {m: metrics[m][domain]["test"]["macro_f1"] for m in MODELS},
    }
    with atomic_dir(champion_dir) as tmp:
        shutil.copytree(source, tmp, dirs_exist_ok=True)
        write_json(tmp / CHAMPION_FILE, champion)
        (tmp / "MODEL_CARD.md").write_text(
            model_card(info.to_json(), champion, metrics), encoding="utf-8"
        )
    write_json(headline_out, headline_metrics(metrics, winner))
    if not metrics["real_news_available"]:
        log.warning("!!! champion chosen on AUTHORED validation: real-news data was absent")
    log.info("champion: %s (%s)", winner, reason)


def headline_metrics(metrics: dict, winner: str) -> dict:
    """A compact `dvc metrics show` table: the champion and each model's headline test scores."""
    domain = headline_domain(metrics)
    result = {"champion": winner, "domain": domain}
    for model in MODELS:
        test = metrics[model][domain]["test"]
        result[model] = {
            "model_source": metrics[model].get("model_source"),
            "macro_f1": test["macro_f1"],
            "ci95_low": test["macro_f1_ci95"][0],
            "ci95_high": test["macro_f1_ci95"][1],
            "validation_macro_f1": metrics[model][domain]["validation"]["macro_f1"],
        }
    return result


if __name__ == "__main__":
    run_stage(main)
