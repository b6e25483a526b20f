"""Generate the README's configuration reference from the comments in configs/params.yaml."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pipeline.config import PARAMS_FILE, PROJECT_ROOT

START, END = "<!-- params:start -->", "<!-- params:end -->"
_LINE = re.compile(r"^(?P<indent> *)(?P<key>[\w-]+):(?P<value>[^#]*?)\s*(?:#\s*(?P<doc>.*))?$")


def params_rows(path: Path = PARAMS_FILE) -> list[tuple[str, str, str]]:
    """(dotted key, default, meaning) for every key in the params file, in file order."""
    rows, parents = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        depth = len(m["indent"]) // 2
        parents = [*parents[:depth], m["key"]]
        rows.append((".".join(parents), m["value"].strip(), (m["doc"] or "").strip()))
    return rows


def params_table(path: Path = PARAMS_FILE) -> str:
    """The reference as a Markdown table; section rows have no default."""
    lines = ["| key | default | meaning |", "|---|---|---|"]
    for key, default, doc in params_rows(path):
        shown = f"`{default}`" if default else ""
        lines.append(f"| `{key}` | {shown} | {doc.replace('|', chr(92) + '|')} |")
    return "\n".join(lines)


def render_readme(readme: str, table: str) -> str:
    """README text with the table between the params markers replaced."""
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{table}\n{END}{tail}"


if __name__ == "__main__":
    target = PROJECT_ROOT / "README.md"
    updated = render_readme(target.read_text(encoding="utf-8"), params_table())
    target.write_text(updated, encoding="utf-8")
    sys.stdout.write(f"updated the configuration reference in {target}\n")
