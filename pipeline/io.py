"""Every file the project writes goes through here: atomic files and folders, JSON, JSONL,
CSV and Parquet tables, and the one content fingerprint."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import shutil
import socket
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO, Any, Literal, get_args

from pipeline.errors import BadInput, Busy

Rows = Callable[[], Iterable[dict[str, Any]]]
TableFormat = Literal["jsonl", "csv", "parquet"]  # the one list of table formats
TABLE_FORMATS: tuple[str, ...] = get_args(TableFormat)
PARQUET_BATCH = 2000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _final_mode(path: Path) -> int:
    """An existing file keeps its mode; a new one gets 0666 less the umask, like open() gives."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


@contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temp file that replaces `path` only if the block finishes without error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _final_mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, obj: Any) -> None:
    """Atomically write one JSON document, pretty-printed for diffs."""
    with atomic_open(path) as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.write("\n")


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Atomically write rows as JSON lines; returns the number of rows."""
    n = 0
    with atomic_open(path) as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


class JsonLineError(str):
    """What is wrong with one line of a JSON-lines file (the parser's message)."""


def jsonl_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, value) of each non-blank line; a JsonLineError where the line is not JSON.

    The one JSON-lines reader: callers decide whether a bad line stops them or is listed.
    """
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as err:
                yield n, JsonLineError(err.msg)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read a JSON-lines file written by this project; BadInput names a broken line."""
    rows = []
    for n, value in jsonl_lines(path):
        if isinstance(value, JsonLineError):
            raise BadInput(
                f"{path}:{n}: not valid JSON ({value}); fix or remove the line, or rerun the "
                "stage that writes this file"
            )
        rows.append(value)
    return rows


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (=, +, -, @ first), quoted with '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def spreadsheet_unescape(value: str) -> str:
    """The text spreadsheet_safe quoted, as it was."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def write_csv(
    path: Path,
    rows: Iterable[dict[str, Any]],
    columns: Sequence[str] | None = None,
    spreadsheet: bool = False,
    bom: bool = False,
) -> int:
    """Atomically write rows as CSV with a header (also when empty, given `columns`).

    spreadsheet=True escapes cells that Excel or LibreOffice would evaluate as formulas;
    bom=True starts the file with a BOM so that they detect UTF-8.
    """
    n = 0
    with atomic_open(path) as fh:
        if bom:
            fh.write("\ufeff")
        writer = None
        if columns is not None:
            writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
            writer.writeheader()
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(row), lineterminator="\n")
                writer.writeheader()
            if spreadsheet:
                row = {k: spreadsheet_safe(v) for k, v in row.items()}
            writer.writerow(row)
            n += 1
    return n


def write_table(path: Path, rows: Rows, columns: Sequence[str] | None = None) -> None:
    """Write the rows `rows()` yields in the format named by the suffix, streaming.

    `columns` gives an empty result its header (CSV) or schema (Parquet).
    """
    path = Path(path)
    fmt = path.suffix.lstrip(".")
    if fmt == "jsonl":
        write_jsonl(path, rows())
    elif fmt == "csv":
        write_csv(path, rows(), columns, spreadsheet=True)
    elif fmt == "parquet":
        _write_parquet(path, rows, columns)
    else:
        raise ValueError(f"{path}: unsupported table format; use one of {TABLE_FORMATS}")


def _write_parquet(path: Path, rows: Rows, columns: Sequence[str] | None) -> None:
    """Two streaming passes: find each column's type, then write in batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema(rows(), columns or (), pa)
    with atomic_open(path, "wb") as fh, pq.ParquetWriter(fh, schema) as writer:
        for batch in _batches(rows(), PARQUET_BATCH):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def _schema(rows: Iterable[dict[str, Any]], columns: Sequence[str], pa: Any) -> Any:
    types: dict[str, Any] = dict.fromkeys(columns)
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


def fingerprint(paths: Iterable[Path]) -> str:
    """SHA-256 over each file's path (relative to its root), size and bytes, in sorted order."""
    digest = hashlib.sha256()
    for root in sorted(Path(p) for p in paths):
        files = sorted(f for f in root.rglob("*") if f.is_file()) if root.is_dir() else [root]
        for f in files:
            name = f.relative_to(root).as_posix() if root.is_dir() else f.name
            digest.update(f"{name}\0{f.stat().st_size}\0".encode())
            with open(f, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
    return digest.hexdigest()


def swap_dir(src: Path, dst: Path) -> None:
    """Move the finished folder `src` to `dst`, replacing any old `dst` (two renames)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    old = dst.parent / f".{dst.name}.old-{os.getpid()}"
    if dst.exists():
        os.replace(dst, old)
    os.replace(src, dst)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """A temp folder that replaces folder `path` only if the block finishes without error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700
        swap_dir(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def refuse_output_in_inputs(inputs: list[Path], out: Path) -> None:
    """BadInput when the output is an input, or lies inside an input folder (it would be read)."""
    target = Path(out).resolve()
    for item in map(Path, inputs):
        source = item.resolve()
        if target == source or (source.is_dir() and target.is_relative_to(source)):
            raise BadInput(
                f"output {out} is inside the input {item}: it would overwrite the input or be "
                "read back as articles next time; write the output somewhere else"
            )


@contextmanager
def exclusive_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on `target` (a file or folder) for the block.

    The lock is the file `.<name>.lock` beside it; a second writer is refused at once with a
    Busy error naming the holder. The OS drops the lock when its holder dies, even on kill -9.
    """
    target = Path(target)
    lock = target.parent / f".{target.name}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "another process"
        os.close(fd)
        raise Busy(
            f"{target} is being written by {holder}; wait for that run to finish (or stop "
            "it) and run again"
        ) from None
    try:
        os.ftruncate(fd, 0)
        since = time.strftime("%Y-%m-%d %H:%M:%S")
        command = " ".join(Path(sys.argv[0]).name.split() + sys.argv[1:])[:300]
        os.pwrite(
            fd, f"pid {os.getpid()} on {socket.gethostname()} since {since} ({command})".encode(), 0
        )
        yield
    finally:
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
