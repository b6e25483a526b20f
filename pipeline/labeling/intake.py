"""Bring new articles into the corpus the pipeline reads, so their labels join on `dvc repro`."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.errors import BadInput
from pipeline.io import atomic_open
from pipeline.text.articles import expand_inputs, iter_articles


def add_articles(inputs: list[Path], raw_dir: Path, target: Path) -> list[Path]:
    """Copy the article files into `target` (a folder under `raw_dir`); returns the new files.

    Every article is read first (bad input is an error naming file and line), and an id
    that the corpus already holds, or a file name already in `target`, is refused.
    """
    if not Path(target).resolve().is_relative_to(Path(raw_dir).resolve()):
        raise BadInput(f"{target} is not inside {raw_dir}: the pipeline would not read it")
    new = {a.id: a.origin for a in iter_articles(*inputs)}
    existing = {a.id for a in iter_articles(raw_dir)} if any(Path(raw_dir).rglob("*")) else set()
    clash = sorted(set(new) & existing)
    if clash:
        raise BadInput(
            f"{raw_dir} already holds article ids {clash[:5]} (first from {new[clash[0]]}); "
            "give the new articles other ids (file names for .txt)"
        )
    copied = []
    for source in expand_inputs(*inputs):
        destination = Path(target) / source.name
        if destination.exists():
            raise BadInput(f"{destination} exists; rename {source} before adding it")
        with open(source, "rb") as src, atomic_open(destination, "wb") as dst:
            shutil.copyfileobj(src, dst)
        copied.append(destination)
    return copied
