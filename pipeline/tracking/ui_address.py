"""`make ui`: print the runs list's address in the model-training view, creating the experiment."""

from __future__ import annotations

import sys

from pipeline.tracking.runs import ensure_experiment, tracking_uri
from pipeline.tracking.ui_view import runs_url


def main(port: str = "5000") -> None:
    """Print where to open the UI, creating the experiment (and its saved view) if needed."""
    from mlflow import MlflowClient

    experiment_id = ensure_experiment(MlflowClient(tracking_uri=tracking_uri()))
    print(f"Open {runs_url(f'http://127.0.0.1:{port}', experiment_id)}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
