"""HTML/Markdown rendering of the web app: escaping first, markup only around escaped text."""

from __future__ import annotations

import re

import pytest

from rag.metadata import make_document
from rag.types import Answer, Citation, Passage
from ui import render

HOSTILE = "<script>alert(1)</script>安全测试会\n6月1日,安全测试会召开,由周明主持。会上展示了<script>alert(1)</script>代码。"


@pytest.fixture(scope="module")
def hostile_doc():
    return make_document(HOSTILE, "/tmp/xss-test.txt")


def cite(doc, needle: str, n: int = 1) -> Citation:
    start = doc.display.index(needle)
    end = start + len(needle)
    return Citation(n, doc.doc_id, doc.title, start, end, doc.display[start:end])


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("<script>alert(1)</script>", "<script>", "&lt;script&gt;"),
        ('<img src=x onerror="alert(1)">', "<img", "&lt;img"),
        ("a & b", " & ", "&amp;"),
    ],
)
def test_esc_neutralises_markup(text, absent, present):
    out = render.esc(text)
    assert absent not in out
    assert present in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("县委*书记", "县委\\*书记"),  # a redaction mark is not emphasis
        ("# 标题", "\\# 标题"),
        ("[1](javascript:alert(1))", "\\[1\\]\\(javascript:alert\\(1\\)\\)"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("$x$", "\\$x\\$"),
    ],
)
def test_md_text_escapes_markdown_and_html(text, expected):
    assert render.md_text(text) == expected


def test_highlighted_marks_exactly_the_span_with_ellipses():
    display = "甲乙丙丁戊己庚辛"
    out = render.highlighted(display, 3, 5, 1, 7)
    assert out == "…乙丙<mark>丁戊</mark>己庚…"


def test_highlighted_escapes_inside_and_outside_the_mark():
    display = "<b>前</b>重点<i>后</i>"
    start = display.index("重点")
    out = render.highlighted(display, start - 5, start + 2, 0, len(display))
    assert "<b>" not in out and "<i>" not in out
    assert out == "&lt;b&gt;<mark>前&lt;/b&gt;重点</mark>&lt;i&gt;后&lt;/i&gt;"


def test_source_card_escapes_a_hostile_document(hostile_doc):
    c = cite(hostile_doc, "由周明主持")
    html = render.source_card(c, hostile_doc)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;安全测试会" in html  # the title, as text
    assert "<mark>由周明主持</mark>" in html


def test_source_card_stays_within_the_passage(hostile_doc):
    c = cite(hostile_doc, "由周明主持")
    line = hostile_doc.display.index("6月1日")
    passage = Passage(hostile_doc.doc_id, hostile_doc.title, line, c.end + 3, "", 1.0)
    html = render.source_card(c, hostile_doc, [passage])
    body = html.split('class="mr-passage">', 1)[1]
    assert body.startswith("…6月1日")  # starts at the passage, not at the document's title
    assert "展示了" not in body


def test_source_card_without_the_document_shows_the_quote():
    c = Citation(2, "gone", "<b>旧标题</b>", 0, 4, "<i>引文")
    html = render.source_card(c, None)
    assert "&lt;b&gt;旧标题&lt;/b&gt;" in html and "<mark>&lt;i&gt;引文</mark>" in html


def _answer(**kw) -> Answer:
    base = dict(question="q", answer="市委书记刘玉杰[1]", refused=False, citations=[], engine="extractive",
                timings_ms={"total": 54.0})
    base.update(kw)
    return Answer(**base)


def test_answer_markdown_numbers_citations_and_names_the_engine(hostile_doc):
    c = cite(hostile_doc, "由周明主持")
    md = render.answer_markdown(_answer(citations=[c]), {hostile_doc.doc_id: "6月1日"})
    assert "刘玉杰<sup>[1]</sup>" in md
    assert "**来源**:" in md and "6月1日" in md
    assert "&lt;script&gt;" in md and "<script" not in md
    assert "回答引擎:抽取式\\(原文摘录\\) · 54 毫秒" in md  # Markdown-escaped parentheses


def test_answer_markdown_refusal_looks_different():
    md = render.answer_markdown(_answer(answer="资料中没有找到相关内容。", refused=True,
                                        related=[Citation(1, "d", "t", 0, 1, "x")]))
    assert md.startswith('<div class="mr-refusal"><b>⚠ 未找到依据</b>')
    assert "可能相关" in md
    assert "<sup>" not in md
    # The 来源 panel is beside the chat on a desktop and under it on a phone: no "右侧".
    assert "“来源”栏" in md and "右侧" not in md


