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


@pytest.mark.parametrize(
    "question, text, post",
    [
        ("叶崧是什么职务", "县委副书记叶崧出席会议", "县委副书记"),
        ("邱立群是什么职务？", "副县长、县森林防火指挥部总指挥邱立群主持会议", "副县长、县森林防火指挥部总指挥"),
        ("陈光耀是什么职务?", "主持人：陈光耀（镇党委书记）", "镇党委书记"),
        ("郭振林是啥职务", "主持：郭振林村党支部书记、村委会主任", "村党支部书记、村委会主任"),
        ("许书记是什么职务?", "许书记（乡党委书记）：今天这个会主要调度防汛工作。", "乡党委书记"),
        ("李军是什么职务", "会上，李军带领党员重温入党誓词。", None),  # no post is written
    ],
)
def test_a_named_persons_post_before_or_after_the_name(question, text, post):
    from rag.spans import find_typed

    found = find_typed(analyse(question), text)
    assert (found.text if found else None) == post
    if found:
        assert text[found.start : found.end] == found.text


@pytest.mark.parametrize(
    "text, written",
    [
        ("二〇一七年八月二十四日上午，渔港街道召开丰收节筹备会。", "二〇一七年八月二十四日"),
        ("三月二十六日，镇里召开森林防火调度会。", "三月二十六日"),
        ("十月十二日至十三日，全县召开换届部署会。", "十月十二日至十三日"),
        ("2023年5月12日，县里召开推进会。", "2023年5月12日"),
    ],
)
def test_dates_written_in_chinese_numerals_are_dates(text, written):
    from rag.metadata import find_dates
    from rag.question import dates

    assert find_dates(text)[0] == written
    assert dates(text)[0][2].startswith(written)


def test_no_date_in_chinese_numerals_without_month_and_day():
    from rag.metadata import find_dates

    assert find_dates("第十一届会议，一日三餐，十月份以来") == []


@pytest.mark.parametrize(
    "text, names",
    [
        ("镇纪委书记邱海涛组织代表学习了有关规定。", ["邱海涛"]),  # jieba: 邱 | 海涛
        ("县委宣传部副部长祁晓军到会指导", ["祁晓军"]),  # 宣传部 is a body
        ("主持：郭振林村党支部书记、村委会主任", ["郭振林"]),  # a post follows, not a village
        ("在沙坝村召开现场会，县委书记宁可讲话不讲空话。", []),  # a village; an everyday word
        ("会议由镇党委书记冉国庆主持，村主任同意。", ["冉国庆"]),
    ],
)
def test_people_are_names_that_start_with_a_surname(text, names):
    from rag.question import people

    assert [n for _, _, n in people(text)] == names


@pytest.mark.parametrize(
    "text, figure",
    [
        ("出席党员三十一名。", ("31", "名", "三十一名")),
        ("新栽花椒三百亩。", ("300", "亩", "三百亩")),
        ("项目履约率百分之九十一。", ("91", "%", "百分之九十一")),
        ("签约总投资三十七点六亿元。", ("37.6", "亿元", "三十七点六亿元")),
        ("整合扶持资金三百万元。", ("300", "万元", "三百万元")),
    ],
)
def test_figures_written_in_chinese_numerals(text, figure):
    from rag.question import figure_text, numbers

    [(s, e, value, unit)] = numbers(text)
    assert (value, unit, figure_text(text, s, e, value, unit)) == figure


def test_chinese_numerals_that_are_no_figures():
    from rag.question import numbers

    assert numbers("一是抓落实，派一名同志参加第三十项工作，“两委”班子要团结。") == []
    assert numbers("县财政安排防汛专项资金xx万元，奖补**亿元。") == []  # redacted: no figure
