"""Project paths, the params file and the label set: the one place that knows where things live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PROJECT_ROOT = Path(os.environ.get("STANCE_PROJECT_ROOT", Path(__file__).resolve().parents[1]))
CONFIGS_DIR = PROJECT_ROOT / "configs"
PARAMS_FILE = CONFIGS_DIR / "params.yaml"
LABELS_FILE = CONFIGS_DIR / "labels.yaml"
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
INTERIM_DIR = DATA_DIR / "interim"
PROCESSED_DIR = DATA_DIR / "processed"
GOLD_LABELS_FILE = DATA_DIR / "labels" / "gold.jsonl"
REAL_NEWS_LABELS_FILE = DATA_DIR / "labels" / "indosum.jsonl"
MODELS_DIR = PROJECT_ROOT / "models"
SHARED_DIR = PROJECT_ROOT.parent / "shared"
INDOSUM_DIR = SHARED_DIR / "corpora" / "indosum"


def project_path(value: str | Path) -> Path:
    """A path from params: absolute as given, relative to the project root otherwise."""
    path = Path(str(value)).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


@dataclass(frozen=True)
class Label:
    """One stance label as defined in configs/labels.yaml."""

    name: str
    description: str


@cache
def load_labels(path: Path = LABELS_FILE) -> tuple[Label, ...]:
    """The label set in display order."""
    with open(path, encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    return tuple(Label(item["name"], item["description"]) for item in spec["labels"])


def label_names(path: Path = LABELS_FILE) -> list[str]:
    """Label names in display order; their positions are the model's class ids."""
    return [label.name for label in load_labels(path)]
