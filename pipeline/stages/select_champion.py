"""DVC stage `select`: the champion is the model with the higher validation macro-F1."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Annotated

import typer

from pipeline.atomic import atomic_dir, write_json
from pipeline.config import load_params
from pipeline.logs import configure_logging
from pipeline.predictor import read_model_info
from pipeline.reports import model_card

log = logging.getLogger(__name__)
CHAMPION_FILE = "champion.json"


def choose(metrics: dict, min_gain: float) -> tuple[str, str]:
    """Which model wins and why; the transformer must beat the baseline to ship."""
    base = metrics["baseline"]["validation"]["macro_f1"]
    trans = metrics["transformer"]["validation"]["macro_f1"]
    if trans > base + min_gain:
        return "transformer", f"validation macro-F1 {trans:.4f} > baseline {base:.4f} + {min_gain}"
    return (
        "baseline",
        f"transformer validation macro-F1 {trans:.4f} does not beat baseline {base:.4f} + {min_gain}",
    )


def main(
    metrics_file: Annotated[Path, typer.Argument(help="metrics JSON from evaluate")],
    baseline_dir: Annotated[Path, typer.Argument(help="baseline model folder")],
    transformer_dir: Annotated[Path, typer.Argument(help="transformer model folder")],
    champion_dir: Annotated[Path, typer.Argument(help="champion folder to write")],
) -> None:
    """Copy the winning model to the champion folder with a champion.json explaining why."""
    configure_logging()
    params = load_params("select")
    metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
    winner, reason = choose(metrics, float(params["min_gain"]))
    source = baseline_dir if winner == "baseline" else transformer_dir
    info = read_model_info(source)
    champion = {
        "champion": winner,
        "reason": reason,
        "model_source": info["model_source"],
        "validation_macro_f1": {m: metrics[m]["validation"]["macro_f1"] for m in metrics},
        "test_macro_f1": {m: metrics[m]["test"]["macro_f1"] for m in metrics},
    }
    with atomic_dir(champion_dir) as tmp:
        shutil.copytree(source, tmp, dirs_exist_ok=True)
        write_json(tmp / CHAMPION_FILE, champion)
        (tmp / "MODEL_CARD.md").write_text(model_card(info, champion, metrics), encoding="utf-8")
    log.info("champion: %s (%s)", winner, reason)


if __name__ == "__main__":
    typer.run(main)
