"""Batch scoring: stream articles in chunks, write resumable parts, then the final tables."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pipeline.io import (
    TABLE_FORMATS,
    exclusive_lock,
    fingerprint,
    read_jsonl,
    refuse_output_in_inputs,
    write_json,
    write_jsonl,
    write_table,
)
from pipeline.modeling.predictor import Predictor
from pipeline.params import ScoreParams
from pipeline.progress import Progress
from pipeline.scoring.run_folder import check_manifest, finished_run, prepare_work
from pipeline.scoring.summary import (
    article_columns,
    label_sentences,
    sentence_columns,
    summarise_article,
)
from pipeline.text.articles import Article, InputError, expand_inputs, iter_records
from pipeline.text.segment import cap_sentences, segment_article

log = logging.getLogger(__name__)
ARTICLE_META = ("title", "date", "date_from", "source", "source_from", "dateline")


@dataclass(frozen=True)
class ScoreOptions:
    """How to score; everything that changes the output goes into the resume fingerprint."""

    split: bool = True
    fmt: str = "jsonl"
    batch_size: int = 64
    chunk_articles: int = 200
    skip_bad: bool = False
    max_article_chars: int = ScoreParams.max_article_chars
    max_sentence_chars: int = ScoreParams.max_sentence_chars

    def __post_init__(self):
        if self.fmt not in TABLE_FORMATS:
            raise ValueError(f"format must be one of {TABLE_FORMATS}, got {self.fmt!r}")
        if min(self.batch_size, self.chunk_articles, self.max_article_chars) < 1:
            raise ValueError("batch size, chunk size and max article chars must be >= 1")
        if self.max_sentence_chars < 100:
            raise ValueError("max sentence chars must be >= 100")


def score_inputs(
    inputs: list[Path],
    out_dir: Path,
    predictor: Predictor,
    model_ref: str,
    options: ScoreOptions,
    resume: bool = False,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Score every article; returns the run summary also written to OUT_DIR/run.json.

    The output folder is locked for the whole run; a refused run leaves nothing behind.
    """
    refuse_output_in_inputs(inputs, out_dir)
    with exclusive_lock(out_dir):
        manifest = _manifest(inputs, model_ref, predictor, options)
        finished = finished_run(out_dir, manifest, resume, overwrite)
        if finished is not None:
            return finished
        total = _count(inputs, options)  # without --skip-bad, stops before anything is written
        work = prepare_work(out_dir, resume, overwrite)
        check_manifest(work, manifest)
        return _score(inputs, out_dir, work, predictor, model_ref, options, manifest, total)


def _score(
    inputs: list[Path],
    out_dir: Path,
    work: Path,
    predictor: Predictor,
    model_ref: str,
    options: ScoreOptions,
    manifest: dict[str, Any],
    total: int,
) -> dict[str, Any]:
    rejected = [] if options.skip_bad else None
    start = time.perf_counter()
    n_articles = n_sentences = 0
    parts = []
    with Progress("scoring", total, "article") as bar:
        for index, chunk in enumerate(_chunks(inputs, options, rejected)):
            part = work / f"part-{index:05d}"
            if not _part_done(part):
                _score_chunk(chunk, part, predictor, model_ref, options)
            sentences = _count_lines(part.with_suffix(".sentences.jsonl"))
            n_articles, n_sentences = n_articles + len(chunk), n_sentences + sentences
            parts.append(part)
            bar.update(len(chunk), sent_per_s=f"{n_sentences / (time.perf_counter() - start):.0f}")
    columns = {
        "sentences": sentence_columns(predictor.label_names),
        "articles": article_columns(predictor.label_names),
    }
    summary = _finish(
        out_dir, work, parts, options, manifest, rejected, (n_articles, n_sentences), columns
    )
    log.info("scored %d articles, %d sentences into %s", n_articles, n_sentences, out_dir)
    return summary


def _records(inputs: list[Path], options: ScoreOptions) -> Iterator[Article | InputError]:
    """The inputs' records, an article over the size limit turned into an InputError."""
    for record in iter_records(*inputs):
        if isinstance(record, Article):
            record = _too_long(record, options.max_article_chars) or record
        yield record


def _count(inputs: list[Path], options: ScoreOptions) -> int:
    """The number of articles to score; the first bad record is raised unless --skip-bad."""
    n = 0
    for record in _records(inputs, options):
        if isinstance(record, InputError):
            if not options.skip_bad:
                raise record
            continue
        n += 1
    return n


def _too_long(article: Article, limit: int) -> InputError | None:
    """An InputError for an article over the size limit, before it costs any memory."""
    if len(article.text) <= limit:
        return None
    path, _, line = article.origin.rpartition(":")
    return InputError(
        path,
        int(line) if line.isdigit() else None,
        f"article {article.id!r} has {len(article.text):,} characters, over the limit of {limit:,}",
        "split it into several articles, or raise --max-article-chars (score.max_article_chars)",
    )


