"""What a redaction mark hides, places of an asked act, numbered instances, numbers written
two ways, and spaces typed between a question's phrases. Classes the development corpus's
train and dev splits showed (a hidden name refusing a question about a place; 第42次 not
finding 第四十二次; 报 报给谁 glued into 报报). Made-up documents, no index."""

from __future__ import annotations

import re

import pytest
from extractive_helpers import answer, cited_exactly, doc

from rag.cleaning import REDACTION, normalise_question
from rag.question import analyse
from rag.spans import find_typed
from rag.zh.masks import DAY, FIGURE, PERSON, PLACE, UNKNOWN, hides_answer, masked_kind
from rag.zh.numerals import ordinals


def _kind(text: str) -> str:
    m = REDACTION.search(text)
    assert m is not None
    return masked_kind(text, m.start(), m.end())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("原县水利局党组书记、局长莫**涉嫌受贿", PERSON),
        ("联系人:钟XX,电话", PERSON),
        ("乡长XXX主持会议", PERSON),
        ("**同志作表态发言", PERSON),
        ("电话:68xxxxx", FIGURE),
        ("总投资xx万元", FIGURE),
        ("共xx人参加", FIGURE),
        ("2025年1月**日（星期四）", DAY),
        ("白沙乡、XX镇、龙湾镇位列前三名", PLACE),
        ("（**）", UNKNOWN),
    ],
)
def test_the_kind_a_mark_hides_is_read_from_its_neighbours(text: str, kind: str) -> None:
    assert _kind(text) == kind


def test_a_mark_hides_only_answers_of_its_kind() -> None:
    text = "会前，与会人员在县人民法院第一审判庭集中旁听了局长莫**涉嫌受贿一案的庭审。"
    m = REDACTION.search(text)
    assert m is not None
    assert hides_answer("person", text, m.start(), m.end())
    assert not hides_answer("place", text, m.start(), m.end())
    assert not hides_answer("number", text, m.start(), m.end())
    assert hides_answer("general", text, m.start(), m.end())  # no kind asked: any mark may hide it


def test_a_hidden_name_does_not_hide_the_place_written_beside_it() -> None:
    report = doc(
        "县委召开以案促改警示教育大会\n"
        "会前，与会人员在县人民法院第一审判庭集中旁听了原县水利局局长莫**涉嫌受贿一案的庭审。\n"
        "县委书记出席会议并讲话。\n",
        "trial",
    )
    a, docs = answer("会前旁听庭审在什么地方", report)
    assert not a.refused
    assert "县人民法院第一审判庭" in a.answer
    cited_exactly(a, docs)


def test_a_hidden_name_still_refuses_who_it_is() -> None:
    report = doc("县委召开警示教育大会\n会上，镇党委书记冯**出席会议并讲话。\n", "hidden")
    a, _ = answer("讲话的镇党委书记叫什么", report)
    assert a.refused
    assert "隐去" in a.answer


def test_a_list_with_one_hidden_item_is_shown_as_written() -> None:
    report = doc("全县观摩评比结果通报\n按照计分办法，白沙乡、XX镇、龙湾镇位列前三名，评为一类等次。\n", "rank")
    a, _ = answer("观摩评比前三名是哪几个乡镇?", report)
    assert not a.refused
    assert "白沙乡" in a.answer and "龙湾镇" in a.answer


@pytest.mark.parametrize(
    ("question", "text", "place"),
    [
        ("会前旁听庭审在什么地方", "与会人员在县人民法院第一审判庭集中旁听了庭审。", "县人民法院第一审判庭"),
        ("学员在哪里现场教学", "下午，学员在下坪村党群服务中心现场教学。", "下坪村党群服务中心"),
    ],
)
def test_the_place_of_the_act_asked(question: str, text: str, place: str) -> None:
    found = find_typed(analyse(question), text)
    assert found is not None and found.text == place
    assert text[found.start : found.end] == place


