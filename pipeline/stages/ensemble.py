"""DVC stage `ensemble`: the third candidate, the mean of the two models' calibrated probabilities."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Annotated

import typer

from pipeline.errors import BadInput, run_stage
from pipeline.io import atomic_dir
from pipeline.logs import configure_logging
from pipeline.modeling.model_info import ENSEMBLE_MEMBERS_DIR, ModelInfo

log = logging.getLogger(__name__)


def main(
    baseline_dir: Annotated[Path, typer.Argument(help="calibrated baseline model folder")],
    transformer_dir: Annotated[Path, typer.Argument(help="calibrated transformer model folder")],
    out_dir: Annotated[Path, typer.Argument(help="ensemble model folder to write")],
) -> None:
    """Copy both members (with their calibration) into one self-contained folder."""
    configure_logging()
    members = {"baseline": baseline_dir, "transformer": transformer_dir}
    infos = {name: ModelInfo.read(path) for name, path in members.items()}
    labels = infos["baseline"].label_names
    if infos["transformer"].label_names != labels:
        raise BadInput(
            f"{baseline_dir} and {transformer_dir} disagree on the label set: "
            f"{ {n: i.label_names for n, i in infos.items()} }; retrain both on configs/labels.yaml"
        )
    info = ModelInfo(
        kind="ensemble",
        model_source=f"ensemble(baseline+{infos['transformer'].model_source})",
        checkpoint=f"mean of calibrated probabilities: TF-IDF baseline + {infos['transformer'].checkpoint}",
        revision=infos["transformer"].revision,
        label_names=labels,
        members=list(members),
    )
    with atomic_dir(out_dir) as tmp:
        for name, path in members.items():
            shutil.copytree(path, tmp / ENSEMBLE_MEMBERS_DIR / name)
        info.write(tmp)
    log.info("ensemble of %s -> %s", " + ".join(members), out_dir)


if __name__ == "__main__":
    run_stage(main)
