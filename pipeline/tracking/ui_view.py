"""The MLflow UI's entry point for this project: the model-training view with headline columns."""

from __future__ import annotations

import json
import time
from typing import Any

VIEW_KEY = "headline"
VIEW_TAG = f"mlflow.sharedViewState.{VIEW_KEY}"  # how the UI stores a saved view
VIEW_NAME = "Headline metrics"
# Real news only: the figures users judge the project by (parent runs: the champion's; nested
# model runs: their own). The UI orders metric columns by name.
HEADLINE_COLUMNS = (
    "metrics.`champion_real_news_test_macro_f1`",
    "metrics.`real_news_test_macro_f1`",
    "metrics.`real_news_validation_macro_f1`",
    "tags.`champion`",
    "tags.`model_source`",
    "tags.`real_news_data`",
)


def headline_view(now_ms: int | None = None) -> str:
    """The saved-view envelope the UI reads from the experiment tag (runs list columns)."""
    state: dict[str, Any] = {
        "searchFilter": "",
        "orderByKey": "attributes.start_time",
        "orderByAsc": False,
        "startTime": "ALL",
        "lifecycleFilter": "Active",
        "datasetsFilter": [],
        "modelVersionFilter": "All Runs",
        "selectedColumns": list(HEADLINE_COLUMNS),
        "columnOrder": [],
        "columnWidths": {},
        "runsExpanded": {},
        "runsPinned": [],
        "runsHidden": [],
        "runsVisibilityMap": {},
        "runsHiddenMode": "FIRST_10_RUNS",
        "viewMaximized": False,
        "runListHidden": False,
        "hideEmptyCharts": True,
        "groupBy": None,
        "groupsExpanded": {},
    }
    stamp = int(time.time() * 1000) if now_ms is None else now_ms
    envelope = {
        "name": VIEW_NAME,
        "createdAt": stamp,
        "updatedAt": stamp,
        "state": json.dumps(state),
    }
    return json.dumps(envelope)


def runs_url(base: str, experiment_id: str) -> str:
    """The runs list in the model-training view (not GenAI) with the headline columns."""
    query = f"workflowType=machine_learning&viewStateShareKey={VIEW_KEY}"
    return f"{base.rstrip('/')}/#/experiments/{experiment_id}/runs?{query}"
