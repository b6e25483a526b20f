"""A cue-word rule classifier an analyst could write in an afternoon, from the labeling guide's cues.

The decision order follows the guide: a condition cue next to a cooperation cue is
`conditional`, a refusal cue `rejected`, a cooperation cue `proposed`, anything else `none`.
The cue lists themselves live once, in pipeline/labeling/cues.py.
"""

from __future__ import annotations

import numpy as np

from pipeline.labeling.cues import cue_pattern

PROPOSED = cue_pattern("proposed")
REJECTED = cue_pattern("rejected")
CONDITIONAL = cue_pattern("conditional")


def classify(text: str) -> str:
    """One label for one sentence by cue words alone."""
    cooperation = bool(PROPOSED.search(text))
    if CONDITIONAL.search(text) and cooperation:
        return "conditional"
    if REJECTED.search(text):
        return "rejected"
    if cooperation:
        return "proposed"
    return "none"


def rule_proba(texts: list[str], label_names: list[str]) -> np.ndarray:
    """One-hot 'probabilities', so the rules go through the same metrics as the models."""
    proba = np.zeros((len(texts), len(label_names)))
    for i, text in enumerate(texts):
        proba[i, label_names.index(classify(text))] = 1.0
    return proba
