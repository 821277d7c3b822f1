"""The learned scorer: one choice between every candidate answer and a refusal.

A question's candidates (``rag.candidates``: the strategies' finished answers and every
proposed span) and the option to refuse compete in one softmax (a conditional logit):

    score(candidate) = w · features(candidate) + b
    score(refuse)    = v · question_features(all candidates)
    P(option)        = exp(score) / Σ exp(score over the candidates and the refusal)

Two halves, learned together, do two different jobs. ``w`` ranks the candidates against
each other (which number of the sentence answers); ``v`` says how sure the question can
be answered at all, from facts about the whole candidate list: the best coverage any
sentence reaches, the share of the question's words no document writes, the kind asked.
A pointwise classifier mixes the two and ranks worse (measured: eval/README.md).

``python -m eval.train_scorer`` fits it on the development corpus's train split
(deterministic L-BFGS, under a minute) and chooses the one answer/refuse threshold on the
dev split; the parameters are the small reviewed file ``rag/scoring_model.json``.
No scikit-learn or numpy at run time: two dot products and a softmax.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from rag.candidates import FEATURES, KINDS, Candidate

MODEL_FILE = "scoring_model.json"

# Question-level facts read off the candidate list: (name, candidate feature, how).
QUESTION_FEATURES: tuple[tuple[str, str, str], ...] = (
    *((f"max_{f}", f, "max") for f in (
        "cov_sentence", "cov_clause", "cov_window", "fact_in_sentence", "fact_in_clause",
        "bigrams_window", "predicate_ok", "entities_in_sentence", "from_engine", "from_frame", "redacted")),
    *((f"min_{f}", f, "min") for f in (
        "fact_missing_document", "missing_top", "missing_in_document", "missing_in_paragraph")),
    *((f, f, "first") for f in ("unseen_share", "has_fact", *(f"kind_{k}" for k in KINDS))),
    ("log_candidates", "", "count"),
)


def question_features(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    """The refusal option's features, from every candidate's features."""
    out: dict[str, float] = {}
    for name, feature, how in QUESTION_FEATURES:
        if how == "count":
            out[name] = math.log(len(rows)) if rows else 0.0
        elif not rows:
            out[name] = 0.0
        elif how == "first":
            out[name] = rows[0].get(feature, 0.0)
        else:
            values = [r.get(feature, 0.0) for r in rows]
            out[name] = max(values) if how == "max" else min(values)
    return out


@dataclass(frozen=True)
class Linear:
    """A standardised linear score: Σ coef · (x - mean) / scale + intercept."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float = 0.0

    def __call__(self, x: dict[str, float]) -> float:
        z = self.intercept
        for name, m, s, c in zip(self.names, self.mean, self.scale, self.coef, strict=True):
            z += c * ((x.get(name, 0.0) - m) / (s or 1.0))
        return z

    def to_json(self) -> dict[str, Any]:
        return {"names": list(self.names), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Linear:
        return cls(tuple(raw["names"]), tuple(raw["mean"]), tuple(raw["scale"]), tuple(raw["coef"]),
                   float(raw.get("intercept", 0.0)))


@dataclass(frozen=True)
class Model:
    candidate: Linear  # scores each candidate
    refuse: Linear  # scores the option to refuse
    threshold: float  # answer when the chosen candidate's probability reaches it
    trained_on: str = ""

    def probabilities(self, rows: Sequence[dict[str, float]]) -> list[float]:
        """Each candidate's probability of being the answer (the rest is the refusal's)."""
        if not rows:
            return []
        scores = [self.candidate(r) for r in rows]
        null = self.refuse(question_features(rows))
        top = max(null, *scores)
        exp = [math.exp(s - top) for s in scores]
        total = math.exp(null - top) + sum(exp)
        return [e / total for e in exp]

    def to_json(self) -> dict[str, Any]:
        return {"kind": "choice", "candidate": self.candidate.to_json(), "refuse": self.refuse.to_json(),
                "threshold": self.threshold, "trained_on": self.trained_on}


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """The shipped model, or None when it is missing or was trained on other features."""
    try:
        raw = json.loads(resources.files("rag").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return None
    if raw.get("kind") != "choice":
        return None
    model = Model(Linear.from_json(raw["candidate"]), Linear.from_json(raw["refuse"]),
                  float(raw["threshold"]), str(raw.get("trained_on", "")))
    if model.candidate.names != FEATURES or model.refuse.names != tuple(n for n, _, _ in QUESTION_FEATURES):
        return None  # features changed since training: retrain (python -m eval.train_scorer)
    return model


def best(candidates: list[Candidate], model: Model) -> Candidate | None:
    """The most probable candidate, every ``probability`` filled in; None when there is none."""
    for c, p in zip(candidates, model.probabilities([c.features for c in candidates]), strict=True):
        c.probability = p
    return max(candidates, key=lambda c: (c.probability, -c.sentence.rank, -c.sentence.start), default=None)
