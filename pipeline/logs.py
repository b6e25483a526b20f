"""Logging setup shared by the CLI and the DVC stage scripts: our lines, not the libraries'."""

from __future__ import annotations

import logging
import os
import warnings

# Libraries whose INFO/WARNING lines, progress bars and load reports bury ours.
NOISY_LOGGERS = ("transformers", "huggingface_hub", "mlflow", "datasets", "accelerate", "urllib3")
_quiet = {"on": False}


def configure_logging(level: str | None = None) -> None:
    """Log to stderr with timestamps; STANCE_LOG_LEVEL overrides the level.

    Below DEBUG the libraries are quiet (errors only, no weight-loading bars or load
    reports); `--verbose` (DEBUG) shows everything.
    """
    name = (level or os.environ.get("STANCE_LOG_LEVEL", "INFO")).upper()
    logging.basicConfig(
        level=name,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    logging.getLogger().setLevel(name)  # basicConfig does nothing once a handler exists
    _quiet["on"] = name != "DEBUG"
    if not _quiet["on"]:
        return
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.ERROR)
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    warnings.filterwarnings("ignore", module=r"mlflow(\.|$)")


def quiet_transformers() -> None:
    """Switch off transformers' own bars and reports; call it where transformers is loaded
    anyway (importing it here would slow every command by a second)."""
    if _quiet["on"]:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
