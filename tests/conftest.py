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


@pytest.fixture(scope="session")
def fixture_pipeline(tmp_path_factory):
    """The whole pipeline run once on a tiny corpus in a temporary copy of the repository."""
    from fixture_pipeline import build_fixture_pipeline

    return build_fixture_pipeline(
        tmp_path_factory.mktemp("repo"), tmp_path_factory.mktemp("tiny-bert")
    )
