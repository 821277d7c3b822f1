"""The answer renderer (rag.render): citation marks, 原文 lines with trimmed quotes,
refusals, and merged answers; and, over real answers of the extractive engine, the
invariant that every 原文 quote is a piece of the passage it cites. Small fabricated
documents only: no index, no model.
"""

from __future__ import annotations

import re

import pytest
from extractive_helpers import answer as _answer
from extractive_helpers import cited_exactly
from extractive_helpers import doc as _doc

from rag.answer_meetings import _meeting_date, documents_with_years
from rag.render import (
    QUOTE_WIDTH,
    REFUSAL,
    Refusal,
    answer_text,
    answered,
    cite,
    head_words,
    layout_of,
    marks,
    merge_answers,
    refusal,
    refused,
    trim,
    written,
)
from rag.types import Answer, Citation, Cited, Layout, Shown

# 120 characters: 0-9 digits, then letters of the alphabet cycled.
LONG = "".join(str(i % 10) if i < 10 else "甲乙丙丁戊己庚辛壬癸"[i % 10] for i in range(120))


@pytest.mark.parametrize(
    "claim, ns, expected",
    [
        ("刘玉杰", (1,), "刘玉杰[1]"),
        ("相隔7天（3月1日、3月8日）", (1, 2), "相隔7天（3月1日、3月8日）[1][2]"),
        ("无法比较（人数未写明）", (1, 2, 3), "无法比较（人数未写明）[1][2][3]"),
        ("没有出处", (), "没有出处"),
    ],
)
def test_cite_follows_the_claim_with_its_marks(claim, ns, expected):
    assert cite(claim, *ns) == expected
    assert marks(ns) == expected[len(claim) :]


@pytest.mark.parametrize(
    "text, start, end, width, expected",
    [
        ("县委书记王学文主持会议。", 4, 7, QUOTE_WIDTH, "县委书记王学文主持会议。"),  # short: whole
        (LONG, 0, 2, 40, LONG[:40] + "…"),  # at the start: cut on the right only
        (LONG, 50, 52, 40, "…" + LONG[40:80] + "…"),  # the window opens 10 before the span
        (LONG, 115, 118, 40, "…" + LONG[80:120]),  # near the end: the last width characters, span shown
        (LONG, 0, 0, 120, LONG),  # exactly the width: whole
    ],
)
def test_trim_windows_the_quote_around_the_span(text, start, end, width, expected):
    assert trim(text, start, end, width) == expected


@pytest.mark.parametrize("start", range(0, 30))
def test_trim_never_cuts_a_number(start):
    text = "甲" * 20 + "共接收进馆档案12580卷" + "乙" * 30
    shown = trim(text, start, start + 2, width=20)
    inner = shown.strip("…")
    assert inner in text
    assert "12580" in inner or not re.search(r"\d", inner)


@pytest.mark.parametrize(
    "claims, lines, expected",
    [
        (["刘玉杰[1]"], [], "刘玉杰[1]"),
        (["刘玉杰[1]", "王波[2]"], [], "刘玉杰[1]；王波[2]"),
        (["刘玉杰[1]"], [Shown(1, "座谈会由刘玉杰主持。", 4, 7)], "刘玉杰[1]\n原文：座谈会由刘玉杰主持。[1]"),
        (
            ["3月1日[1]", "3月8日[2]"],
            [Shown(1, "3月1日召开。", 0, 4), Shown(2, "3月8日召开。", 0, 4)],
            "3月1日[1]；3月8日[2]\n原文：3月1日召开。[1]\n原文：3月8日召开。[2]",
        ),
        (["A（10月8日-9日）[1]"], ["另有3次会议也开了两天，未逐一列出。", Shown(1, "10月8日-9日召开。", 0, 8)],
         "A（10月8日-9日）[1]\n另有3次会议也开了两天，未逐一列出。\n原文：10月8日-9日召开。[1]"),
        (["1331万[1]"], [Shown(1, LONG, 100, 104)], f"1331万[1]\n原文：…{LONG[30:120]}[1]"),
    ],
)
def test_answer_text_is_the_head_then_its_lines(claims, lines, expected):
    assert answer_text(claims, lines) == expected


