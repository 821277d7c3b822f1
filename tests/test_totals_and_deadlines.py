"""Totals over the parts a question names, and deadlines asked with their recipient.
Classes the development corpus's train split showed: a sum asked in either of two units
(多少台（套）), parts named as quoted terms ("好" is not "较好"), the parts' figures in
another sentence than the best-covered one, 加起来 read as arriving, a deadline answered
with the meeting's own day, and "啥时候前报到哪里" asking two things. Made-up documents,
no index."""

from __future__ import annotations

import pytest
from extractive_helpers import answer, cited_exactly, doc, supported

from rag.answer_frame import Slot, read_slot
from rag.extractive import with_recipient
from rag.guard import _checked_sums
from rag.question import analyse, predicate, summed_parts
from rag.spans import Found, total_of


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("监测站和报警器加起来一共多少台（套）？", "台|套"),
        ("三类问题加起来一共多少处(起)", "处|起"),
        ("一共多少台", "台"),
        ("一共几个人发言", "人"),
    ],
)
def test_a_question_may_count_in_either_of_two_units(question: str, unit: str) -> None:
    assert analyse(question).unit == unit


def test_a_total_asked_in_either_unit_adds_both() -> None:
    intent = analyse("给隐患点新装的自动雨量监测站和裂缝报警器加起来一共多少台（套）？")
    total = total_of(intent, "为地质灾害隐患点新安装自动雨量监测站26台,裂缝报警器(位移计)41套.")
    assert total is not None and total.render() == "共67台（套）（26+41）"
    # Asked in one unit only, 台 and 套 still do not add up.
    assert total_of(analyse("监测站和报警器加起来一共多少台？"), "监测站26台,报警器41套.") is None


def test_quoted_parts_name_their_items_exactly() -> None:
    question = "现场测评拿到“好”和“较好”的一共几名书记"
    assert summed_parts(question) == ("好", "较好")
    text = '测评结果显示,"好"等次4名、"较好"等次6名、“一般”等次1名.'
    total = total_of(analyse(question), text)
    assert total is not None and total.render() == "共10名（4+6）"


def test_a_total_with_an_approximate_part_is_approximate() -> None:
    intent = analyse("全县派出去的第一书记和工作队员加起来多少人")
    total = total_of(intent, "全县共选派驻村第一书记158名、驻村工作队员320余名。")
    assert total is not None and total.render() == "共478余名（158+320）"


@pytest.mark.parametrize("claim", ["共67台（套）（26+41）", "共478余名（158+320）", "共10名（4+6）"])
def test_the_guard_checks_the_arithmetic_of_such_totals(claim: str) -> None:
    parts = claim[claim.rindex("（") + 1 : -1].split("+")
    assert _checked_sums(claim, set(parts))
    assert not _checked_sums(claim, {parts[0]})  # a part the evidence does not hold


def test_the_parts_are_summed_where_their_figures_are_written() -> None:
    # The attendance sentence names both parts and holds more of the question's words,
    # but only the second sentence gives each part its own figure.
    report = doc(
        "全县驻村帮扶工作交流会召开\n"
        "全县各乡镇分管负责同志、驻村第一书记、驻村工作队员和部分新乡贤代表共计130余人参加。\n"
        "截止目前，全县共选派驻村第一书记158名、驻村工作队员320余名，争取项目资金1.2亿元。\n",
        "helpers",
    )
    a, by_id = answer("全县派出去的第一书记和工作队员加起来多少人", report)
    assert not a.refused and a.answer.startswith("共478余名（158+320）"), a.answer
    assert a.strategy == "total:parts"
    cited_exactly(a, by_id)
    supported(a, first_line_only=True)


@pytest.mark.parametrize(
    ("question", "slot"),
    [
        ("全县派出去的第一书记和工作队员加起来多少人", None),  # 加起来 sums, nobody arrives
        ("座谈会一共来了多少人", Slot.ATTENDANCE),
        ("要求各村党组织书记在什么时候前制定整改方案？", None),  # a deadline, not the meeting's day
        ("述职评议会是哪天召开的", Slot.DATE),
    ],
)
def test_which_questions_the_meeting_frame_answers(question: str, slot: Slot | None) -> None:
    sq = read_slot(question, analyse(question))
    assert (sq.slot if sq else None) is slot


def test_a_deadline_asked_with_its_recipient() -> None:
    question = "水果推进会后各乡镇的实施方案啥时候前报到哪里？"
    intent = analyse(question)
    assert intent.extra.get("deadline") and intent.extra.get("recipient")
    assert "报到" not in predicate(question)  # 报 + 到哪里, not 报到 (checking in)
    assert not analyse("实施方案啥时候前报？").extra.get("recipient")


@pytest.mark.parametrize(
    ("text", "date", "shown"),
    [
        ("会后各乡镇要制定具体实施方案，于4月底前报县农业局备案，县政府督查室跟踪督查。", "4月底", "4月底前报县农业局"),
        ("各单位请于11月10日下午6点前将参会人员名单报县委办公室综合科。", "11月10日", "11月10日下午6点前将参会人员名单报县委办公室综合科"),
        ("各村要在2月10日前制定整改方案。", "2月10日", "2月10日"),  # no recipient written: the date alone
    ],
)
def test_the_recipient_is_read_after_the_deadline(text: str, date: str, shown: str) -> None:
    at = text.index(date)
    assert with_recipient(text, Found(date, at, at + len(date))).text == shown


def test_a_deadline_with_its_recipient_end_to_end() -> None:
    report = doc(
        "全县水果产业发展推进会召开\n"
        "3月28日，全县水果产业发展推进会在朝东镇召开。\n"
        "会议要求，会后各乡镇要结合实际制定具体实施方案，于4月底前报县农业局备案。\n",
        "fruit",
    )
    a, by_id = answer("水果推进会后各乡镇的实施方案啥时候前报到哪里？", report)
    assert a.answer.startswith("4月底前报县农业局"), a.answer
    cited_exactly(a, by_id)


def test_a_total_counts_the_items_its_qualifying_word_picks() -> None:
    # 请假 picks two of the four figures; 党员 is the noun every item counts, not a qualifier.
    intent = analyse("请假没来的党员一共几个")
    assert intent.unit == "人"  # the people named before 几个
    text = "出席：村党支部党员三十一名（全支部党员三十六名，因病请假二名，外出务工请假三名）"
    total = total_of(intent, text)
    assert total is not None and total.render() == "共5名（2+3）"
    # Two words picking different items: no sum to trust.
    assert total_of(analyse("请假出差的党员一共几个"), "党员请假2名，出差3名，请假出差的2名，病休4名") is None
