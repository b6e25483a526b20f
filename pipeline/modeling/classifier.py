"""A saved stance classifier loaded once for batched scoring, optionally int8-quantized."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from pipeline.logs import quiet_transformers


class LoadedClassifier:
    """A saved classifier loaded once for repeated scoring on CPU or GPU, optionally int8."""

    def __init__(self, model_dir: str | Path, max_length: int = 128, quantize: str = "none"):
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        quiet_transformers()
        if quantize not in ("none", "int8"):
            raise ValueError(f"quantize must be 'none' or 'int8', got {quantize!r}")
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        if quantize == "int8":
            model, self.device = _quantize_int8(model), torch.device("cpu")
        self.model = model.to(self.device)
        self.max_length = min(
            max_length, model.config.max_position_embeddings, self.tokenizer.model_max_length
        )

    def predict_proba(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Class probabilities in input order; texts are tokenized once and batched by length."""
        probs = np.zeros((len(texts), self.model.config.num_labels), dtype=np.float32)
        if not texts:
            return probs
        ids = self.tokenizer(list(texts), truncation=True, max_length=self.max_length)["input_ids"]
        order = np.argsort([len(x) for x in ids], kind="stable")
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                batch = self.tokenizer.pad(
                    {"input_ids": [ids[i] for i in idx]}, return_tensors="pt"
                ).to(self.device)
                logits = self.model(**batch).logits.float()
                probs[idx] = torch.softmax(logits, dim=-1).cpu().numpy()
        return probs


def _quantize_int8(model: Any) -> Any:
    """Dynamic int8 quantization of every Linear layer (weights int8, activations on the fly)."""
    import warnings

    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch deprecates, but still ships, qint8
        return quantize_dynamic(model.cpu(), {torch.nn.Linear}, dtype=torch.qint8)


def predict_proba(
    model_dir: str | Path, texts: Sequence[str], batch_size: int = 64, max_length: int = 128
) -> np.ndarray:
    """Class probabilities (n, n_labels) in input order, loading the model for this call."""
    return LoadedClassifier(model_dir, max_length).predict_proba(texts, batch_size)