def _manifest(
    inputs: list[Path], model_ref: str, predictor: Predictor, options: ScoreOptions
) -> dict[str, Any]:
    files = expand_inputs(*inputs)
    # Content, not mtimes: a fresh clone of the same inputs must record the same run.json.
    return {
        "inputs": [str(f) for f in files],
        "inputs_fingerprint": fingerprint(files),
        "model": model_ref,
        "model_info": predictor.info,
        "options": asdict(options),
    }


def _chunks(
    inputs: list[Path], options: ScoreOptions, rejected: list | None
) -> Iterator[list[Article]]:
    """Fixed-size chunks of valid articles, so a resumed run sees the same chunk boundaries."""
    chunk: list[Article] = []
    for record in _records(inputs, options):
        if isinstance(record, InputError):
            if rejected is None:
                raise record
            rejected.append(
                {
                    "file": record.path,
                    "line": record.line,
                    "reason": record.problem,
                    "fix": record.fix,
                }
            )
            continue
        chunk.append(record)
        if len(chunk) == options.chunk_articles:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _part_done(part: Path) -> bool:
    return part.with_suffix(".articles.jsonl").exists()


def _score_chunk(
    chunk: list[Article], part: Path, predictor: Predictor, model_ref: str, options: ScoreOptions
) -> None:
    rows: list[dict[str, Any]] = []
    meta: dict[str, dict[str, Any]] = {}
    for article in chunk:
        record, sentences = _segment(article, options.split)
        sentences = cap_sentences(sentences, options.max_sentence_chars)
        if any(s["cut"] for s in sentences):
            log.warning(
                "%s: sentences over %d characters were cut at spaces (flagged `cut`)",
                article.origin,
                options.max_sentence_chars,
            )
        meta[article.id] = {k: record.get(k) for k in ARTICLE_META}
        rows.extend(sentences)
    labeled = label_sentences(predictor, rows)
    by_article: dict[str, list[dict]] = {a.id: [] for a in chunk}
    for row in labeled:
        by_article[row["article_id"]].append(row)
    summaries = [
        {
            **summarise_article(article_id, sents, predictor.label_names),
            **meta[article_id],
            "model": _model_label(model_ref, predictor),
            "model_source": predictor.info.get("model_source"),
        }
        for article_id, sents in by_article.items()
    ]
    write_jsonl(part.with_suffix(".sentences.jsonl"), labeled)
    write_jsonl(part.with_suffix(".articles.jsonl"), summaries)  # its presence marks the part done


def _model_label(model_ref: str, predictor: Predictor) -> str:
    """The model that scored, pinned: `models:/name/3`, or a folder @ the project's commit."""
    resolved = predictor.info.get("resolved") or {}
    if resolved.get("version") is not None:
        return str(resolved["uri"])
    if resolved.get("git_commit"):
        return f"{model_ref}@{resolved['git_commit']}"
    return model_ref


def _segment(article: Article, split: bool) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The article's record and its sentences; without splitting the text is one sentence."""
    if split:
        return segment_article(article)
    text = article.text.strip()
    record = {"title": article.title, "date": article.date, "source": article.source}
    record["date_from"] = "input" if article.date else None
    record["source_from"] = "input" if article.source else None
    row = {"article_id": article.id, "sent_idx": 0, "text": text, "start": 0, "end": len(text)}
    return record, [row]


def _part_rows(parts: list[Path], name: str):
    """A factory of fresh row streams over the parts, one part in memory at a time."""
    return lambda: (row for p in parts for row in read_jsonl(p.with_suffix(f".{name}.jsonl")))


def _count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def _finish(
    out_dir: Path,
    work: Path,
    parts: list[Path],
    options: ScoreOptions,
    manifest: dict,
    rejected: list | None,
    counts: tuple[int, int],
    columns: dict[str, list[str]],
) -> dict:
    n_articles, n_sentences = counts
    for name in ("sentences", "articles"):
        write_table(out_dir / f"{name}.{options.fmt}", _part_rows(parts, name), columns[name])
    if rejected is not None:
        write_jsonl(out_dir / "rejected.jsonl", rejected)
    else:
        (out_dir / "rejected.jsonl").unlink(missing_ok=True)
    for fmt in TABLE_FORMATS:  # tables a replaced run wrote in another format
        if fmt != options.fmt:
            for name in ("sentences", "articles"):
                (out_dir / f"{name}.{fmt}").unlink(missing_ok=True)
    summary = {
        **manifest,
        "counts": {
            "articles": n_articles,
            "sentences": n_sentences,
            "rejected": len(rejected or []),
        },
    }
    write_json(out_dir / "run.json", summary)
    shutil.rmtree(work)
    return summary