def test_answer_markdown_refusal_escapes_engine_text():
    md = render.answer_markdown(_answer(answer="<img src=x onerror=alert(1)>", refused=True))
    assert "<img" not in md and "&lt;img" in md


def test_answer_markdown_shows_how_a_follow_up_was_read():
    md = render.answer_markdown(_answer(standalone_question="林涛担任什么职务?"))
    assert "林涛担任什么职务?" in md.splitlines()[0]


def test_sources_html_for_a_refusal_lists_related_passages(hostile_doc):
    c = cite(hostile_doc, "安全测试会召开")
    html = render.sources_html(_answer(answer="资料中没有找到相关内容。", refused=True, related=[c]),
                               {hostile_doc.doc_id: hostile_doc})
    assert 'class="mr-refusal"' in html and 'class="mr-related"' in html
    assert "<mark>安全测试会召开</mark>" in html


def test_sources_html_placeholder_before_any_question():
    assert "mr-empty" in render.sources_html(None, {})


@pytest.mark.parametrize(("ms", "text"), [(54.2, "54 毫秒"), (999, "999 毫秒"), (1300, "1.3 秒")])
def test_duration(ms, text):
    assert render.duration(ms) == text


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("全市優秀基層黨組織書記座談會", "全市优秀基层党组织书记座谈会（原题“全市優秀基層黨組織書記座談會”）"),
        ("实施乡村振兴战略暨抓党建促脱贫攻坚工作推进会", "实施乡村振兴战略暨抓党建促脱贫攻坚工作推进会"),
    ],
)
def test_title_text_is_simplified_with_the_original_where_it_differs(title, shown):
    assert render.title_text(title) == shown


@pytest.mark.parametrize(
    ("dates", "text"),
    [
        ([("3月28日", "meeting")], "3月28日"),
        ([("2022-09-23", "published")], "2022-09-23（发布）"),
        ([("10月8日-9日", "meeting"), ("10月10日", "published")], "10月8日-9日、10月10日（发布）"),
        ([], ""),
    ],
)
def test_date_text_marks_a_publication_date(dates, text):
    assert render.date_text(dates) == text


def test_source_card_title_is_simplified_and_the_passage_original():
    doc = make_document("全市優秀基層黨組織書記座談會\n3月28日上午，市委書記劉玉杰主持會議。", "/tmp/seed.txt")
    html = render.source_card(cite(doc, "市委書記劉玉杰主持會議"), doc, date="3月28日")
    assert '全市优秀基层党组织书记座谈会<span class="mr-date">3月28日</span>' in html
    assert "原题“全市優秀基層黨組織書記座談會”" in html and "<mark>市委書記劉玉杰主持會議</mark>" in html


def test_table_html_escapes_cells_and_marks_columns_hidden_on_a_phone():
    html = render.table_html("已导入的文档", ["标题", "文件"], [["<script>x</script>", "a.txt"]], narrow_hidden=(1,))
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert '<th class="mr-wide">文件</th>' in html and '<td class="mr-wide">a.txt</td>' in html
    assert render.table_html("导入结果", ["文件"], []) == ""  # no placeholder headers ("1 2 3")
    assert "还没有文档" in render.table_html("已导入的文档", ["标题"], [], "还没有文档")


@pytest.mark.parametrize(
    ("text", "error", "html"),
    [
        ("问题是空的", True, '<div class="mr-warning">⚠ 问题是空的</div>'),
        ("<b>x</b>", True, '<div class="mr-warning">⚠ &lt;b&gt;x&lt;/b&gt;</div>'),
        ("已回答 · 第一行\n- 提示", False, "已回答 · 第一行  \n\\- 提示"),
        ("", True, ""),
    ],
)
def test_status_html(text, error, html):
    assert render.status_html(text, error) == html


def test_chart_html_draws_each_share_metric_with_chinese_labels():
    from ui import chart, messages

    summary = {"n": 3, "hit_at_1": 0.9, "answer_accuracy": 1.0, "refusal_precision": None, "latency_ms_p95": 20.0,
               "baseline": {"hit_at_1": 0.5, "answer_accuracy": 0.667, "refusal_precision": None}}
    html = chart.chart_html(summary)
    assert "meetrag 与基线对比(3 题)" in html and "回答正确率" in html and "延迟" not in html
    assert 'class="mr-bar mr-ours" style="width:90.0%"' in html and 'class="mr-bar mr-base" style="width:50.0%"' in html
    assert html.count("—") == 2  # refusal precision: nothing to measure, on both sides
    assert messages.untranslated(re.sub(r"<[^>]+>", " ", html)) == []  # the text, not the markup
    assert "基线" not in chart.chart_html({**summary, "baseline": None})
    assert chart.chart_html(None) == "" and chart.chart_html({"n": 0}) == ""
