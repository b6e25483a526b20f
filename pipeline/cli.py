"""The `stance` command line: split, annotate and score Indonesian news articles."""

from __future__ import annotations

import logging
from enum import StrEnum
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer

from pipeline import config
from pipeline.errors import CheckFailed, with_exits
from pipeline.io import TABLE_FORMATS, refuse_output_in_inputs, write_csv
from pipeline.labeling.annotate import (
    CSV_COLUMNS,
    least_sure,
    merge_labels,
    project_candidates,
    select_rows,
)
from pipeline.labeling.corpus_loop import corpus_candidates
from pipeline.labeling.label_studio import export_tasks
from pipeline.logs import configure_logging
from pipeline.params import RealNewsParams, ScoreParams, load_section
from pipeline.text.segment import split_to_files

log = logging.getLogger("stance")
GoldFile = Annotated[Path, typer.Option(help="gold labels JSONL")]
StandoffFile = Annotated[Path, typer.Option(help="stand-off real-news labels")]
app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)


TableFormat = StrEnum("TableFormat", {name: name for name in TABLE_FORMATS})  # io's list


class Quantize(StrEnum):
    """Weight quantization for scoring."""

    none = "none"
    int8 = "int8"


class ExportFormat(StrEnum):
    """What `annotate export` writes."""

    csv = "csv"
    label_studio = "label-studio"


class Strategy(StrEnum):
    """How `annotate export` picks sentences."""

    random = "random"
    cue = "cue"
    uncertain = "uncertain"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stance {version('stance-pipeline')}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="debug logs, library logs and load reports")
    ] = False,
    show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version")
    ] = False,
) -> None:
    """Stance toward cooperation in Indonesian news, sentence by sentence."""
    configure_logging("DEBUG" if verbose else None)


@app.command(
    epilog="Example: stance split data/raw/ -o sentences.jsonl --articles-out articles.jsonl"
)
@with_exits
def split(
    inputs: Annotated[list[Path], typer.Argument(help=".txt files, folders, .jsonl or .csv")],
    output: Annotated[Path, typer.Option("--output", "-o", help="sentences JSONL to write")],
    articles_out: Annotated[
        Path | None, typer.Option(help="also write cleaned articles (id, title, dateline, text)")
    ] = None,
    clean: Annotated[bool, typer.Option(help="clean scraping debris before splitting")] = True,
) -> None:
    """Split articles into sentences: one JSON line per sentence with offsets."""
    for out in filter(None, (output, articles_out)):
        refuse_output_in_inputs(inputs, out)
    n_articles, n_sentences = split_to_files(inputs, output, articles_out, clean)
    log.info("wrote %d sentences from %d articles to %s", n_sentences, n_articles, output)


annotate_app = typer.Typer(help="Label more sentences: export a CSV, fill it in, import it.")
app.add_typer(annotate_app, name="annotate")


@annotate_app.command(
    "export",
    epilog="Example: stance annotate export -o todo.csv --strategy uncertain --n 100",
)
@with_exits
def annotate_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV to write")],
    strategy: Annotated[Strategy, typer.Option(help="which sentences to pick")] = Strategy.random,
    n: Annotated[int, typer.Option("--n", min=1, help="how many sentences")] = 100,
    seed: Annotated[int, typer.Option(help="seed for the random pick")] = 13,
    real_news: Annotated[
        bool,
        typer.Option(
            "--real-news",
            help="export unlabeled sentences of the real-news corpus (params real_news.corpus_dir)",
        ),
    ] = False,
    tag: Annotated[
        str, typer.Option(help="how these sentences were chosen, kept with each label")
    ] = "",
    corpus_dir: Annotated[
        Path | None, typer.Option(help="real-news corpus folder (default: params real_news)")
    ] = None,
    sentences: Annotated[Path, typer.Option(help="sentences JSONL")] = config.INTERIM_DIR
    / "sentences.jsonl",
    gold: GoldFile = config.GOLD_LABELS_FILE,
    labels: StandoffFile = config.REAL_NEWS_LABELS_FILE,
    model: Annotated[
        Path, typer.Option(help="model for --strategy uncertain and pre-annotations")
    ] = config.MODELS_DIR / "champion",
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", help="csv, or Label Studio tasks with the model's labels"),
    ] = ExportFormat.csv,
) -> None:
    """Write unlabeled sentences with context to a CSV a spreadsheet or Label Studio opens."""
    selection = tag or strategy.value
    if real_news:
        corpus_dir = corpus_dir or config.project_path(load_section(RealNewsParams).corpus_dir)
        rows = corpus_candidates(corpus_dir, labels, selection)
    else:
        rows = project_candidates(sentences, gold, selection)
    predictor = None
    if strategy is Strategy.uncertain or (fmt is ExportFormat.label_studio and model.exists()):
        predictor = _predictor(model)
    uncertainty = least_sure(predictor) if strategy is Strategy.uncertain else None
    picked = select_rows(rows, strategy.value, n, seed, uncertainty)
    if fmt is ExportFormat.csv:
        write_csv(output, picked, CSV_COLUMNS, spreadsheet=True, bom=True)
    else:
        export_tasks(output, picked, predictor, str(model), config.label_names())
    log.info(
        "wrote %d of %d unlabeled sentences to %s (%s)",
        len(picked),
        len(rows),
        output,
        strategy.value,
    )