def test_a_phrase_before_the_act_that_is_no_place_is_not_taken() -> None:
    found = find_typed(analyse("经验在哪里推广"), "要把这些经验在全县范围内推广。")
    assert found is None or "范围" not in found.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第42次政府常务会", {(42, "次")}),
        ("第四十二次区政府常务会议", {(42, "次")}),
        ("培训班第二期", {(2, "期")}),
        ("第一书记座谈会", set()),
    ],
)
def test_numbered_instances(text: str, expected: set[tuple[int, str]]) -> None:
    assert ordinals(text) == expected


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("参会名单什么时候之前报 报给谁", "参会名单什么时候之前报,报给谁"),
        ("会在哪开  谁主持?", "会在哪开,谁主持?"),
        ("座 谈 会由谁主持", "座谈会由谁主持"),  # a word spaced out, as copied from a PDF
        ("乡村 振兴", "乡村振兴"),
        ("2024年 会议", "2024年会议"),
    ],
)
def test_spaces_between_phrases_separate_them(typed: str, read: str) -> None:
    assert normalise_question(typed) == read
    assert not re.search(r"\s", normalise_question(typed))


@pytest.mark.parametrize(
    ("word", "text", "written"),
    [
        ("42", "主持召开第四十二次区政府常务会议", True),
        ("四十二", "第42次常务会议", True),
        ("42", "第四十三次区政府常务会议", False),
        ("3", "三楼会议室", False),  # one digit names no meeting
    ],
)
def test_a_meeting_named_by_its_number_is_found_written_either_way(word: str, text: str, written: bool) -> None:
    from rag.answer_frame import _number_written

    assert _number_written(word, text) is written


NOTICE = doc(
    "关于召开全县农村人居环境整治推进会的通知\n"
    "一、会议时间\n5月22日上午9:00。\n"
    "二、会议地点\n竹溪乡人民政府四楼会议室。\n"
    "三、会议内容\n"
    "(一)现场观摩竹溪乡户厕改造工作;\n"
    "(二)竹溪乡、石门镇作交流发言;\n"
    "(三)县农业农村局通报一季度考评排名;\n"
    "(四)县委副书记谢建明同志讲话.\n"
    "四、参会人员\n"
    "(一)县委副书记;\n(二)各乡镇党委书记.\n"
    "五、其他事项\n请各单位按时参会，本次会议原则上不得请假。确因特殊情况不能参会的，须向县委办请假。\n",
    "agenda",
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("推进会议程里最后讲话的是哪位县领导?", "县委副书记谢建明"),
        ("会议内容的第三项是什么?", "县农业农村局通报一季度考评排名"),
        ("会议议程最后一项是什么?", "县委副书记谢建明同志讲话"),
    ],
)
def test_an_agenda_item_asked_by_its_place(question: str, expected: str) -> None:
    a, docs = answer(question, NOTICE)
    assert not a.refused
    assert a.answer.split("[")[0] == expected
    assert a.strategy == "list:position"
    cited_exactly(a, docs)


def test_a_place_beyond_the_agenda_is_not_answered_from_it() -> None:
    a, _ = answer("会议内容的第六项是什么?", NOTICE)
    assert a.strategy != "list:position"


@pytest.mark.parametrize("question", ["最后提了什么要求", "第一书记是谁", "第二期培训班哪天开班"])
def test_no_place_in_an_agenda_is_read_where_none_is_asked(question: str) -> None:
    assert "position" not in analyse(question).extra


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("联系人:钟丽,电话:0797-6822345,请将回执(附件1)报送县人居办。", "0797-6822345"),
        ("联系人:王强,手机13907970001,回执见附件2。", "13907970001"),
        ("请于5月21日前报送回执(附件1),联系人:钟XX,电话:68xxxxx。", None),  # hidden: no figure answers
    ],
)
def test_a_telephone_number_asked_is_answered_by_one(text: str, phone: str | None) -> None:
    found = find_typed(analyse("通知里的联系人电话是多少?"), text)
    assert (found.text if found else None) == phone
