"""Label Studio's JSON: tasks with the model's predictions as pre-annotations, and its export."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.io import atomic_open
from pipeline.text.encoding import InputError, decode

log = logging.getLogger("stance")
FROM_NAME, TO_NAME = "stance", "text"  # the names in configs/label_studio.xml


def labeling_config(label_names: list[str]) -> str:
    """The Label Studio labeling interface for the stance choices, sentence in its context."""
    choices = "\n".join(f'    <Choice value="{name}"/>' for name in label_names)
    return f"""<View>
  <Text name="before" value="$context_before" granularity="word"/>
  <Header value="Sentence to label"/>
  <Text name="{TO_NAME}" value="$text"/>
  <Text name="after" value="$context_after" granularity="word"/>
  <Choices name="{FROM_NAME}" toName="{TO_NAME}" choice="single" showInline="true">
{choices}
  </Choices>
  <TextArea name="note" toName="{TO_NAME}" placeholder="rule applied (optional)"/>
</View>
"""


def write_tasks(
    path: Path, rows: list[dict[str, Any]], predictions: list[tuple[str, float]] | None, model: str
) -> None:
    """Tasks JSON for Label Studio's import; each with the model's label as a pre-annotation."""
    tasks = []
    for i, row in enumerate(rows):
        task: dict[str, Any] = {
            "data": {k: row.get(k, "") for k in ("id", "article_id", "sent_idx", "text")}
            | {"context_before": row.get("context_before", ""), "selection": row["selection"]}
            | {"context_after": row.get("context_after", "")},
        }
        if predictions is not None:
            label, score = predictions[i]
            task["predictions"] = [
                {
                    "model_version": model,
                    "score": round(float(score), 4),
                    "result": [_choice(label)],
                }
            ]
        tasks.append(task)
    with atomic_open(path) as fh:
        json.dump(tasks, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


def _choice(label: str) -> dict[str, Any]:
    return {
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "choices",
        "value": {"choices": [label]},
    }


def read_export(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(task number, {id, text, label, selection, note}) from Label Studio's JSON export.

    The latest non-cancelled annotation counts; a task without one has no label.
    """
    try:
        tasks = json.loads(decode(path, path.read_bytes()))
    except json.JSONDecodeError as err:
        raise InputError(
            path, err.lineno, f"not JSON ({err.msg})", "pass Label Studio's JSON export"
        ) from None
    if not isinstance(tasks, list):
        raise InputError(
            path, 1, "not a list of tasks", "export the project as JSON (not JSON-MIN)"
        )
    for n, task in enumerate(tasks, start=1):
        data = task.get("data") or {}
        if not isinstance(data.get("id"), str) or not isinstance(data.get("text"), str):
            raise InputError(
                path,
                n,
                "task lacks data.id or data.text",
                "import the tasks `stance annotate export --format label-studio` wrote",
            )
        label, note = _annotation(task)
        yield (
            n,
            {
                "id": data["id"],
                "text": data["text"],
                "label": label,
                "selection": data.get("selection") or "",
                "note": note,
            },
        )


def _annotation(task: dict[str, Any]) -> tuple[str, str]:
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not done:
        return "", ""
    latest = max(done, key=lambda a: (a.get("updated_at") or "", a.get("id") or 0))
    label = note = ""
    for result in latest.get("result") or []:
        value = result.get("value") or {}
        if result.get("from_name") == FROM_NAME and value.get("choices"):
            label = value["choices"][0]
        elif result.get("from_name") == "note" and value.get("text"):
            note = " ".join(value["text"])
    return label, note


def export_tasks(
    output: Path, rows: list[dict], predictor: Any, model: str, label_names: list[str]
) -> None:
    """Tasks pre-annotated by `predictor` (None: no pre-annotations), and the labeling
    interface beside them (`<output>.label_config.xml`)."""
    predictions = None
    if predictor is not None:
        proba = predictor.predict_proba([r["text"] for r in rows]) if rows else []
        predictions = [(predictor.label_names[int(p.argmax())], float(p.max())) for p in proba]
    else:
        log.warning("no model in %s: tasks carry no pre-annotations", model)
    write_tasks(output, rows, predictions, model)
    interface = output.with_suffix(".label_config.xml")
    with atomic_open(interface) as fh:
        fh.write(labeling_config(label_names))
    log.info("Label Studio: import %s; labeling interface in %s", output, interface)