@annotate_app.command("import", epilog="Example: stance annotate import todo.csv --annotator rina")
@with_exits
def annotate_import(
    csv_file: Annotated[Path, typer.Argument(help="filled-in CSV, or Label Studio's JSON export")],
    gold: GoldFile = config.GOLD_LABELS_FILE,
    labels: StandoffFile = config.REAL_NEWS_LABELS_FILE,
    annotator: Annotated[
        str, typer.Option(help="who labeled the rows (required for real-news rows)")
    ] = "",
) -> None:
    """Merge labels into the gold files; conflicts are reported (exit 1), never overwritten."""
    report = merge_labels(csv_file, gold, config.label_names(), labels, annotator)
    log.info("added %d labels, %d already present", report.added, report.unchanged)
    for conflict in report.conflicts:
        log.warning("%s", conflict)
    if report.conflicts:
        raise CheckFailed(
            f"{len(report.conflicts)} conflicting labels in {csv_file} were not merged"
        )


@annotate_app.command(
    "add",
    epilog="Example: stance annotate add new/*.txt && dvc repro split_sentences "
    "&& stance annotate export -o todo.csv",
)
@with_exits
def annotate_add(
    inputs: Annotated[list[Path], typer.Argument(help=".txt files, folders, .jsonl or .csv")],
    to: Annotated[Path, typer.Option(help="folder under data/raw/ for them")] = config.RAW_DIR
    / "added",
) -> None:
    """Add new articles to the corpus (data/raw/) so they can be exported, labeled and joined."""
    from pipeline.labeling.intake import add_articles

    copied = add_articles(inputs, config.RAW_DIR, to)
    log.info(
        "added %d file(s) to %s; next: `dvc repro split_sentences`, then `stance annotate "
        "export`, fill in, `stance annotate import`, `dvc repro`",
        len(copied),
        to,
    )


def _predictor(model_dir: Path):
    from pipeline.modeling.predictor import load_predictor

    if not model_dir.exists():
        raise typer.BadParameter(f"{model_dir} not found; run `make repro` to train a model")
    return load_predictor(model_dir)


@app.command(
    epilog="Examples: stance score data/incoming/ -o out/ ; "
    "stance score feed.jsonl -o out/ --model models:/stance-classifier@champion --format parquet"
)
@with_exits
def score(
    inputs: Annotated[list[Path], typer.Argument(help=".txt files, folders, .jsonl or .csv")],
    output_dir: Annotated[Path, typer.Option("--output", "-o", help="folder for the tables")],
    model: Annotated[
        str,
        typer.Option(help="model folder, or an MLflow URI like models:/stance-classifier@champion"),
    ] = "models/champion",
    split_sentences: Annotated[
        bool, typer.Option("--split/--no-split", help="--no-split: each record is one sentence")
    ] = True,
    fmt: Annotated[TableFormat, typer.Option("--format", help="table format")] = TableFormat.jsonl,
    batch_size: Annotated[int, typer.Option(min=1, help="sentences per model batch")] = 64,
    chunk_size: Annotated[
        int, typer.Option(min=1, help="articles per resumable part (memory is bounded by this)")
    ] = 200,
    quantize: Annotated[
        Quantize, typer.Option(help="int8: dynamic int8 Linear layers (transformer only)")
    ] = Quantize.none,
    resume: Annotated[bool, typer.Option(help="continue an interrupted run in OUTPUT")] = False,
    overwrite: Annotated[bool, typer.Option(help="replace results already in OUTPUT")] = False,
    skip_bad: Annotated[
        bool, typer.Option(help="record bad records in rejected.jsonl and score the rest")
    ] = False,
    max_article_chars: Annotated[
        int, typer.Option(min=1, help="longer articles are rejected (memory stays bounded)")
    ] = ScoreParams.max_article_chars,
    max_sentence_chars: Annotated[
        int, typer.Option(min=100, help="longer 'sentences' are cut at a space and flagged `cut`")
    ] = ScoreParams.max_sentence_chars,
) -> None:
    """Score articles into sentence- and article-level tables, resumably."""
    from pipeline.scoring.batch import ScoreOptions, score_inputs
    from pipeline.tracking.scoring_model import load_scoring_model, model_ref

    options = ScoreOptions(
        split=split_sentences,
        fmt=fmt.value,
        batch_size=batch_size,
        chunk_articles=chunk_size,
        skip_bad=skip_bad,
        max_article_chars=max_article_chars,
        max_sentence_chars=max_sentence_chars,
    )
    model = model_ref(model)
    predictor = load_scoring_model(model, quantize=quantize.value, batch_size=batch_size)
    summary = score_inputs(inputs, output_dir, predictor, model, options, resume, overwrite)
    counts = summary["counts"]
    log.info(
        "%d articles, %d sentences, %d rejected records -> %s",
        counts["articles"],
        counts["sentences"],
        counts["rejected"],
        output_dir,
    )


@app.command(
    epilog="Example: stance promote            # the version `dvc exp run` left as @candidate"
)
@with_exits
def promote(
    version: Annotated[
        str | None, typer.Argument(help="registry version (default: the one now @candidate)")
    ] = None,
) -> None:
    """Point models:/stance-classifier@champion at a registered version, deliberately."""
    import mlflow
    from mlflow import MlflowClient

    from pipeline.tracking.registry import promote as promote_version
    from pipeline.tracking.runs import CHAMPION_ALIAS, REGISTERED_MODEL, tracking_uri

    mlflow.set_tracking_uri(tracking_uri())
    moved = promote_version(MlflowClient(), version)
    log.info("%s@%s is now version %s", REGISTERED_MODEL, CHAMPION_ALIAS, moved)


if __name__ == "__main__":
    app()
