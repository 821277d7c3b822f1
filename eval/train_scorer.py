"""Train the learned answer scorer on the train split and choose its threshold on dev.

    .venv/bin/python -m eval.train_scorer            # writes rag/scoring_model.json

1. Each split's documents are indexed in a temporary folder (real embeddings, real Chroma).
2. Every question of the split (follow-ups left out: they need a conversation) is asked
   with the scorer switched off; for those the engine refuses, ``rag.candidates.propose``
   lists candidates and each is labelled by the evaluation's own rule (``is_correct`` of
   the answer it would give). Unanswerable questions label all their candidates wrong.
3. A logistic regression (scikit-learn, lbfgs, fixed settings: deterministic) is fitted
   on the train split's candidates.
4. On the dev split the threshold is the one that makes the most questions right (an
   answer counts when correct, a refusal when the question should be refused) among those
   at which the scorer answers at most ``MAX_MADE_UP_SHARE`` of the questions that should
   be refused; ties go to the higher threshold, which refuses more.

The sealed split is never read here. Takes about a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "rag" / "scoring_model.json"
MAX_MADE_UP_SHARE = 0.05  # of the dev questions that should be refused, the scorer may answer this many


@dataclass
class Asked:
    should_refuse: bool
    strict_correct: bool | None  # None: the engine refused
    candidates: list[tuple[dict[str, float], bool]]  # features, correct


def collect(split: str, progress: bool = True) -> list[Asked]:
    """Ask every question of ``split`` and list the scorer's candidates where the engine refuses."""
    from tqdm import tqdm

    from eval.dataset import load_dataset
    from eval.metrics import is_correct
    from rag.candidates import propose
    from rag.cleaning import normalise_query
    from rag.extract_core import _compose, _weight
    from rag.extractive import idf_from
    from rag.ingest import ingest_paths
    from rag.pipeline import Pipeline
    from rag.question import analyse
    from rag.settings import load_settings

    questions = load_dataset(ROOT / f"eval/datasets/corpus_{split}.jsonl")
    out: list[Asked] = []
    with tempfile.TemporaryDirectory(prefix=f"meetrag-train-{split}-") as home:
        settings = load_settings(environ={}, home=Path(home))
        ingest_paths([ROOT / "eval/corpus" / split], settings)
        pipeline = Pipeline(settings)
        pipeline.use_scorer = False
        idf = idf_from(pipeline.retriever.bm25)
        for q in tqdm(questions, desc=f"collect {split}", file=sys.stderr, disable=not progress, unit="q"):
            if q.follow_up_of is not None:
                continue
            answer = pipeline.ask(q.question)
            if not answer.refused:
                out.append(Asked(q.should_refuse, is_correct(q, answer.answer, False), []))
                continue
            norm = normalise_query(q.question)
            intent = analyse(norm)
            passages = pipeline.retrieve(norm, settings.top_k)
            cands = propose(intent, norm, passages, pipeline.store.get, _weight(intent, idf), idf)
            labelled = [(c.features, is_correct(q, _compose(norm, [c.part()]).answer, False)) for c in cands]
            out.append(Asked(q.should_refuse, None, labelled))
    return out


def fit(train: list[Asked]):  # type: ignore[no-untyped-def]
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from rag.candidates import FEATURES

    rows = [(f, y) for a in train for f, y in a.candidates]
    x = np.array([[f[name] for name in FEATURES] for f, _ in rows], dtype=float)
    y = np.array([int(label) for _, label in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=2000, solver="lbfgs")
    model.fit((x - mean) / scale, y)
    return mean, scale, model.coef_[0], float(model.intercept_[0]), len(rows), int(y.sum())


def outcome(asked: list[Asked], probability, threshold: float) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(right, false refusals, made-up answers) over the questions at ``threshold``."""
    right = false_refusals = made_up = 0
    for a in asked:
        if a.strict_correct is not None:
            right += a.strict_correct
            made_up += a.should_refuse and not a.strict_correct
            continue
        scored = [(probability(f), y) for f, y in a.candidates]
        top = max(scored, default=None, key=lambda t: t[0])
        if top is not None and top[0] >= threshold:
            right += top[1]
            made_up += a.should_refuse
        else:
            right += a.should_refuse
            false_refusals += not a.should_refuse
    return right, false_refusals, made_up


def main(argv: list[str] | None = None) -> int:
    from rag.candidates import FEATURES
    from rag.scoring import Model

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    train, dev = collect("train"), collect("dev")
    mean, scale, coef, intercept, n_rows, n_pos = fit(train)
    model = Model(FEATURES, tuple(map(float, mean)), tuple(map(float, scale)), tuple(map(float, coef)),
                  intercept, 1.0, "corpus train split")
    grid = [t / 100 for t in range(5, 100)]
    scores = [(outcome(dev, model.probability, t), t) for t in grid]
    # The rule: the most right answers among thresholds at which the scorer answers no more
    # questions that should be refused than MAX_MADE_UP_SHARE of them (a made-up answer
    # costs a user more than an honest "not in the documents").
    should = sum(a.should_refuse for a in dev) or 1
    engine_made_up = outcome(dev, model.probability, 2.0)[2]
    allowed = [sc for sc in scores if sc[0][2] - engine_made_up <= MAX_MADE_UP_SHARE * should] or scores[-1:]
    (right, fr, mu), threshold = max(allowed, key=lambda s: (s[0][0], s[1]))
    if os.environ.get("MEETRAG_SCORER_CURVE"):
        for (r, f, m), t in scores[::5]:
            print(f"  threshold {t:.2f}: {r} right, {f} false refusals, {m} made up", file=sys.stderr)
    model = Model(model.features, model.mean, model.scale, model.coef, model.intercept, threshold,
                  f"corpus train split ({n_rows} candidates, {n_pos} correct); threshold on dev")
    args.out.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n_dev = len(dev)
    base = outcome(dev, model.probability, 2.0)  # never answers: the engine alone
    print(f"train: {n_rows} candidates ({n_pos} correct) from {len(train)} questions")
    for name, split in (("train", train), ("dev", dev)):
        refused = [a for a in split if a.strict_correct is None and not a.should_refuse]
        reach = sum(any(y for _, y in a.candidates) for a in refused)
        print(f"{name}: the engine refuses {len(refused)} answerable questions; "
              f"a correct candidate exists for {reach} of them")
    print(f"dev ({n_dev} questions without follow-ups): engine alone {base[0]} right; "
          f"with the scorer at threshold {threshold:.2f}: {right} right, "
          f"{fr} false refusals, {mu} answers to questions that should be refused")
    for name, c in sorted(zip(FEATURES, model.coef, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:<22}{c:+.3f}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
