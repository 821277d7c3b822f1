"""eval.metrics: every metric against a hand-computed answer.

The support judge in these tests is a transparent fake: a sentence is supported
when each of its capital letters (its "facts") occurs in the evidence.
"""

from __future__ import annotations

import re

import pytest

from eval.dataset import Question
from eval.metrics import (
    CachedSupport,
    Claim,
    accuracy,
    claim_scores,
    evidence_rank,
    hit_at_k,
    is_correct,
    is_refusal,
    judge_claims,
    mean_reciprocal_rank,
    percentile,
    refusal_precision_recall,
    split_claims,
)
from rag.render import REFUSAL


def letters_support(sentence: str, evidence: str) -> tuple[bool, str]:
    missing = set(re.findall("[A-Z]", sentence)) - set(re.findall("[A-Z]", evidence))
    return (not missing, f"missing {sorted(missing)}" if missing else "supported")


def question(type_="fact", any_=(), all_=()):
    return Question(id="q", question="?", type=type_, answer_any=tuple(any_), answer_all=tuple(all_))


# --- accuracy and refusals -----------------------------------------------------


@pytest.mark.parametrize(
    ("q", "answer", "refused", "correct"),
    [
        (question(any_=["刘玉杰"]), "会议由市委書記劉玉杰主持。[1]", False, True),
        (question(any_=["刘玉杰"]), "会议由谢再春主持。[1]", False, False),
        (question(any_=["刘玉杰"]), REFUSAL, True, False),  # refusing an answerable question
        (question(any_=["刘玉杰"]), "资料未提及，但刘玉杰讲话。", False, False),  # hedged "not given"
        (question(any_=["210家", "210"], all_=["150家"]), "合作社210家,家庭农场150家。", False, True),
        (question(any_=["210家"], all_=["150家"]), "合作社210家。", False, False),
        (question(), "任何非拒答的回答", False, True),  # no constraint at all
        (question(any_=["刘玉杰"]), "一" * 199 + "刘玉杰", False, False),  # beyond 200 characters
        (question("unanswerable"), REFUSAL, True, True),
        (question("unanswerable"), "资料中没有提到会议经费预算。", False, True),
        (question("redacted"), "培训班期数在原文中已隐去（*）。", False, True),
        (question("redacted"), "今年要举办3期专题培训班。[1]", False, False),  # a guess
        (question("unanswerable", any_=["无从得知"]), "这一点无从得知。", False, True),  # extra phrasing
    ],
)
def test_is_correct_table(q, answer, refused, correct):
    assert is_correct(q, answer, refused) is correct


def test_is_refusal_reads_flag_and_traditional_phrases():
    assert is_refusal("", True)
    assert is_refusal("資料中沒有提到。", False)
    assert not is_refusal("会议由刘玉杰主持。", False)


def test_accuracy_share_and_empty():
    assert accuracy([True, False, True, True]) == 0.75
    assert accuracy([]) is None


def test_refusal_precision_recall_known_counts():
    # TP = 1 (item 0), FP = 1 (item 2), FN = 1 (item 1): P = 1/2, R = 1/2.
    should = [True, True, False, False, False]
    did = [True, False, True, False, False]
    assert refusal_precision_recall(should, did) == (0.5, 0.5)
    # A system that never refuses: precision undefined, recall 0.
    assert refusal_precision_recall([True, False], [False, False]) == (None, 0.0)
    with pytest.raises(ValueError, match="differ in length"):
        refusal_precision_recall([True], [])


# --- retrieval -------------------------------------------------------------------


def test_evidence_rank_first_passage_containing_any_part():
    passages = ["无关内容", "市委書(shū)記劉玉杰主持會(huì)議", "刘玉杰主持会议"]
    assert evidence_rank("找不到的引文|市委书记刘玉杰主持会议", passages) == 2
    assert evidence_rank("完全不存在", passages) is None
    assert evidence_rank("", passages) is None


def test_hit_at_k_and_mrr_known_values():
    ranks = [1, 3, None, 6]
    assert hit_at_k(ranks, 1) == 0.25
    assert hit_at_k(ranks, 5) == 0.5
    # (1 + 1/3 + 0 + 1/6) / 4 = 1.5 / 4
    assert mean_reciprocal_rank(ranks) == pytest.approx(0.375)
    assert hit_at_k([], 5) is None and mean_reciprocal_rank([]) is None


