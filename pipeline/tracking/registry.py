"""The model registry: a version per champion content, and a @champion alias that only a clean,
committed `dvc repro` or a deliberate `stance promote` moves."""

from __future__ import annotations

import logging
import os
from typing import Any

from pipeline.errors import BadInput
from pipeline.tracking.runs import CHAMPION_ALIAS, REGISTERED_MODEL, git_commit

log = logging.getLogger(__name__)
CANDIDATE_ALIAS = "candidate"
PARENT_TAG = "stance_run"  # = "pipeline" on the parent run of each repro: what notebooks look for
FINGERPRINT_TAG = "champion_fingerprint"


def committed_inputs() -> bool:
    """True when code, params and data match a commit and this is not a `dvc exp run`."""
    commit = git_commit()
    return not os.environ.get("DVC_EXP_NAME") and commit != "unknown" and "-dirty" not in commit


def run_name() -> str:
    """The DVC experiment's name, else `repro-<commit>` (with `-dirty` for uncommitted inputs)."""
    if name := os.environ.get("DVC_EXP_NAME"):
        return name
    commit = git_commit()
    return f"repro-{commit[:8]}{'-dirty' if commit.endswith('-dirty') else ''}"


def register_champion(
    client: Any, model_uri: str, fingerprint: str, description: str, tags: dict[str, str]
) -> tuple[str, str]:
    """The registry version holding this champion (registered only when its content is new)
    and the alias moved to it: @champion for committed inputs, else @candidate."""
    import mlflow

    same = [
        v
        for v in client.search_model_versions(f"name='{REGISTERED_MODEL}'")
        if v.tags.get(FINGERPRINT_TAG) == fingerprint
    ]
    if same:
        version = str(max(int(v.version) for v in same))
        log.info("champion unchanged: %s version %s already holds it", REGISTERED_MODEL, version)
    else:
        registered = mlflow.register_model(
            model_uri, REGISTERED_MODEL, tags={**tags, FINGERPRINT_TAG: fingerprint}
        )
        version = str(registered.version)
        client.update_model_version(REGISTERED_MODEL, version, description=description)
    alias = CHAMPION_ALIAS if committed_inputs() else CANDIDATE_ALIAS
    client.set_registered_model_alias(REGISTERED_MODEL, alias, version)
    if alias == CANDIDATE_ALIAS:
        log.warning(
            "uncommitted inputs or a DVC experiment: version %s is @%s; @%s is unchanged "
            "(`stance promote` moves it)",
            version,
            CANDIDATE_ALIAS,
            CHAMPION_ALIAS,
        )
    return version, alias


def promote(client: Any, version: str | None = None) -> str:
    """Point @champion at `version` (default: the current @candidate); returns the version."""
    if version is None:
        try:
            version = str(
                client.get_model_version_by_alias(REGISTERED_MODEL, CANDIDATE_ALIAS).version
            )
        except Exception as err:  # MlflowException: no such alias
            raise BadInput(
                f"{REGISTERED_MODEL} has no @{CANDIDATE_ALIAS}; name the version to promote"
            ) from err
    client.get_model_version(REGISTERED_MODEL, version)  # raises when it does not exist
    client.set_registered_model_alias(REGISTERED_MODEL, CHAMPION_ALIAS, version)
    return version


def registry_version(ref: str) -> dict[str, Any]:
    """For models:/name@alias or models:/name/N: the fixed version URI, its run and commit."""
    from mlflow import MlflowClient

    if not ref.startswith("models:/"):
        return {"uri": ref}
    name, _, which = ref.removeprefix("models:/").partition("@")
    client = MlflowClient()
    if which:
        version = client.get_model_version_by_alias(name, which)
    else:
        name, _, number = name.rpartition("/")
        version = client.get_model_version(name, number)
    commit = client.get_run(version.run_id).data.tags.get("git_commit") if version.run_id else None
    return {
        "uri": f"models:/{version.name}/{version.version}",
        "version": int(version.version),
        "run_id": version.run_id,
        "git_commit": commit,
    }
