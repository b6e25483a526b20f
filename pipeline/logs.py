"""Logging setup shared by the CLI and the DVC stage scripts."""

from __future__ import annotations

import logging
import os


def configure_logging(level: str | None = None) -> None:
    """Log to stderr with timestamps; STANCE_LOG_LEVEL overrides the level."""
    logging.basicConfig(
        level=(level or os.environ.get("STANCE_LOG_LEVEL", "INFO")).upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
