"""Fine-tuning settings: params `train`, the recipe chosen on real-news validation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from pipeline.params import option


@dataclass(frozen=True)
class TrainParams:
    """Stage `train_transformer`: fine-tuning the transformer with the Trainer."""

    SECTION: ClassVar[str] = "train"
    seed: int = option(13, "set before the model is built")
    learning_rate: float = option(5e-5, "peak AdamW learning rate")
    epochs: int = option(2, "most epochs; early stopping may end sooner")
    batch_size: int = option(16, "sentences per device per step")
    gradient_accumulation_steps: int = option(1, "steps summed before each optimizer update")
    max_length: int = option(96, "tokens; longer sentences are truncated")
    warmup_ratio: float = option(0.1, "share of steps with a linearly rising learning rate")
    weight_decay: float = option(0.01, "AdamW weight decay")
    class_weights: Literal["none", "sqrt", "balanced"] = option(
        "balanced",
        "none | sqrt | balanced: weight the loss by inverse class frequency (sqrt: its square root)",
    )
    freeze_word_embeddings: bool = option(
        True, "keep the word embeddings fixed (saves most optimizer memory with a 250k vocabulary)"
    )
    early_stopping_patience: int = option(
        2, "epochs without validation macro-F1 gain before stopping; 0 = off"
    )
    group_by_length: bool = option(True, "length-grouped batches with dynamic padding")
    precision: Literal["auto", "fp32", "fp16", "bf16"] = option(
        "auto", "auto | fp32 | fp16 | bf16 (auto: bf16 on GPUs that support it, else fp32)"
    )

    def __post_init__(self) -> None:
        problems = [
            (self.seed < 0, "seed must be >= 0"),
            (not 0 < self.learning_rate < 1, "learning_rate must be in (0, 1), e.g. 3.0e-5"),
            (self.epochs < 1, "epochs must be >= 1"),
            (self.batch_size < 1, "batch_size must be >= 1"),
            (self.gradient_accumulation_steps < 1, "gradient_accumulation_steps must be >= 1"),
            (self.max_length < 8, "max_length must be >= 8 tokens"),
            (not 0 <= self.warmup_ratio < 1, "warmup_ratio must be in [0, 1)"),
            (self.weight_decay < 0, "weight_decay must be >= 0"),
            (self.early_stopping_patience < 0, "early_stopping_patience must be >= 0 (0 = off)"),
        ]
        for bad, message in problems:
            if bad:
                raise ValueError(message)
