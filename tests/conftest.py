"""Shared fixtures."""

from pathlib import Path

import pytest

from pipeline.config import PROJECT_ROOT

SAMPLES_DIR = PROJECT_ROOT / "data" / "raw"


@pytest.fixture
def sample_path():
    """Path of one of the five sample articles by its number prefix."""

    def find(prefix: str) -> Path:
        (path,) = SAMPLES_DIR.glob(f"{prefix}_*.txt")
        return path

    return find
