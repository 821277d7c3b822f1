"""Answer candidates, their features, and the learned scorer that weighs them."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from extractive_helpers import doc

from rag.candidates import FEATURES, propose
from rag.question import analyse
from rag.scoring import QUESTION_FEATURES, Linear, Model, best, load_model, question_features
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


def _hand_set(weights: dict[str, float], refuse_at: float = 0.0, threshold: float = 0.5) -> Model:
    n = len(FEATURES)
    q = tuple(name for name, _, _ in QUESTION_FEATURES)
    return Model(Linear(FEATURES, (0.0,) * n, (1.0,) * n, tuple(weights.get(f, 0.0) for f in FEATURES)),
                 Linear(q, (0.0,) * len(q), (1.0,) * len(q), (0.0,) * len(q), refuse_at), threshold, "test")


def test_a_hand_set_model_prefers_the_span_next_to_the_question_words():
    cands = _candidates("石桥镇排查隐患多少处?", REPORT)
    chosen = best(cands, _hand_set({"distance": -5.0, "cov_clause": 3.0}))
    assert chosen is not None and chosen.found.text == "126处"
    assert 0.0 < chosen.probability < 1.0


def test_candidates_and_the_refusal_share_one_probability():
    cands = _candidates("石桥镇排查隐患多少处?", REPORT)
    model = _hand_set({"cov_clause": 1.0}, refuse_at=2.0)
    probabilities = model.probabilities([c.features for c in cands])
    assert all(0.0 < p < 1.0 for p in probabilities)
    assert sum(probabilities) < 1.0  # the rest is the refusal's
    # A stronger refusal option lowers every candidate's probability, the order stays.
    stronger = _hand_set({"cov_clause": 1.0}, refuse_at=5.0).probabilities([c.features for c in cands])
    assert all(b < a for a, b in zip(probabilities, stronger, strict=True))
    order = sorted(range(len(cands)), key=probabilities.__getitem__)
    assert order == sorted(range(len(cands)), key=stronger.__getitem__)


def test_question_features_summarise_the_candidate_list():
    rows = [{"cov_sentence": 0.2, "missing_top": 0.5, "kind_number": 1.0},
            {"cov_sentence": 0.9, "missing_top": 0.1, "kind_number": 1.0}]
    q = question_features(rows)
    assert q["max_cov_sentence"] == 0.9 and q["min_missing_top"] == 0.1 and q["kind_number"] == 1.0
    assert question_features([])["log_candidates"] == 0.0


def test_a_redacted_fact_is_a_refusing_candidate():
    text = "会议通报，全县共登记地质灾害隐患点83处，其中茶园镇就有xx处。"
    cands = _candidates("茶园镇有多少处地质灾害隐患点?", doc(text, "flood"))
    redacted = [c for c in cands if c.features["redacted"] == 1.0]
    assert redacted and redacted[0].found.text == "xx"
    assert redacted[0].answer is not None and redacted[0].answer.refused
    assert redacted[0].answer.citations[0].quote == text[redacted[0].sentence.start - 0 : redacted[0].sentence.end]


def test_the_shipped_model_matches_the_features_and_has_a_threshold():
    raw = json.loads(resources.files("rag").joinpath("scoring_model.json").read_text(encoding="utf-8"))
    assert tuple(raw["candidate"]["names"]) == FEATURES, "features changed: retrain with python -m eval.train_scorer"
    model = load_model()
    assert model is not None and 0.0 < model.threshold < 1.0
    assert len(model.candidate.coef) == len(model.candidate.mean) == len(FEATURES)
    assert len(model.refuse.coef) == len(QUESTION_FEATURES)


@pytest.mark.parametrize("rows", [[{}], [{f: 1.0 for f in FEATURES}], [{}, {f: 1.0 for f in FEATURES}]])
def test_probability_is_a_probability(rows):
    model = load_model()
    assert model is not None
    ps = model.probabilities(rows)
    assert all(0.0 <= p <= 1.0 for p in ps) and sum(ps) <= 1.0


MINUTES = doc(
    "石桥镇柳湾村村民代表会议纪要\n时间：12月8日上午\n主持：周建林（村党支部书记）\n记录：村委会文书刘小燕\n"
    "会议审议了村集体经济项目实施方案和年度分红方案。每位代表发言时间控制在8分钟以内，会后3个工作日内公示。"
    "镇纪委书记邱海涛组织代表学习了有关规定。\n（记者冉秋实）",
    "minutes",
)


def _one(question: str, text: str):
    return next(c for c in _candidates(question, MINUTES) if c.found.text == text)


def test_a_labelled_field_the_question_names_is_marked():
    minutes_taker = _one("柳湾村代表会议是谁做的会议记录？", "刘小燕")
    assert minutes_taker.features["in_field"] == 1.0 and minutes_taker.features["label_asked"] == 1.0
    chair = _one("柳湾村代表会议是谁做的会议记录？", "周建林")
    assert chair.features["in_field"] == 1.0 and chair.features["label_asked"] == 0.0


def test_a_question_word_beside_the_span_and_whole_names():
    reporter = _one("报道这次会议的记者是哪位？", "记者冉秋实")
    assert reporter.features["keyword_touch"] == 1.0
    assert reporter.features["surname_ok"] == 1.0
    from rag.candidates import _whole_name

    assert not _whole_name("海涛") and _whole_name("镇纪委书记邱海涛") and _whole_name("许书记")


@pytest.mark.parametrize(
    "question, expected",
    [
        ("每位代表发言限时多久？", "8分钟"),
        ("会后几个工作日内公示？", "3个工作日"),
    ],
)
def test_a_length_of_time_is_asked_and_proposed(question, expected):
    from rag.question import DURATION

    assert analyse(question).unit == DURATION
    spans = [c.found.text for c in _candidates(question, MINUTES) if c.strategy == "typed"]
    assert expected in spans and "12月8日" not in spans
    assert all(c.features["unit_ok"] == 1.0 for c in _candidates(question, MINUTES) if c.found.text == expected)


def test_durations_of_different_units_are_not_added_up():
    from rag.spans import total_of

    intent = analyse("培训一共多少天？")
    assert total_of(intent, "理论学习3天，实践教学2天。").value == "5天"
    assert total_of(intent, "理论学习3天，跟班学习2个月。") is None


def test_a_sentence_without_the_act_asked_proposes_no_one():
    # "谁主持的": 王立新 only 要求s here; taking part (参加) is not checked, it often goes unsaid.
    assert not [c for c in _candidates("石桥镇调度会是谁主持的?", REPORT) if c.strategy != "redacted"]
    chaired = doc("3月5日,石桥镇召开安全生产调度会。镇长王立新主持会议。", "chaired")
    assert any("王立新" in c.found.text for c in _candidates("石桥镇调度会是谁主持的?", chaired))


@pytest.mark.parametrize(("question", "verb"), [("石中平副区长分管哪块工作？", "分管"), ("培训采取什么方式", "采取"),
                                                ("他要求各部门完成什么？", None)])
def test_the_relation_a_thing_question_asks_must_be_written(question, verb):
    assert (verb in analyse(question).extra.get("predicate", ())) if verb else "完成" not in analyse(question).extra.get("predicate", ())