@pytest.mark.parametrize(
    "kind, kwargs, expected",
    [
        (Refusal.NOT_FOUND, {}, "资料中没有找到相关内容。"),
        (Refusal.REDACTED, {"mark": "×××"}, "资料中该信息已被隐去（原文以“×××”代替），无法给出。[1]"),
        (Refusal.REDACTED, {"mark": "某某"}, "资料中该信息已被隐去（原文以“某某”代替），无法给出。[1]"),
        (Refusal.CLARIFY, {"pronoun": "他"}, "请问“他”指的是哪位？"),
        (Refusal.CLARIFY, {"pronoun": "这次会议"}, "请问“这次会议”指的是哪次会议？"),
    ],
)
def test_refusal_of_each_kind(kind, kwargs, expected):
    assert refusal(kind, **kwargs).startswith(expected)


def test_a_refused_answer_cites_only_the_redacted_sentence():
    hidden = Citation(1, "d", "d", 0, 12, "会议由×××主持。")
    nothing = refused("谁主持?", Refusal.NOT_FOUND, related=[hidden])
    redacted = refused("谁主持?", Refusal.REDACTED, [hidden], mark="×××", strategy="redacted")
    assert (nothing.answer, nothing.citations, nothing.related) == (REFUSAL, [], [hidden])
    assert redacted.answer.endswith("“×××”代替），无法给出。[1]") and redacted.citations == [hidden]
    assert nothing.refused and redacted.refused and redacted.strategy == "redacted"
    assert nothing.layout is None and redacted.layout is None  # nothing to merge


def test_the_not_found_refusal_is_the_constant_the_guard_and_llm_use():
    assert refusal(Refusal.NOT_FOUND) == REFUSAL


@pytest.mark.parametrize(
    "layout, expected, words",
    [
        (Layout((Cited("刘玉杰", (1,)),)), "刘玉杰[1]", "刘玉杰"),
        (Layout((Cited("刘玉杰", (1,)),), (Shown(1, "座谈会由刘玉杰主持。", 4, 7),)),
         "刘玉杰[1]\n原文：座谈会由刘玉杰主持。[1]", "刘玉杰"),
        # answer_compare: the verdict, then each meeting's value after a colon
        (Layout((Cited("甲会更早", (1, 2)), Cited("甲会：3月1日", (1,), after="："), Cited("乙会：3月8日", (2,)))),
         "甲会更早[1][2]：甲会：3月1日[1]；乙会：3月8日[2]", "甲会更早：甲会：3月1日；乙会：3月8日"),
        (Layout((Cited("A（10月8日-9日）", (1,)),), ("另有3次会议也开了两天。", Shown(1, "10月8日-9日召开。", 0, 8))),
         "A（10月8日-9日）[1]\n另有3次会议也开了两天。\n原文：10月8日-9日召开。[1]", "A（10月8日-9日）"),
    ],
)
def test_a_layout_is_written_head_first(layout, expected, words):
    answer = answered("q", layout, [])
    assert written(layout) == answer.answer == expected
    assert head_words(answer) == words
    assert layout_of(answer) is layout and not answer.refused and answer.engine == "extractive"


def _single(doc_id: str, claim: str, quote: str | None = None) -> Answer:
    """An answer citing one passage, its quote on a 原文 line when given."""
    text = quote or claim
    lines = (Shown(1, quote, 0, len(quote)),) if quote else ()
    return answered("q", Layout((Cited(claim, (1,)),), lines), [Citation(1, doc_id, doc_id, 0, len(text), text)])


def test_merged_answers_join_heads_and_renumber_their_citations():
    first = _single("a", "3月1日", "3月1日召开。")
    plain = _single("c", "王波主持。")
    second = _single("b", "3月8日", "3月8日召开。")
    merged = merge_answers("q", [first, plain, second])
    assert merged.answer == "3月1日[1]；王波主持。[2]；3月8日[3]\n原文：3月1日召开。[1]\n原文：3月8日召开。[3]"
    assert [(c.n, c.doc_id) for c in merged.citations] == [(1, "a"), (2, "c"), (3, "b")]
    assert not merged.refused
    # merged again (two questions in one, each answered per meeting): numbering continues
    again = merge_answers("q", [merged, _single("d", "刘玉杰")])
    assert again.answer.startswith("3月1日[1]；王波主持。[2]；3月8日[3]；刘玉杰[4]\n")


