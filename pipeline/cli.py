"""The `stance` command line: split, annotate and score Indonesian news articles."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from pipeline.articles import InputError, read_articles
from pipeline.atomic import write_jsonl
from pipeline.logs import configure_logging
from pipeline.segment import segment_articles

log = logging.getLogger("stance")
app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)


def exits_on_input_error(func: Callable) -> Callable:
    """Turn InputError into a logged message and exit code 2, writing nothing."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except InputError as err:
            log.error("%s", err)
            raise typer.Exit(code=2) from err

    return wrapper


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    """Stance toward cooperation in Indonesian news, sentence by sentence."""
    configure_logging("DEBUG" if verbose else None)


@app.command()
@exits_on_input_error
def split(
    inputs: Annotated[list[Path], typer.Argument(help=".txt files, folders, .jsonl or .csv")],
    output: Annotated[Path, typer.Option("--output", "-o", help="sentences JSONL to write")],
    articles_out: Annotated[
        Path | None, typer.Option(help="also write cleaned articles (id, title, dateline, text)")
    ] = None,
    clean: Annotated[bool, typer.Option(help="clean scraping debris before splitting")] = True,
) -> None:
    """Split articles into sentences: one JSON line per sentence with offsets."""
    n_articles, n_sentences = split_to_files(inputs, output, articles_out, clean)
    log.info("wrote %d sentences from %d articles to %s", n_sentences, n_articles, output)


def split_to_files(
    inputs: list[Path], output: Path, articles_out: Path | None, clean: bool
) -> tuple[int, int]:
    """Read all inputs first (so bad input writes nothing), then write atomically."""
    articles = read_articles(*inputs)
    records, sentences = [], []
    for record, sents in tqdm(
        segment_articles(articles, clean),
        total=len(articles),
        desc="splitting",
        unit="article",
        disable=None,
    ):
        records.append(record)
        sentences.extend(sents)
    if articles_out is not None:
        write_jsonl(articles_out, records)
    write_jsonl(output, sentences)
    return len(records), len(sentences)


if __name__ == "__main__":
    app()
