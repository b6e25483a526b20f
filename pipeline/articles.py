"""Read articles from .txt files, folders, JSONL and CSV, with errors that name file and line."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SUFFIXES = (".txt", ".jsonl", ".csv")
OPTIONAL_FIELDS = ("title", "date", "source")


class InputError(ValueError):
    """Bad input: says which file and line, what is wrong, and how to fix it."""

    def __init__(self, path: Path | str, line: int | None, problem: str, fix: str):
        self.path, self.line, self.problem, self.fix = str(path), line, problem, fix
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}. Fix: {fix}")


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
    articles = list(iter_articles(*inputs))
    check_unique_ids(articles)
    return articles


def iter_articles(*inputs: Path) -> Iterator[Article]:
    """Stream articles from files and folders in a stable (sorted) order."""
    for path in expand_inputs(*inputs):
        if path.suffix == ".txt":
            yield read_txt(path)
        elif path.suffix == ".jsonl":
            yield from read_jsonl_articles(path)
        else:
            yield from read_csv_articles(path)


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


def check_unique_ids(articles: list[Article]) -> None:
    """Raise InputError naming both places when two articles share an id."""
    seen: dict[str, str] = {}
    for a in articles:
        if a.id in seen:
            path, _, line = a.origin.rpartition(":")
            raise InputError(
                path,
                int(line),
                f"duplicate id {a.id!r} (first seen at {seen[a.id]})",
                "give every article a unique id",
            )
        seen[a.id] = a.origin


def decode(path: Path, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or Windows-1252; LF line endings."""
    if not data.strip():
        raise InputError(path, None, "file is empty", "remove it or add article text")
    if b"\x00" in data:
        raise InputError(
            path, None, "file is binary, not text", "pass a UTF-8 or Windows-1252 text file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as err:
            raise InputError(
                path,
                None,
                f"not UTF-8 or Windows-1252 text ({err.reason})",
                "re-save the file as UTF-8",
            ) from err
    return text.replace("\r\n", "\n").replace("\r", "\n")


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


def read_jsonl_articles(path: Path) -> Iterator[Article]:
    """Articles from JSON lines with `id`, `text` and optional title, date, source."""
    text = decode(path, path.read_bytes())
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(
                path, n, f"line is not valid JSON ({err.msg})", "write one JSON object per line"
            ) from err
        if not isinstance(record, dict):
            raise InputError(
                path,
                n,
                "line is not a JSON object",
                'write objects like {"id": "a1", "text": "..."}',
            )
        yield _record_to_article(record, path, n)


def read_csv_articles(path: Path) -> Iterator[Article]:
    """Articles from a CSV with a header holding `id` and `text` columns."""
    reader = csv.DictReader(io.StringIO(decode(path, path.read_bytes()), newline=""))
    header = reader.fieldnames or []
    for column in ("id", "text"):
        if column not in header:
            raise InputError(
                path,
                1,
                f"CSV header has no {column!r} column (found {header})",
                "add an 'id' and a 'text' column to the header",
            )
    for record in reader:
        yield _record_to_article(record, path, reader.line_num)


def _record_to_article(record: dict, path: Path, line: int) -> Article:
    for key in ("id", "text"):
        value = record.get(key)
        if value is None or not str(value).strip():
            raise InputError(
                path, line, f"record has no {key!r}", f"give every record a non-empty {key!r}"
            )
    extra = {k: str(record[k]) for k in OPTIONAL_FIELDS if record.get(k) not in (None, "")}
    return Article(
        id=str(record["id"]).strip(),
        text=str(record["text"]).replace("\r\n", "\n"),
        origin=f"{path}:{line}",
        **extra,
    )
