"""eval.summary_metrics: field matching rules and pooled precision/recall, by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.summary_metrics import (
    as_dict,
    compare_summary,
    field_items,
    load_gold_summaries,
    max_matching,
    overlap,
    summary_scores,
)
from rag.errors import DatasetError

ROOT = Path(__file__).resolve().parent.parent
EV = {"start": 0, "end": 1, "quote": "x"}

GOLD = {
    "doc": "d",
    "title": "全市优秀基层党组织书记座谈会",
    "meeting_type": "座谈会",
    "dates": ["3月28日"],
    "location": None,
    "organiser": None,
    "chair": "刘玉杰",
    "speakers": [
        {"name": "刘玉杰", "role": "市委书记", "organisation": "市委"},
        {"name": None, "role": "市委主要领导", "organisation": "市委"},
    ],
    "attendees": [{"group": "优秀村党组织书记", "count": 34}, {"group": "驻村工作组代表", "count": None}],
    "requirements": ["突出产业带动,培育发展壮大农村新产业新业态"],
    "figures": [
        {"value": "70", "unit": "个"},
        {"value": "70", "unit": "名"},
        {"value": "97.14", "unit": "%"},
    ],
    "action_items": [],
    "redactions": ["农产品品牌名称(“XX牌苹果”“XX牌茶叶”)"],
}
PRED = {
    "title": {"value": "全市优秀基层党组织书记座谈会召开", "evidence": EV},  # gold inside pred
    "meeting_type": {"value": "座谈会", "evidence": EV},
    "dates": [
        {"value": "3月28日", "kind": "meeting", "evidence": EV},
        {"value": "2023-03-29", "kind": "published", "evidence": EV},  # not an item
    ],
    "location": {"value": "阜阳", "evidence": EV},  # gold has none: a false positive
    "chair": {"name": "刘玉杰", "role": "市委书记", "evidence": EV},
    "speakers": [{"name": "市委书记刘玉杰", "evidence": EV}, {"name": "李强", "evidence": EV}],
    "attendees": [
        {"group": "34名优秀村党组织书记", "count": 34, "evidence": EV},
        {"group": "驻村工作组代表", "count": 5, "evidence": EV},  # gold gives no count: group suffices
        {"group": "市领导", "count": 4, "evidence": EV},
    ],
    "requirements": [
        {"text": "突出产业带动，培育发展壮大农村新产业新业态，拓宽农民增收渠道", "evidence": EV}
    ],
    "figures": [
        {"value": "70", "evidence": EV},
        {"value": "97.14%", "evidence": EV},
        {"value": "120余", "evidence": EV},
    ],
    "action_items": [],
    # overlap coefficient 9/13 (worked out in test_overlap_worked_example)
    "redactions": [{"mark": "XX", "kind": "name", "context": "如“XX牌苹果”、“XX牌茶叶”等", "evidence": EV}],
}
# field: (matched, predicted, gold)
EXPECTED = {
    "title": (1, 1, 1),
    "meeting_type": (1, 1, 1),
    "location": (0, 1, 0),
    "organiser": (0, 0, 0),
    "chair": (1, 1, 1),
    "dates": (1, 1, 1),
    "speakers": (1, 2, 2),  # 刘玉杰 yes; 李强 extra; the unnamed 市委主要领导 missed
    "attendees": (2, 3, 2),
    "requirements": (1, 1, 1),
    "figures": (2, 3, 3),  # one 70 for two gold 70s, 97.14 == 97.14%, 120 extra
    "action_items": (0, 0, 0),
    "redactions": (1, 1, 1),
}


def test_compare_summary_hand_counted():
    got = {f: (c.matched, c.predicted, c.gold) for f, c in compare_summary(GOLD, PRED).items()}
    assert got == EXPECTED


def test_summary_scores_pool_over_fields_and_documents():
    gold2 = {"doc": "e", "title": "推进会", "speakers": [{"name": "谢再春"}]}
    s = summary_scores([GOLD, gold2], {"d": PRED, "e": None})  # "e" predicted nothing
    # matched 11; predicted 15; gold 13 + 2
    assert s["precision"] == pytest.approx(11 / 15)
    assert s["recall"] == pytest.approx(11 / 15)
    assert s["per_field"]["speakers"] == {
        "precision": 0.5,
        "recall": 1 / 3,
        "matched": 1,
        "predicted": 2,
        "gold": 3,
    }
    assert s["per_field"]["organiser"]["precision"] is None


def test_overlap_worked_example():
    assert overlap("乡村振兴", "推进乡村 振兴战略") == 1.0  # all 3 bigrams of the shorter occur
    assert overlap("甲乙丙丁", "甲乙戊己") == pytest.approx(1 / 3)
    # 9 shared bigrams; the prediction has 13 distinct ones, the gold line 19.
    assert overlap(GOLD["redactions"][0], PRED["redactions"][0]["context"]) == pytest.approx(9 / 13)
    assert overlap("", "x") == 0.0


@pytest.mark.parametrize(
    ("field", "gold", "pred", "matched"),
    [
        ("dates", ["2022年3月28日"], ["3月28日"], 1),
        ("dates", ["2022-03-28"], ["2022年3月28日"], 1),
        ("dates", ["2021年3月28日"], ["2022年3月28日"], 0),
        ("dates", ["10月8日"], ["10月8日-9日"], 1),
        ("dates", ["3月28日"], ["3月29日"], 0),
        ("title", ["会"], ["座谈会"], 0),  # a 1-character value contains nothing
        ("meeting_type", ["座谈會"], ["座谈会"], 1),  # script normalised
        ("figures", ["190多"], ["190"], 1),
        ("figures", ["1,000"], ["1000"], 1),
        ("figures", ["三"], ["三"], 1),
        ("figures", ["70"], ["7"], 0),
    ],
)
def test_field_rules(field, gold, pred, matched):
    g = {"doc": "d", field: gold[0] if field in ("title", "meeting_type") else gold}
    p = {field: pred[0] if field in ("title", "meeting_type") else pred}
    assert compare_summary(g, p)[field].matched == matched


def test_attendee_count_must_agree_when_gold_gives_one():
    g = {"doc": "d", "attendees": [{"group": "优秀村党组织书记", "count": 34}]}
    for count, matched in ((34, 1), ("34名", 1), (33, 0), (None, 0)):
        p = {"attendees": [{"group": "优秀村党组织书记", "count": count}]}
        assert compare_summary(g, p)["attendees"].matched == matched


def test_max_matching_beats_greedy_order():
    # g0 matches p0 and p1, g1 only p0: greedy g0->p0 would leave g1 unmatched.
    same = {("g0", "p0"), ("g0", "p1"), ("g1", "p0")}
    assert max_matching(["g0", "g1"], ["p0", "p1"], lambda g, p: (g, p) in same) == 2
    assert max_matching(["g0", "g1"], ["p0"], lambda g, p: True) == 1
    assert max_matching([], ["p0"], lambda g, p: True) == 0


def test_field_items_reads_the_summary_schema():
    from rag.summary_schema import DateItem, Evidence, MeetingSummary, Person, Redaction

    ev = Evidence(start=0, end=3, quote="刘玉杰")
    m = MeetingSummary(
        doc_id="d",
        source="x.txt",
        engine="rules",
        chair=Person(name="刘玉杰", role="市委书记", evidence=ev),
        speakers=[Person(name=None, role="市委主要领导", evidence=ev)],
        dates=[
            DateItem(value="3月28日", kind="meeting", evidence=ev),
            DateItem(value="2022-09-23", kind="published", evidence=ev),
        ],
        redactions=[
            Redaction(mark="*", kind="figure", evidence=Evidence(start=5, end=14, quote="举办*期专题培训班"))
        ],
    )
    d = as_dict(m)
    assert field_items(d, "chair") == ["刘玉杰"]
    assert field_items(d, "speakers") == ["市委主要领导"]  # no name: the role
    assert field_items(d, "dates") == ["3月28日"]
    assert field_items(d, "redactions") == ["举办*期专题培训班"]
    assert field_items(d, "location") == []


def test_as_dict_rejects_unknown_objects():
    with pytest.raises(TypeError, match="cannot read a summary"):
        as_dict(42)


def test_seed_gold_summaries_load():
    gold = load_gold_summaries(ROOT / "eval" / "datasets" / "seeds_summaries.json")
    assert {g["doc"] for g in gold} == {p.stem for p in (ROOT / "seeds").glob("*.txt")}


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ('[\n {"doc": "a",}\n]', 2, "invalid JSON"),
        ('{"doc": "a"}', 1, "expected a JSON array"),
        ('[{"title": "x"}]', 0, r"summary #1 needs a 'doc'"),
        ('[{"doc": "a", "chairman": "x"}]', 0, r"summary #1 \(a\): unknown field\(s\) chairman"),
    ],
)
def test_gold_summary_errors(tmp_path, content, line, reason):
    p = tmp_path / "g.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError, match=reason) as err:
        load_gold_summaries(p)
    assert err.value.line == line


def test_gold_round_trip_through_json(tmp_path):
    p = tmp_path / "g.json"
    p.write_text(json.dumps([GOLD], ensure_ascii=False), encoding="utf-8")
    assert load_gold_summaries(p) == [GOLD]
