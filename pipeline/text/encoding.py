"""Decoding article files: UTF-8, UTF-16 (with a BOM) or Windows-1252, one encoding per file."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import BadInput

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_READ_AS = "re-save the file as UTF-8"


class InputError(BadInput, ValueError):
    """Bad input: says which file and line, what is wrong, and how to fix it."""

    def __init__(self, path: Path | str, line: int | None, problem: str, fix: str):
        self.path, self.line, self.problem, self.fix = str(path), line, problem, fix
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}. Fix: {fix}")


def _check_head(path: Path, head: bytes) -> bool:
    """True for UTF-16; raises InputError for an empty or binary file."""
    if head.startswith(_UTF16_BOMS):
        return True
    if not head.strip():
        raise InputError(path, None, "file is empty", "remove it or add article text")
    if b"\x00" in head:
        raise InputError(
            path, None, "file is binary, not text", "pass a UTF-8, UTF-16 or Windows-1252 file"
        )
    return False


def decode(path: Path, data: bytes) -> str:
    """The whole file's text with LF line endings; one encoding for the whole file."""
    if _check_head(path, data[:8192]):
        text = data.decode("utf-16")
    else:
        lines = []
        for _, line in _lines_checked(path, data.splitlines(keepends=True)):
            if isinstance(line, InputError):
                raise line
            lines.append(line)
        text = "".join(lines)
    if not text.strip():
        raise InputError(path, None, "file is empty", "remove it or add article text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decoded_lines(path: Path) -> Iterator[tuple[int, str | InputError]]:
    """Numbered lines decoded one at a time, so memory stays flat; an InputError for a line
    in another encoding than the rest of the file (reported, never replaced)."""
    with open(path, "rb") as fh:
        utf16 = _check_head(path, fh.read(8192))
        fh.seek(0)
        if utf16:
            reader = codecs.getreader("utf-16")(fh)
            for n, line in enumerate(reader, start=1):
                yield n, line.replace("\r\n", "\n")
            return
        for n, line in _lines_checked(path, fh):
            yield n, line if isinstance(line, InputError) else line.replace("\r\n", "\n")


def _lines_checked(path: Path, raw_lines) -> Iterator[tuple[int, str | InputError]]:
    """UTF-8 unless the first non-ASCII line is not; a line in another encoding is an error."""
    encoding: str | None = None
    for n, raw in enumerate(raw_lines, start=1):
        if n == 1 and raw.startswith(codecs.BOM_UTF8):
            raw, encoding = raw[len(codecs.BOM_UTF8) :], "utf-8"
        if raw.isascii():
            yield n, raw.decode("ascii")
            continue
        if encoding is None:
            encoding = "utf-8" if _is_utf8(raw) else "cp1252"
        if encoding == "cp1252" and _is_utf8(raw):
            problem = "line is UTF-8 but the file's first non-ASCII line is Windows-1252"
            yield n, InputError(path, n, problem, _READ_AS)
            continue
        try:
            yield n, raw.decode(encoding)
        except UnicodeDecodeError:
            first = "UTF-8" if encoding == "utf-8" else "Windows-1252"
            problem = f"line is not {first}, the encoding of the file's first non-ASCII line"
            yield n, InputError(path, n, problem, _READ_AS)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
