"""Rendering summaries: Markdown (golden for seed 000), Word, and the per-meeting table."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from rag.summaries import summarize, summarize_many
from rag.summary_render import person, render_table, table_rows, to_docx, to_markdown
from rag.summary_schema import Evidence, Group, MeetingSummary, Person

GOLDEN = Path(__file__).resolve().parent / "golden" / "summaries"
STEM_000 = "000_1e9d919d8109f11d"


@pytest.fixture(scope="module")
def summaries(seed_docs):
    return summarize_many([seed_docs[k] for k in sorted(seed_docs)], "rules")


def test_to_markdown_matches_golden(seed_docs):
    path = GOLDEN / f"{STEM_000}.md"
    actual = to_markdown(summarize(seed_docs[STEM_000], "rules"))
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), "Markdown changed: review, then UPDATE_GOLDEN=1"


def test_to_markdown_defines_every_footnote_it_cites(summaries):
    for s in summaries:
        md = to_markdown(s)
        cited = set(re.findall(r"\[\^(\d+)\](?!:)", md))
        defined = set(re.findall(r"^\[\^(\d+)\]:", md, flags=re.M))
        assert cited == defined and cited, s.source


def test_to_markdown_shows_values_simplified_and_sources_original(summaries):
    md = to_markdown(summaries[0])
    assert "主持：刘玉杰（市委书记）" in md
    assert "「市委書記劉玉杰主持會議」（第26–36字）" in md


def test_to_markdown_leaves_out_empty_fields(summaries):
    md = to_markdown(summaries[4])  # 004: no date, place, chair
    assert "时间" not in md and "地点" not in md and "主持" not in md


def test_to_docx_writes_a_minutes_document(tmp_path, summaries):
    import docx

    path = to_docx(summaries[:2], tmp_path / "out" / "纪要.docx")
    d = docx.Document(str(path))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "全市优秀基层党组织书记座谈会会议纪要"
    assert {"基本情况", "出席人员", "发言", "部署要求", "来源"} <= set(headings)
    assert "“1331”基层党建现场会会议纪要" in headings
    texts = [p.text for p in d.paragraphs]
    assert any(t.startswith("主持：刘玉杰（市委书记）") for t in texts)
    assert any("「市委書記劉玉杰主持會議」" in t for t in texts)  # a quoted source, original script


def test_table_rows_give_one_row_per_meeting(summaries):
    rows = table_rows(summaries)
    assert [r.cells() for r in rows[:3]] == [
        ["3月28日", "全市优秀基层党组织书记座谈会", "", "刘玉杰（市委书记）", "84"],
        ["3月30日", "“1331”基层党建现场会", "凤埔乡", "", ""],
        ["2022-09-23（发布）", "全县基层党建工作重点任务推进会", "", "", ""],
    ]
    assert rows[0].attendee_total == 84 and rows[4].date == ""


def test_table_rows_mark_a_partial_head_count():
    ev = Evidence(start=0, end=1, quote="x")
    s = MeetingSummary(doc_id="d", source="s.txt", engine="rules", attendees=[
        Group(group="村党组织书记", count=30, evidence=ev), Group(group="县直单位负责人", evidence=ev)])
    (row,) = table_rows([s])
    assert (row.attendees, row.attendee_total, row.title) == ("30+", 30, "s.txt")


def test_render_table_aligns_columns_by_display_width(summaries):
    lines = render_table(table_rows(summaries)).splitlines()
    assert lines[0].split() == ["日期", "会议", "地点", "主持", "参会人数"]
    assert len(lines) == 2 + len(summaries)
    assert lines[2].index("全市") == lines[0].index("会议")  # CJK counts double, ASCII single


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (Person(name="李强", role="党委书记", organisation="临泉县长官镇", evidence=Evidence(start=0, end=1, quote="x")),
         "李强（临泉县长官镇党委书记）"),
        (Person(name=None, role="市委主要领导", evidence=Evidence(start=0, end=1, quote="x")), "市委主要领导"),
        (Person(name="王波", evidence=Evidence(start=0, end=1, quote="x")), "王波"),
    ],
)
def test_person_formats_name_and_office(p, expected):
    assert person(p) == expected
