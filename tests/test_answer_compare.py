"""Meetings compared on a slot of their frames (哪个开得早 / 哪个参会人多), and the
meetings of a question found by their words, on made-up documents."""

from __future__ import annotations

import pytest
from extractive_helpers import doc

from rag.answer_compare import answer_compare, compared, find_meeting, named_parts
from rag.answer_frame import Slot
from rag.meeting.frame import extract

FLOOD = doc("青山镇召开防汛调度会\n2021年6月11日，青山镇召开防汛调度会。镇长李明主持会议。"
            "各村支部书记共32人参加会议。", "flood")
FIRE = doc("全县森林防火调度会召开\n2021年3月2日，全县森林防火调度会在县委二楼召开。副县长王强主持会议。"
           "各乡镇分管负责同志等110余人参加会议。", "fire")
NO_YEAR = doc("白沙乡召开述职评议会\n1月19日上午，白沙乡召开述职评议会。乡党委书记赵刚主持会议。", "noyear")


@pytest.mark.parametrize(("question", "parts", "slot", "word"), [
    ("青山镇防汛调度会和全县森林防火调度会，哪个开得早？", ("青山镇防汛调度会", "全县森林防火调度会"), Slot.DATE, "早"),
    ("青山镇防汛调度会与全县森林防火调度会哪个先开的", ("青山镇防汛调度会", "全县森林防火调度会"), Slot.DATE, "早"),
    ("青山镇防汛调度会和全县森林防火调度会，哪个参会人数更多？", ("青山镇防汛调度会", "全县森林防火调度会"), Slot.ATTENDANCE, "多"),
    ("青山镇防汛调度会、全县森林防火调度会、白沙乡述职评议会，这三个哪个最晚？",
     ("青山镇防汛调度会", "全县森林防火调度会", "白沙乡述职评议会"), Slot.DATE, "晚"),
])
def test_the_meetings_and_the_slot_a_comparison_asks(question, parts, slot, word):
    asked = compared(question)
    assert asked is not None and asked.parts == parts and asked.slot is slot and asked.word == word


@pytest.mark.parametrize("question", [
    "青山镇防汛调度会上谁的发言更多？",  # one meeting
    "青山镇防汛调度会和全县森林防火调度会分别是谁主持的？",  # not a comparison
    "哪个乡镇的隐患最多？",
])
def test_not_a_comparison_of_meetings(question):
    assert compared(question) is None


NAMES = {FLOOD.doc_id: "防汛会", FIRE.doc_id: "防火会", NO_YEAR.doc_id: "述职会"}


def _sides(*docs):
    return [(d, extract(d), NAMES[d.doc_id]) for d in docs]


def test_the_earlier_meeting_by_the_frames_dates():
    a = answer_compare("哪个开得早?", compared("青山镇防汛调度会和全县森林防火调度会，哪个开得早？"), _sides(FLOOD, FIRE))
    assert a is not None and a.answer.startswith("防火会召开得更早[1][2]：防汛会：2021年6月11日[1]；防火会：2021年3月2日[2]")
    for c in a.citations:  # every quote is the document at its offsets
        d = {FLOOD.doc_id: FLOOD, FIRE.doc_id: FIRE}[c.doc_id]
        assert d.quote(c.start, c.end) == c.quote


def test_more_people_by_the_frames_counts():
    asked = compared("青山镇防汛调度会和全县森林防火调度会，哪个参会人数更多？")
    a = answer_compare("q", asked, _sides(FLOOD, FIRE))
    assert a is not None and a.answer.startswith("防火会参会人数更多")


def test_no_verdict_without_the_year_of_both():
    asked = compared("青山镇防汛调度会和白沙乡述职评议会，哪个开得早？")
    a = answer_compare("q", asked, _sides(FLOOD, NO_YEAR))
    assert a is not None and a.answer.startswith("无法比较（文中未写年份）")


def test_a_meeting_is_found_by_the_words_of_its_part():
    by_weight = lambda _w: 1.0  # noqa: E731
    frames = {d.doc_id: extract(d) for d in (FLOOD, FIRE, NO_YEAR)}
    found = find_meeting("青山镇的防汛调度会", [FIRE, FLOOD, NO_YEAR], lambda d: frames[d.doc_id], by_weight)
    assert found is FLOOD
    assert find_meeting("某县人大常委会会议", [FIRE, FLOOD], lambda d: frames[d.doc_id], by_weight) is None


def test_the_parts_of_a_per_meeting_question():
    assert named_parts("青山镇防汛调度会和全县森林防火调度会分别是谁主持的？") == ("青山镇防汛调度会", "全县森林防火调度会")
    assert named_parts("青山镇防汛调度会是谁主持的？") == ()


def test_a_place_holding_a_joining_word_is_not_split():
    # 锦和镇: its 和 joins no two meetings.
    from rag.answer_compare import compared
    asked = compared("马鞍山乡防汛调度会和锦和镇擂台比武会哪个开得早")
    assert asked is not None and asked.parts == ("马鞍山乡防汛调度会", "锦和镇擂台比武会")
