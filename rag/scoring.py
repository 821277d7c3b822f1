"""The learned scorer: candidate features -> calibrated probability -> answer or refuse.

A logistic regression over ``rag.candidates.FEATURES``, trained on the development
corpus's train split by ``python -m eval.train_scorer`` (deterministic, a few seconds);
its parameters, the feature scaling and the one answer/refuse threshold (chosen on the
dev split) are the small reviewed file ``rag/scoring_model.json``. Logistic regression
is calibrated by construction on its training distribution; the threshold is where the
dev split's accuracy is best with refusal recall held at its target.

No scikit-learn at run time: prediction is a dot product.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from rag.candidates import FEATURES, Candidate

MODEL_FILE = "scoring_model.json"


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    trained_on: str

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept
        for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += c * ((features.get(name, 0.0) - m) / (s or 1.0))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
            "coef": list(self.coef), "intercept": self.intercept, "threshold": self.threshold,
            "trained_on": self.trained_on,
        }


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """The shipped model, or None when it is missing or was trained on other features."""
    try:
        raw = json.loads(resources.files("rag").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return None
    if tuple(raw["features"]) != FEATURES:
        return None  # features changed since training: retrain (python -m eval.train_scorer)
    return Model(tuple(raw["features"]), tuple(raw["mean"]), tuple(raw["scale"]), tuple(raw["coef"]),
                 float(raw["intercept"]), float(raw["threshold"]), str(raw.get("trained_on", "")))


def best(candidates: list[Candidate], model: Model) -> Candidate | None:
    """The most probable candidate, its ``probability`` filled in; None when there is none."""
    for c in candidates:
        c.probability = model.probability(c.features)
    return max(candidates, key=lambda c: (c.probability, -c.sentence.rank, -c.sentence.start), default=None)