# --- claims --------------------------------------------------------------------


def test_split_claims_attaches_markers_to_their_sentence():
    assert split_claims("会议由刘玉杰主持。[1]共70个工作队[2][3]。") == [
        Claim("会议由刘玉杰主持。", (1,)),
        Claim("共70个工作队。", (2, 3)),
    ]


def test_split_claims_lines_bullets_and_stray_markers():
    answer = "要点如下：\n1. 建强堡垒[1]\n[2]\n2、 做实产业[1][1]\n。"
    assert split_claims(answer) == [
        Claim("要点如下：", ()),
        Claim("1. 建强堡垒", (1, 2)),  # the lone "[2]" line joins the sentence above
        Claim("2、 做实产业", (1,)),  # repeats collapse
    ]
    assert split_claims("") == []


CITATIONS = [{"n": 1, "quote": "A"}, {"n": 2, "quote": "B"}, {"n": 3, "quote": "C"}]
ANSWER = "A与B有关。[1][2]C成立[3][1]。D成立。[9]\nB再次出现。"


def test_judge_claims_worked_example():
    v = judge_claims(ANSWER, CITATIONS, letters_support)
    assert [x.claim.cited for x in v] == [(1, 2), (3, 1), (9,), ()]
    # S1 needs both; S2's [1] is superfluous; [9] points at nothing; S4 has no marker
    # but B is among the answer's sources, so it is grounded yet not attributed.
    assert [x.grounded for x in v] == [True, True, False, True]
    assert [x.attributed for x in v] == [True, True, False, False]
    assert [x.needed for x in v] == [(True, True), (True, False), (False,), ()]
    s = claim_scores(v)
    assert (s.faithfulness, s.citation_recall, s.citation_precision) == (0.75, 0.5, 0.6)
    assert (s.claims, s.markers) == (4, 5)


def test_citation_precision_alone_or_needed():
    # Sentence needs A and B; [1] holds A and B, [2] holds B: [1] alone supports it
    # (counts), [2] is neither alone sufficient nor needed (does not count).
    cites = [{"n": 1, "quote": "AB"}, {"n": 2, "quote": "B"}]
    (v,) = judge_claims("A和B。[1][2]", cites, letters_support)
    assert v.attributed and v.needed == (True, False)


def test_unsupported_sentence_gets_no_precision_credit():
    (v,) = judge_claims("A和Z。[1][2]", [{"n": 1, "quote": "A"}, {"n": 2, "quote": "B"}], letters_support)
    assert not v.attributed and not v.grounded and v.needed == (False, False)


def test_repeated_citation_numbers_are_joined():
    cites = [{"n": 1, "quote": "A"}, {"n": 1, "quote": "B"}]
    (v,) = judge_claims("A和B。[1]", cites, letters_support)
    assert v.attributed


def test_claim_scores_empty_is_none():
    s = claim_scores([])
    assert (s.faithfulness, s.citation_recall, s.citation_precision) == (None, None, None)


def test_cached_support_calls_the_judge_once_per_pair_and_never_on_empty_evidence():
    calls = []

    def judge(sentence, evidence):
        calls.append((sentence, evidence))
        return True, "ok"

    c = CachedSupport(judge)
    assert c("x", "e") and c("x", "e")
    assert not c("x", "  ")
    assert calls == [("x", "e")]


# --- latency -------------------------------------------------------------------


def test_percentile_linear_interpolation():
    xs = [40, 10, 30, 20]
    assert percentile(xs, 50) == 25
    assert percentile(xs, 95) == pytest.approx(38.5)  # 30 + 0.85 * 10
    assert percentile(xs, 0) == 10 and percentile(xs, 100) == 40
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None
    with pytest.raises(ValueError, match="within 0..100"):
        percentile(xs, 101)


def test_split_claims_reads_every_marker_form_the_guard_reads():
    assert split_claims("甲乙丙[1,2]。丁戊己【3】[资料 4]。") == [
        Claim("甲乙丙。", (1, 2)),
        Claim("丁戊己。", (3, 4)),
    ]
