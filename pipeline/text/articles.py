"""Read articles from .txt files, folders, JSONL and CSV, with errors that name file and line."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.text.encoding import InputError, decode, decoded_lines

SUFFIXES = (".txt", ".jsonl", ".csv")
OPTIONAL_FIELDS = ("title", "date", "source")


@dataclass(frozen=True)
class Article:
    """One input article; `origin` is `file:line` for error messages and provenance."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    origin: str = field(default="", compare=False)

    def full_text(self) -> str:
        """Title and body as given, for splitting without cleaning."""
        return f"{self.title}\n{self.text}" if self.title else self.text


def read_articles(*inputs: Path) -> list[Article]:
    """Read every article from the inputs; raises InputError on the first bad record."""
    return list(iter_articles(*inputs))


def iter_articles(*inputs: Path) -> Iterator[Article]:
    """Stream articles in a stable (sorted) order; raises InputError on the first bad record."""
    for record in iter_records(*inputs):
        if isinstance(record, InputError):
            raise record
        yield record


def iter_records(*inputs: Path) -> Iterator[Article | InputError]:
    """Stream articles, yielding (not raising) an InputError for each bad record or file."""
    seen: dict[str, str] = {}
    for path in expand_inputs(*inputs):
        for record in _file_records(path):
            if isinstance(record, Article):
                if record.id in seen:
                    where, _, line = record.origin.rpartition(":")
                    record = InputError(
                        where,
                        int(line),
                        f"duplicate id {record.id!r} (first seen at {seen[record.id]})",
                        "give every article a unique id",
                    )
                else:
                    seen[record.id] = record.origin
            yield record


def _file_records(path: Path) -> Iterator[Article | InputError]:
    try:
        if path.suffix == ".txt":
            yield read_txt(path)
        elif path.suffix == ".jsonl":
            yield from read_jsonl_articles(path)
        else:
            yield from read_csv_articles(path)
    except InputError as err:  # the whole file is unreadable
        yield err


def expand_inputs(*inputs: Path) -> list[Path]:
    """Files named directly plus every supported file below named folders, sorted."""
    files: list[Path] = []
    for item in map(Path, inputs):
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            if not found:
                raise InputError(
                    item,
                    None,
                    "folder holds no .txt, .jsonl or .csv file",
                    "point to a folder of articles or to a file",
                )
            files.extend(found)
        elif not item.exists():
            raise InputError(item, None, "no such file or folder", "check the path")
        elif item.suffix not in SUFFIXES:
            raise InputError(
                item, None, f"unsupported file type {item.suffix!r}", "use .txt, .jsonl or .csv"
            )
        else:
            files.append(item)
    return files


def read_txt(path: Path) -> Article:
    """A .txt article: the first non-empty line is the title, the rest the body."""
    text = decode(path, path.read_bytes())
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    body = "\n".join(lines[first + 1 :])
    if not body.strip():
        raise InputError(
            path,
            first + 1,
            "article has a title line but no body",
            "put the article text below the title",
        )
    return Article(id=path.stem, text=body, title=lines[first].strip(), origin=f"{path}:1")


def read_jsonl_articles(path: Path) -> Iterator[Article | InputError]:
    """Articles from JSON lines (`id`, `text`, optional title, date, source); bad lines as errors."""
    for n, line in decoded_lines(path):
        if isinstance(line, InputError):
            yield line
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield InputError(
                path, n, f"line is not valid JSON ({err.msg})", "write one JSON object per line"
            )
            continue
        if not isinstance(record, dict):
            yield InputError(
                path,
                n,
                "line is not a JSON object",
                'write objects like {"id": "a1", "text": "..."}',
            )
            continue
        yield _record_to_article(record, path, n)


def read_csv_articles(path: Path) -> Iterator[Article | InputError]:
    """Articles from a CSV whose header holds `id` and `text` columns; bad rows as errors."""
    reader = csv.DictReader(_csv_lines(path), strict=True)
    header = reader.fieldnames or []
    for column in ("id", "text"):
        if column not in header:
            raise InputError(
                path,
                1,
                f"CSV header has no {column!r} column (found {header})",
                "add an 'id' and a 'text' column to the header",
            )
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise InputError(
                path,
                start,
                f"CSV record starting here cannot be parsed ({err}); a quoted field that "
                "never closes swallows the rest of the file",
                'close the quote, and write a quote inside a quoted field as ""',
            ) from None
        if None in record or None in record.values():
            yield InputError(
                path,
                start,
                f"CSV row has {len(header) + len(record.get(None) or [])} fields where the "
                f"header has {len(header)}",
                "quote fields that contain commas",
            )
            continue
        yield _record_to_article(record, path, start)


def _csv_lines(path: Path) -> Iterator[str]:
    for _, line in decoded_lines(path):
        if isinstance(line, InputError):
            raise line
        yield line


def _record_to_article(record: dict, path: Path, line: int) -> Article | InputError:
    for key in ("id", "text", *OPTIONAL_FIELDS):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return InputError(
                path,
                line,
                f"field {key!r} is {type(value).__name__} {_short(value)}, not text",
                f'give {key!r} as a JSON string, e.g. "{key}": "..."',
            )
    for key in ("id", "text"):
        if not (record.get(key) or "").strip():
            return InputError(
                path, line, f"record has no {key!r}", f"give every record a non-empty {key!r}"
            )
    extra = {k: record[k] for k in OPTIONAL_FIELDS if record.get(k)}
    return Article(
        id=record["id"].strip(),
        text=record["text"].replace("\r\n", "\n"),
        origin=f"{path}:{line}",
        **extra,
    )


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."
