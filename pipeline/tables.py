"""Write row streams as JSONL, CSV or Parquet, atomically and without holding them in memory."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from pipeline.atomic import atomic_open

Rows = Callable[[], Iterable[dict[str, Any]]]
PARQUET_BATCH = 2000


def write_table(path: Path, rows: Rows) -> None:
    """Write the rows `rows()` yields in the format named by the file suffix."""
    writer = {".jsonl": _jsonl, ".csv": _csv, ".parquet": _parquet}.get(path.suffix)
    if writer is None:
        raise ValueError(f"{path}: unsupported table format; use .jsonl, .csv or .parquet")
    writer(path, rows)


def _jsonl(path: Path, rows: Rows) -> None:
    with atomic_open(path) as fh:
        for row in rows():
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _csv(path: Path, rows: Rows) -> None:
    with atomic_open(path) as fh:
        writer = None
        for row in rows():
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(row), lineterminator="\n")
                writer.writeheader()
            writer.writerow(row)


def _parquet(path: Path, rows: Rows) -> None:
    """Two streaming passes: find each column's type, then write in batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema(rows(), pa)
    with atomic_open(path, "wb") as fh, pq.ParquetWriter(fh, schema) as writer:
        for batch in _batches(rows(), PARQUET_BATCH):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def _schema(rows: Iterable[dict[str, Any]], pa: Any) -> Any:
    types: dict[str, Any] = {}
    for row in rows:
        for key, value in row.items():
            if types.get(key) is None:
                types[key] = _arrow_type(value, pa)
    return pa.schema([(k, t if t is not None else pa.string()) for k, t in types.items()])


def _arrow_type(value: Any, pa: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return pa.bool_()
    if isinstance(value, int):
        return pa.int64()
    if isinstance(value, float):
        return pa.float64()
    return pa.string()


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch
