"""The kind of thing a question asks for limits what answers it: an amount of money is
not a head count, a room is not the town it is in. Made-up documents."""

from __future__ import annotations

import pytest
from extractive_helpers import answer, cited_exactly, doc

from rag.question import analyse
from rag.spans import unit_matches

REPORT = doc(
    "石桥镇召开表彰大会\n"
    "6月28日,石桥镇在镇政府三楼会议室召开表彰大会。会议表彰了8名优秀共产党员,"
    "每人发放奖金2000元。驻村工作队协调资金35万元,修建道路2.3公里。",
    "report",
)
TOWN_ONLY = doc("白沙乡召开防汛调度会\n7月2日,白沙乡召开防汛调度会,部署主汛期工作。", "town")


@pytest.mark.parametrize(
    ("question", "unit"),
    [("每人发了多少奖金?", "元"), ("协调了多少资金?", "元"), ("投资多少钱?", "元"),
     ("表彰了多少名党员?", "名"), ("修了多少公里路?", "公里")],
)
def test_money_questions_ask_for_an_amount(question, unit):
    assert analyse(question).unit == unit


@pytest.mark.parametrize(("unit", "ok"), [("万元", True), ("元", True), ("亿元", True), ("名", False), ("公里", False)])
def test_money_is_answered_by_money_in_any_magnitude(unit, ok):
    assert unit_matches(unit, "元") is ok


@pytest.mark.parametrize(
    ("question", "expected"),
    [("石桥镇表彰大会每人发了多少奖金?", "2000元"), ("石桥镇驻村工作队协调了多少资金?", "35万元")],
)
def test_an_amount_of_money_is_answered_with_money(question, expected):
    a, by_id = answer(question, REPORT)
    assert not a.refused and a.answer.startswith(expected)
    cited_exactly(a, by_id)


def test_a_room_question_is_answered_with_the_room():
    a, by_id = answer("石桥镇表彰大会在哪个会议室召开?", REPORT)
    assert not a.refused and "三楼会议室" in a.answer.split("\n")[0]
    cited_exactly(a, by_id)


def test_a_room_question_is_not_answered_with_the_town():
    a, _ = answer("白沙乡防汛调度会是在哪个会议室开的?", TOWN_ONLY)
    assert a.refused
