"""Attendees of one level, people quoted by name, figures compared across two
documents, the years documents write. Small fabricated documents only."""

from __future__ import annotations

import pytest
from extractive_helpers import answer as _answer
from extractive_helpers import doc as _doc
from extractive_helpers import supported

from rag.extractive import compare_figures, documents_with_years
from rag.meetings import compared_parts, counted_noun, named_document, year_asked, years_written
from rag.question import analyse

FORUM = (
    "林业护林员座谈会\n"
    "4月2日,全县林业护林员座谈会召开。副县长孙立新,县林业局有关负责人,"
    "各乡镇(街道)林业站站长,各乡镇首批村级护林点村护林员组长参加会议。"
    "来自各地的12名优秀护林员和7名后进护林员出席。"
)
REPORT = (
    "茶叶产业推进会\n"
    "5月8日,我市召开茶叶产业推进会。\n"
    "“这个模式很值得学习。”白岭镇党委书记钱晓东说,下一步将推广茶园托管。\n"
    "在参观青石村时,“合作社带农户的做法很好,回去就学。”青石乡副乡长周明远表示。\n"
    "县茶叶站站长李建国介绍了全县茶园面积。\n"
    "日报记者吴海波"
)
EXCHANGE = (
    "交流发言:护林强基跑出加速度\n"
    "我区配备专职护林员9名,组建巡护队3支。"
)
SPEECH = "在全县林业工作会议上的讲话\n2021-03-15 09\n\n同志们:今天召开会议。"


def _grounded(answer) -> None:
    assert not answer.refused and answer.citations
    supported(answer, first_line_only=True)


# --- attendees of one level ---------------------------------------------------------------


@pytest.mark.parametrize(
    "question, level",
    [
        ("座谈会村一级是请的哪些人来参会?", "村"),
        ("座谈会乡级有哪些人参加?", "镇"),
        ("座谈会县级请了什么人出席?", "县"),
        ("座谈会有哪些人参加?", None),
    ],
)
def test_level_of_attendees_is_read_from_the_question(question, level):
    assert analyse(question).extra.get("level_attendees") == level


@pytest.mark.parametrize(
    "question, expected",
    [
        ("座谈会村一级是请的哪些人来参会?", "各乡镇首批村级护林点村护林员组长"),
        ("座谈会乡级有哪些人参加?", "各乡镇(街道)林业站站长"),
        ("座谈会县级请了什么人出席?", "副县长孙立新、县林业局有关负责人"),
    ],
)
def test_attendees_of_the_asked_level(question, expected):
    answer, _ = _answer(question, _doc(FORUM, "forum"))
    assert answer.answer.split("[")[0] == expected
    _grounded(answer)


def test_no_attendance_sentence_falls_back():
    answer, _ = _answer("推进会村一级是请的哪些人来参会?", _doc(EXCHANGE, "exchange"))
    assert answer.refused


# --- people quoted under their name ---------------------------------------------------------


@pytest.mark.parametrize(
    "question, asked",
    [
        ("推进会的报道里,有几位干部是点了名字谈体会的?", True),
        ("有几位书记具名发言?", True),
        ("有几位干部参加推进会?", False),
    ],
)
def test_count_of_named_speakers_is_read_from_the_question(question, asked):
    assert bool(analyse(question).extra.get("count_speakers")) is asked


def test_named_speakers_are_counted_with_their_names():
    answer, _ = _answer("推进会的报道里,有几位干部是点了名字谈体会的?", _doc(REPORT, "report"))
    # Quoted with post and name: 钱晓东, 周明远; 李建国 speaks but is not quoted; the reporter is no speaker.
    assert answer.answer.startswith("共2位（钱晓东、周明远）")
    _grounded(answer)


def test_a_document_quoting_nobody_gives_no_count():
    answer, _ = _answer("推进会的报道里,有几位干部是点了名字谈体会的?", _doc(FORUM.replace("座谈会", "推进会"), "f"))
    assert answer.refused


# --- two figures from two documents ---------------------------------------------------------


