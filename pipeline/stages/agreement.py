"""DVC stage `agreement`: Cohen's kappa of the blind second labeling pass against the first."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import label_names
from pipeline.errors import BadInput, run_stage
from pipeline.io import write_json
from pipeline.labeling.agreement import kappa_report
from pipeline.labeling.standoff import read_standoff
from pipeline.logs import configure_logging

log = logging.getLogger(__name__)


def main(
    second_pass: Annotated[
        Path, typer.Argument(help="stand-off second-pass labels with first_label")
    ],
    report_out: Annotated[Path, typer.Argument(help="agreement JSON (DVC metrics)")],
) -> None:
    """Compare each second-pass label with the first-pass label it was made blind to."""
    configure_logging()
    rows = read_standoff(second_pass)
    missing = [r["_line"] for r in rows if "first_label" not in r]
    if missing:
        raise BadInput(
            f"{second_pass}: lines {missing[:10]} lack first_label (the first pass's label); "
            "add it to each second-pass row"
        )
    report = kappa_report(
        [r["first_label"] for r in rows], [r["label"] for r in rows], label_names()
    )
    write_json(report_out, report)
    log.info("agreement on %d sentences: kappa %.3f", report["n"], report["kappa"])


if __name__ == "__main__":
    run_stage(main)
