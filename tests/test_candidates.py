"""Answer candidates, their features, and the learned scorer that weighs them."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from extractive_helpers import doc

from rag.candidates import FEATURES, propose
from rag.question import analyse
from rag.scoring import Model, best, load_model
from rag.types import Passage

REPORT = doc(
    "3月5日,石桥镇召开安全生产调度会。会议通报,全镇今年排查隐患126处,已整改98处,"
    "约谈企业负责人一百二十余人。镇长王立新要求,12月10日前全部销号。",
    "report",
)


def _candidates(question: str, *docs):
    by_id = {d.doc_id: d for d in docs}
    passages = [Passage(d.doc_id, d.title, 0, len(d.text), d.text, 1.0, r) for r, d in enumerate(docs, 1)]
    intent = analyse(question)
    return propose(intent, question, passages, by_id.__getitem__, lambda _w: 1.0, lambda _w: 1.0)


def test_every_candidate_has_every_feature_in_range():
    cands = _candidates("石桥镇调度会上说排查了多少处隐患?", REPORT)
    assert cands
    for c in cands:
        assert set(c.features) == set(FEATURES)
        assert all(-1.0 <= v <= 1.0 for v in c.features.values()), c.features
        assert REPORT.text[c.sentence.start : c.sentence.end][c.found.start : c.found.end] == c.found.text


def test_a_typed_question_proposes_every_span_of_its_kind():
    texts = [c.found.text for c in _candidates("石桥镇排查隐患多少处?", REPORT)]
    assert "126处" in texts and "98处" in texts  # which one answers is the scorer's call


def test_counts_written_in_words_are_candidates():
    texts = [c.found.text for c in _candidates("调度会约谈了多少人?", REPORT)]
    assert "一百二十余人" in texts


def test_a_hand_set_model_prefers_the_span_next_to_the_question_words():
    cands = _candidates("石桥镇排查隐患多少处?", REPORT)
    weights = {"distance": -5.0, "cov_clause": 3.0}
    model = Model(FEATURES, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES),
                  tuple(weights.get(f, 0.0) for f in FEATURES), 0.0, 0.5, "test")
    chosen = best(cands, model)
    assert chosen is not None and chosen.found.text == "126处"
    assert 0.0 < chosen.probability < 1.0


def test_the_shipped_model_matches_the_features_and_has_a_threshold():
    raw = json.loads(resources.files("rag").joinpath("scoring_model.json").read_text(encoding="utf-8"))
    assert tuple(raw["features"]) == FEATURES, "features changed: retrain with python -m eval.train_scorer"
    model = load_model()
    assert model is not None and 0.0 < model.threshold < 1.0
    assert len(model.coef) == len(model.mean) == len(model.scale) == len(FEATURES)


@pytest.mark.parametrize("features", [{}, {f: 1.0 for f in FEATURES}])
def test_probability_is_a_probability(features):
    model = load_model()
    assert model is not None and 0.0 <= model.probability(features) <= 1.0