@pytest.mark.parametrize(
    "question, parts",
    [
        ("座谈会来的优秀护林员,和交流发言那个区配的专职护林员,哪边人多?多几个?",
         ("座谈会来的优秀护林员", "交流发言那个区配的专职护林员", "多")),
        ("座谈会的后进护林员与交流发言的专职护林员,哪个少?少多少?",
         ("座谈会的后进护林员", "交流发言的专职护林员", "少")),
        ("座谈会来的优秀护林员有多少?", None),
        ("哪边人多?", None),
    ],
)
def test_compared_parts(question, parts):
    assert compared_parts(question) == parts


def test_counted_noun_and_named_document():
    forum, exchange = _doc(FORUM, "forum"), _doc(EXCHANGE, "exchange")
    infos = [(d.doc_id, d.title, d.dates) for d in (forum, exchange)]
    assert counted_noun("交流发言那个区配的专职护林员") == "专职护林员"
    assert named_document("座谈会来", infos) == forum.doc_id
    assert named_document("交流发言那个区配", infos) == exchange.doc_id
    assert named_document("那个区配", infos) is None


def test_figures_of_two_documents_are_compared():
    forum, exchange = _doc(FORUM, "forum"), _doc(EXCHANGE, "exchange")
    answer = compare_figures("q", [(forum, "优秀护林员"), (exchange, "专职护林员")], "多")
    assert answer is not None
    assert "优秀护林员多3名（12-9）" in answer.answer
    assert [c.doc_id for c in answer.citations] == [forum.doc_id, exchange.doc_id]
    _grounded(answer)


@pytest.mark.parametrize("noun", ["兼职护林员", "护林员组长"])
def test_a_figure_not_written_gives_no_comparison(noun):
    forum, exchange = _doc(FORUM, "forum"), _doc(EXCHANGE, "exchange")
    assert compare_figures("q", [(forum, "优秀护林员"), (exchange, noun)], "多") is None


# --- years written in documents -------------------------------------------------------------


@pytest.mark.parametrize(
    "question, asked",
    [
        ("这几份材料里,哪一份写了具体年份?是哪一年?", True),
        ("哪篇讲话是哪一年的?", True),
        ("座谈会是哪一年开的?", False),
    ],
)
def test_year_asked(question, asked):
    assert year_asked(question) is asked


@pytest.mark.parametrize(
    "text, years",
    [
        ("2021-03-15 09", ["2021"]),
        ("到2025年建成,2021.3.5通过", ["2025", "2021"]),
        ("共2021名党员,电话2021-88", []),
    ],
)
def test_years_written(text, years):
    assert [y for _, y in years_written(text)] == years


def test_documents_with_years_name_the_document_and_year():
    speech, forum = _doc(SPEECH, "speech"), _doc(FORUM, "forum")
    answer = documents_with_years("q", [forum, speech])
    assert answer is not None and answer.answer.startswith("在全县林业工作会议上的讲话：2021[1]")
    assert [c.doc_id for c in answer.citations] == [speech.doc_id]
    assert documents_with_years("q", [forum]) is None


# --- a sentence read under the heading of its point -------------------------------------------

POINTS = (
    "在全县林业工作会议上的讲话\n"
    "同志们:今天召开会议。\n"
    "一、强化队伍建设。一要巩固拓展护林员轮训成果。围绕防火关键时段,按照“县级示范、乡镇兜底”的轮训方式,"
    "分批开展巡护轮训。二要完善激励机制。落实巡护补贴。"
)


def test_the_point_heading_supplies_the_context_of_a_quoted_term():
    answer, _ = _answer("护林员轮训成果的巩固,讲话要求按什么“轮训方式”来搞?", _doc(POINTS, "points"))
    assert answer.answer.startswith("县级示范、乡镇兜底")
    _grounded(answer)


@pytest.mark.parametrize(
    "question",
    [
        "护林员轮训成果的巩固,讲话要求按什么“考核方式”来搞?",  # the quoted term is not written
        "森林防火监测预警,讲话要求按什么“轮训方式”来搞?",  # the heading is about something else
    ],
)
def test_the_point_heading_does_not_stand_in_for_absent_evidence(question):
    answer, _ = _answer(question, _doc(POINTS, "points"))
    assert answer.refused
