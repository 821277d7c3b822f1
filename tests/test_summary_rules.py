"""The rule-based summary extractor on the five seeds and on small worked examples.

Goldens live in tests/golden/summaries/<seed>.json. They were reviewed by hand
against the seeds; regenerate them only on purpose (``UPDATE_GOLDEN=1``) and
review the diff like code. The facts the issue names are also asserted
directly, so a regenerated golden cannot quietly lose them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rag.evidence import check_evidence
from rag.metadata import make_document
from rag.summaries import summarize
from rag.summarise_rules import summarise_rules
from rag.summary_schema import MeetingSummary

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "summaries"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def golden_json(summary: MeetingSummary) -> str:
    return json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_summarise_rules_matches_golden(seed_docs, seed):
    path = GOLDEN / f"{seed.stem}.json"
    actual = golden_json(summarize(seed_docs[seed.stem], "rules"))
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path.name} missing: run `UPDATE_GOLDEN=1 .venv/bin/pytest {__file__}` and review it"
    assert actual == path.read_text(encoding="utf-8"), "summary changed: review, then UPDATE_GOLDEN=1"


@pytest.mark.parametrize("golden", [GOLDEN / f"{p.stem}.json" for p in SEEDS], ids=lambda p: p.stem[:3])
def test_golden_evidence_quotes_the_document_at_its_offsets(seed_docs, golden):
    doc = seed_docs[golden.stem]
    summary = MeetingSummary.model_validate_json(golden.read_text(encoding="utf-8"))
    assert summary.doc_id == doc.doc_id, "the seed's cleaning changed: regenerate with UPDATE_GOLDEN=1"
    assert check_evidence(doc, summary) == []
    spans = 0
    for item in _items(summary.model_dump()):
        ev = item["evidence"]
        assert ev["quote"] == doc.display[ev["start"] : ev["end"]]
        spans += 1
    assert spans > 5


def _items(d: dict) -> list[dict]:
    out = []
    for value in d.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and "evidence" in item:
                out.append(item)
    return out


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_summarise_rules_lists_hold_no_duplicates(seed_docs, seed):
    s = summarise_rules(seed_docs[seed.stem]).model_dump()
    for name, value in s.items():
        if isinstance(value, list):
            keys = [json.dumps({k: v for k, v in item.items() if k != "evidence"}, ensure_ascii=False)
                    for item in value]
            if name == "redactions":  # the same mark recurs; its place differs
                keys = [item["evidence"]["quote"] for item in value]
            assert len(keys) == len(set(keys)), name


def _doc(stem_prefix: str, seed_docs):
    return next(d for k, d in seed_docs.items() if k.startswith(stem_prefix))


def test_summarise_rules_000_reads_the_symposium(seed_docs):
    s = summarise_rules(_doc("000", seed_docs))
    assert [d.value for d in s.dates] == ["3月28日"]
    assert s.meeting_type and s.meeting_type.value == "座谈会"
    assert s.chair and (s.chair.name, s.chair.role) == ("刘玉杰", "市委书记")
    assert s.chair.evidence.quote == "市委書記劉玉杰主持會議"  # traditional quote, simplified value
    assert [p.name for p in s.participants] == ["李军", "王波", "吕国平", "邵兵"]
    assert {p.role for p in s.participants} == {"市领导"}
    assert [(g.group, g.count) for g in s.attendees] == [
        ("优秀乡镇(街道)党(工)委书记", 18), ("优秀选派第一书记", 10),
        ("优秀村党组织书记", 34), ("软弱涣散村党组织书记", 22),
    ]
    assert [(g.group, g.count) for g in s.speaker_groups] == [("镇村党组织书记", 11)]
    named = {p.name: (p.organisation, p.role) for p in s.speakers}
    assert named["李强"] == ("临泉县长官镇", "党委书记")
    assert named["许奕"] == ("阜南县段郢乡蒲庄村", "党总支第一书记")
    assert named["赵子银"] == ("界首市陶庙镇赵庄村", "党总支书记")
    assert {r.who for r in s.requirements} == {"刘玉杰"}
    assert s.location is None and s.organiser is None  # not stated: left empty


def test_summarise_rules_001_reads_the_field_meeting(seed_docs):
    s = summarise_rules(_doc("001", seed_docs))
    assert [d.value for d in s.dates] == ["3月30日"]
    assert s.location and s.location.value == "凤埔乡" and s.location.evidence.quote == "鳳埔鄉"
    assert s.meeting_type and s.meeting_type.value == "现场会"
    assert s.chair is None  # the report does not say who chaired
    lin = [r for r in s.requirements if r.who == "林涛"]
    assert len(lin) == 1 and "民富便利店" in lin[0].text and "部署" in lin[0].text
    assert [(p.name, p.role) for p in s.speakers] == [("谢再春", "县委书记"), ("叶崧", "县委副书记"), ("林涛", "副县长")]


def test_summarise_rules_002_keeps_redactions_out_of_names_and_figures(seed_docs):
    s = summarise_rules(_doc("002", seed_docs))
    assert s.speakers == [] and s.chair is None  # the speaker is never named
    assert [(d.value, d.kind) for d in s.dates] == [("2022-09-23", "published")]
    assert all("*" not in f.value and "X" not in f.value for f in s.figures)
    kinds = {r.evidence.quote: r.kind for r in s.redactions}
    assert kinds["举办*期专题培训班"] == "figure"
    assert kinds["县委*书记对"] == "name"
    assert kinds["前往*挂职学习"] == "place"


def test_summarise_rules_004_has_no_date_and_keeps_every_figure(seed_docs):
    s = summarise_rules(_doc("004", seed_docs))
    assert s.dates == [] and s.meeting_type and s.meeting_type.value == "交流发言"
    values = {(f.value, f.unit) for f in s.figures}
    assert {("2155", "名"), ("97.14", "%"), ("120余", "件"), ("210", "家")} <= values
    assert [t.value for t in s.topics] == ["筑先锋堡垒", "抓队伍建设", "做强产业支撑", "深化社会治理", "强化作风建设"]


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("会议由县委副书记张三主持。张三指出,成绩来之不易。", "chair", ("张三", "县委副书记", None)),
        ("5月10日,县委在县委三楼会议室召开全县工作推进会。", "location", "县委三楼会议室"),
        ("5月10日,县委在县委三楼会议室召开全县工作推进会。", "organiser", "县委"),
        ("5月10日,县委在县委三楼会议室召开全县工作推进会。", "dates", ["5月10日"]),
        ("各级党委要把党建摆上议事日程,书记亲自管、亲自抓。", "speakers", []),
        ("会上,3个乡镇作了交流发言。", "speaker_groups", [("乡镇", 3)]),
        ("龙湾村党总支、毛德顺、黄春燕三位代表作了发言。", "speaker_groups", [("代表", 3)]),
        ("6名村党组织书记现场述职,其余书面述职。", "speaker_groups", [("村党组织书记", 6)]),
        ("各乡镇党委书记、县直各单位主要负责人共120余人参加会议。", "attendees",
         [("各乡镇党委书记", None), ("县直各单位主要负责人", None),
          ("各乡镇党委书记、县直各单位主要负责人", 120)]),  # the total covers the whole list
        ("王明强调,各乡镇要在6月底前完成排查。", "action_items", [("各乡镇", "6月底前")]),
        ("大家要相互借鉴,共同提升。", "action_items", []),
        ("全区已发展农民合作社210家。", "figures", [("210", "家")]),
        ("2022年开展“1331”工作。", "figures", []),
    ],
)
def test_summarise_rules_worked_examples(text, field, expected):
    s = summarise_rules(make_document(text, "example.txt"))
    value = getattr(s, field)
    if field == "chair":
        value = (value.name, value.role, value.organisation)
    elif field in ("location", "organiser"):
        value = value.value
    elif field == "dates":
        value = [d.value for d in value]
    elif field == "speakers":
        value = [p.name for p in value]
    elif field in ("speaker_groups", "attendees"):
        value = [(g.group, g.count) for g in value]
    elif field == "action_items":
        value = [(a.who, a.when) for a in value]
    elif field == "figures":
        value = [(f.value, f.unit) for f in value]
    assert value == expected
    assert check_evidence(make_document(text, "example.txt"), s) == []


def _fragments() -> list[str]:
    """Edge cases, every paragraph of every seed, and fixed random slices of them."""
    import random

    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    out = ["", "。", "“。”", "一、", "(一)", "一是。", "第一,", "会上,", "刘玉杰指出,", "XX强调,“", "18名", "***",
           "!\n“值得学习。”", "对作了部署", "市领导、", "县委书记"]
    rng = random.Random(0)
    for t in texts:
        out += t.split("\n")
        for _ in range(20):
            a = rng.randrange(len(t))
            out.append(t[a : rng.randrange(a, min(len(t), a + 300) + 1)])
    return out


def test_summarise_rules_never_fails_and_always_quotes_exactly():
    for text in _fragments():
        doc = make_document(text, "fragment.txt")
        assert check_evidence(doc, summarise_rules(doc)) == [], text[:40]
