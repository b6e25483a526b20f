"""The Trainer's progress shown the project's way: one bar (log lines off a terminal), no dicts."""

from __future__ import annotations

from typing import Any

from pipeline.progress import Progress


def use_project_progress(trainer: Any, desc: str) -> Any:
    """Swap the Trainer's bars and per-log dict prints for one step counter with ETA.

    The logged values still reach the training history and MLflow.
    """
    from transformers.trainer_callback import PrinterCallback, ProgressCallback, TrainerCallback

    class StepProgress(TrainerCallback):
        def __init__(self) -> None:
            self.progress: Progress | None = None
            self.loss: float | None = None

        def on_train_begin(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                self.progress = Progress(desc, state.max_steps, "step")

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and "loss" in logs:
                self.loss = float(logs["loss"])

        def on_step_end(self, args, state, control, **kwargs):
            if self.progress is not None:
                postfix = {"loss": f"{self.loss:.3f}"} if self.loss is not None else {}
                self.progress.update(1, **postfix)

        def on_train_end(self, args, state, control, **kwargs):
            if self.progress is not None:
                self.progress.__exit__(None, None, None)
                self.progress = None

    trainer.remove_callback(ProgressCallback)
    trainer.remove_callback(PrinterCallback)
    trainer.add_callback(StepProgress())
    return trainer