def test_a_passage_two_parts_cite_is_numbered_and_shown_once():
    quote = "6名村党组织书记现场述职，其余13名书记书面述职；"
    merged = merge_answers("q", [_single("a", "6名", quote), _single("a", "13名", quote)])
    assert merged.answer == f"6名[1]；13名[1]\n原文：{quote}[1]"
    assert [c.n for c in merged.citations] == [1]


@pytest.mark.parametrize("answer", [Answer("q", REFUSAL, True, [], "extractive"), Answer("q", "刘玉杰[1]", False, [], "llm")])
def test_only_laid_out_answers_are_merged(answer):
    with pytest.raises(ValueError, match="has no layout"):
        merge_answers("q", [answer])


# --- the invariant over real answers ---------------------------------------------------------

ARCHIVE = (
    "5月6日,全县档案工作推进会在县行政中心三楼会议室召开。县委书记王学文主持会议并讲话。"
    "会议指出,过去一年全县档案系统围绕中心、服务大局,扎实推进档案资源建设、档案数字化、档案利用服务和档案安全体系建设等各项工作,"
    "共接收进馆档案12580卷,完成数字化扫描1331万页,为全县经济社会发展提供了有力支撑。"
    "县领导赵志刚、钱明、孙立军参加会议。\n"
    "会上,横岭镇委书记周建国表示,要抓好档案数字化。溪口镇委副书记吴海燕说,要加强人员培训。"
)
YEARLY = "2023年3月30日,全县“1331”基层党建现场会在凤埔乡召开。县委书记谢再春出席会议并讲话。"

_SOURCE = re.compile(r"^原文：(.*)\[(\d+)\]$")


def _sources_are_in_their_passages(answer: Answer) -> int:
    """Every 原文 line shows (between its …) a piece of the quote of the citation it names;
    returns how many lines were checked."""
    by_n = {c.n: c.quote for c in answer.citations}
    lines = [m for line in answer.answer.split("\n") if (m := _SOURCE.match(line))]
    for m in lines:
        shown, n = m.group(1), int(m.group(2))
        assert n in by_n, (n, answer.answer)
        assert shown.strip("…") in by_n[n], (shown, by_n[n])
    return len(lines)


@pytest.mark.parametrize(
    "question, trimmed",
    [
        ("推进会由谁主持?", False),
        ("完成数字化扫描多少万页?", True),  # deep in a sentence longer than the window
        ("推进会在哪里召开?", False),
        ("会议指出过去一年围绕什么?", True),
        ("推进会是哪天召开的?", False),
    ],
)
def test_every_source_line_of_an_answer_quotes_its_passage(question, trimmed):
    doc = _doc(ARCHIVE, "archive")
    answer, by_id = _answer(question, doc)
    assert not answer.refused, answer.answer
    cited_exactly(answer, by_id)
    assert _sources_are_in_their_passages(answer) >= 1
    assert ("…" in answer.answer) == trimmed, answer.answer


def test_source_lines_of_meeting_answers_quote_their_passages():
    archive, yearly = _doc(ARCHIVE, "archive"), _doc(YEARLY, "yearly")
    years = documents_with_years("哪一份写了具体年份?", [archive, yearly])
    assert years is not None and years.answer.startswith("全县“1331”基层党建现场会：2023[1]\n原文："), years
    answers = [_meeting_date("哪天开的?", archive), _meeting_date("哪天开的?", yearly, named=True), years]
    for a in answers:
        cited_exactly(a, {archive.doc_id: archive, yearly.doc_id: yearly})
        assert _sources_are_in_their_passages(a) == len(a.citations)


@pytest.mark.slow
def test_every_source_line_over_the_seeds_quotes_its_passage(seeded):
    """The same invariant over the real index of the seeds, for the known answers of
    tests/test_answers (each mark also names a citation, and each citation is marked)."""
    from test_answers import ANSWERED

    from rag.pipeline import Pipeline

    pipeline = Pipeline(seeded)
    checked = 0
    for question, _ in ANSWERED:
        answer = pipeline.ask(question)
        assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)} == {c.n for c in answer.citations}
        checked += _sources_are_in_their_passages(answer)
    assert checked >= len(ANSWERED) // 2
