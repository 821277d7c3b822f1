"""Answers whose pieces are spread over a paragraph: a total whose named parts sit in
consecutive sentences. Small fabricated documents only: no index, no model, no dataset text.
"""

from __future__ import annotations

import pytest
from extractive_helpers import answer as _answer
from extractive_helpers import cited_exactly, supported
from extractive_helpers import doc as _doc

from rag.guard import support
from rag.question import analyse

REPORT = (
    "5月6日,全县林业工作会议召开。\n"
    "会上,局长钱晓东作了讲话。"
    "全面推进护林站规范化,落实“三个到位”要求,整改提升薄弱护林站4个,解决各类问题60余个。"
    "新建标准化苗圃12个,打造林下经济示范点5个,评定优秀护林员30名。\n"
    "会议还表彰了先进集体15个。"
)


def _grounded(answer, by_id) -> None:
    cited_exactly(answer, by_id)
    supported(answer)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("整改提升的薄弱护林站、新建的标准化苗圃、打造的林下经济示范点,三样合起来一共多少个?", "共21个（4+12+5）"),
        ("整改提升的薄弱护林站和新建的标准化苗圃加起来一共多少个?", "共16个（4+12）"),
        # Parts in one sentence still need no joining.
        ("新建的标准化苗圃和打造的林下经济示范点加起来一共多少个?", "共17个（12+5）"),
    ],
)
def test_total_over_parts_in_consecutive_sentences(question, expected):
    answer, by_id = _answer(question, _doc(REPORT))
    assert not answer.refused
    assert answer.answer.startswith(expected)
    _grounded(answer, by_id)


def test_total_does_not_join_across_paragraphs():
    # 先进集体 is in the next paragraph: no sum is given from it.
    answer, _ = _answer("新建的标准化苗圃和表彰的先进集体加起来一共多少个?", _doc(REPORT))
    assert answer.refused or "15" not in answer.answer.split("\n")[0]


# --- a stated figure minus the people the text names ----------------------------------------------

MEETING = (
    "6月3日,全县护林员座谈会召开。\n"
    "会上,青石乡护林员王立、白岭镇护林员赵明远、东河村护林员孙浩等9名护林员作了发言,提出建议。\n"
    "县林业局局长钱晓东主持会议。"
)


@pytest.mark.parametrize(
    "question, unnamed",
    [
        ("座谈会一共9名护林员发言,点了名的之外,还有几位没写名字?", ("9", "名")),
        ("9名护林员发言,其余几人未点名?", ("9", "名")),
        ("座谈会有几位护林员发言?", None),
        ("还有几位没写名字?", None),  # no stated figure to subtract from
    ],
)
def test_unnamed_people_are_read_from_the_question(question, unnamed):
    assert analyse(question).extra.get("unnamed") == unnamed


def test_unnamed_people_are_the_figure_minus_the_names():
    answer, by_id = _answer("座谈会一共9名护林员发言,点了名的之外,还有几位没写名字?", _doc(MEETING))
    assert not answer.refused
    assert answer.answer.startswith("还有6位（9-3），点了名的3位（")
    assert all(n in answer.answer.split("\n")[0] for n in ("王立", "赵明远", "孙浩"))
    _grounded(answer, by_id)


def test_unnamed_people_need_the_stated_figure_in_the_text():
    answer, _ = _answer("座谈会一共12名护林员发言,点了名的之外,还有几位没写名字?", _doc(MEETING))
    assert answer.refused or "（12-" not in answer.answer


@pytest.mark.parametrize(
    "claim, ok",
    [
        ("还有6位（9-3），点了名的3位（王立、赵明远、孙浩）", True),
        ("还有5位（9-4），点了名的4位（王立、赵明远、孙浩、钱晓东）", False),  # a name not in the text
        ("还有7位（9-2）", False),  # 2 is neither written nor counted
    ],
)
def test_guard_accepts_a_difference_with_a_counted_figure(claim, ok):
    evidence = "王立、赵明远、孙浩等9名护林员作了发言。"
    assert support(claim, evidence)[0] is ok


# --- items opening parallel clauses ---------------------------------------------------------------

SPEECH = (
    "7月2日,全县林业工作会议召开。\n"
    "局长钱晓东在讲话中强调,要以护林为统揽,守住绿线、坚决落实林长责任,做强链线、大力发展林下经济,"
    "拓宽财线、持续推进碳汇交易,强化队伍建设、不断完善激励机制,推动林业高质量发展。\n"
    "钱晓东要求,要做好防火工作。"
)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("钱晓东讲话里有“守住……、做强……”这一串,说的是哪几条“线”?", "守住绿线、做强链线、拓宽财线"),
        ("钱晓东讲话提了哪三条“线”?", "守住绿线、做强链线、拓宽财线"),
    ],
)
def test_items_opening_parallel_clauses(question, expected):
    answer, by_id = _answer(question, _doc(SPEECH))
    assert not answer.refused
    assert answer.answer.startswith(expected)
    _grounded(answer, by_id)


def test_parallel_clause_items_must_fit_the_count():
    answer, _ = _answer("钱晓东讲话提了哪四条“线”?", _doc(SPEECH))
    assert answer.refused or "守住绿线、做强链线、拓宽财线[" not in answer.answer


# --- items the question cues by their opening words -----------------------------------------------

OUTLINE = (
    "交流发言:护林强基助推林业振兴\n"
    "一、抓班子建设,筑牢林业振兴“压舱石”。全县组建巡护队30支。\n"
    "二、抓队伍培养,锻造林业振兴“先锋队”。开展全员培训。\n"
    "三、抓产业发展,培育林业振兴“新引擎”。发展林下经济。"
)


@pytest.mark.parametrize(
    "question, cues",
    [
        ("每个小标题(筑牢、锻造、培育)分别是什么?", ("筑牢", "锻造", "培育")),
        ("讲话里有“守住……、做强……”这一串,说的是哪几条?", ("守住", "做强")),
        ("会议是(上午、下午)开的吗?", ()),  # two words in parentheses are options, not cues
        ("“要在模式上多探索”下面讲了什么?", ()),
    ],
)
def test_cues_are_read_from_the_question(question, cues):
    assert analyse(question).extra.get("cues", ()) == cues


@pytest.mark.parametrize(
    "question, expected",
    [
        ("交流发言的小标题(筑牢、锻造、培育)分别是什么?", "筑牢林业振兴“压舱石”、锻造林业振兴“先锋队”、培育林业振兴“新引擎”"),
        ("钱晓东讲话里有“守住……、做强……、拓宽……”这一串,分别是什么?", "守住绿线、做强链线、拓宽财线"),
    ],
)
def test_items_opened_by_cues(question, expected):
    doc = _doc(OUTLINE if "小标题" in question else SPEECH)
    answer, by_id = _answer(question, doc)
    assert not answer.refused
    assert answer.answer.startswith(expected)
    _grounded(answer, by_id)


def test_a_cue_with_no_item_is_no_answer():
    answer, _ = _answer("交流发言的小标题(筑牢、锻造、激活)分别是什么?", _doc(OUTLINE))
    assert answer.refused or "先锋队" not in answer.answer


# --- the name of a thing ("…的工程叫什么名字") -------------------------------------------------------

PLAN = (
    "8月1日,全县护林工作推进会召开。\n"
    "(三)实施护林先锋培育工程。林业要发展,关键在人。要发挥好护林员特别是“领头人”的作用。\n"
    "全县启动“绿岭护林行动”,组建巡护队30支。"
)


@pytest.mark.parametrize(
    "question, kind, noun",
    [
        ("抓护林员“领头人”的工程叫什么名字?", "term", "工程"),
        ("巡护的行动叫什么?", "term", "行动"),
        ("主持会议的局长叫什么名字?", "person", None),
    ],
)
def test_the_name_of_a_thing_is_no_person(question, kind, noun):
    intent = analyse(question)
    assert intent.kind == kind
    assert intent.extra.get("noun") == noun


@pytest.mark.parametrize(
    "question, expected",
    [
        ("抓护林员“领头人”的工程叫什么名字?", "护林先锋培育工程"),  # the name is in the paragraph's heading
        ("组建巡护队的护林行动叫什么名字?", "绿岭护林行动"),  # a quoted name
    ],
)
def test_the_name_of_a_thing_is_the_term_ending_with_its_noun(question, expected):
    answer, by_id = _answer(question, _doc(PLAN))
    assert not answer.refused
    assert answer.answer.startswith(expected + "[")
    _grounded(answer, by_id)


def test_a_sentence_naming_no_such_thing_is_no_answer():
    answer, _ = _answer("抓护林员“领头人”的项目叫什么名字?", _doc(PLAN))
    assert answer.refused


# --- the people quoted, with the role asked -------------------------------------------------------

QUOTES = (
    "9月5日,全市护林工作推进会召开。\n"
    "驻青石县白岭镇东河村第一书记王立表示,“要把巡护责任落到实处”。\n"
    "县林业局局长钱晓东说,“推进会部署很实在”。\n"
    "驻白岭县青石乡西河村第一书记孙浩认为,“林下经济大有可为”。"
)


@pytest.mark.parametrize(
    "question, role",
    [
        ("推进会报道里点名谈体会的驻村第一书记是哪几位?", ("驻村", "第一书记")),
        ("推进会报道里点名谈体会的局长是哪几位?", ("", "局长")),
        ("推进会上谁讲了话?", None),
    ],
)
def test_the_role_of_the_quoted_people_asked(question, role):
    assert analyse(question).extra.get("speaker_role") == role


def test_quoted_people_of_the_role_asked_are_listed():
    answer, by_id = _answer("推进会报道里点名谈体会的驻村第一书记是哪几位?", _doc(QUOTES))
    assert not answer.refused
    first = answer.answer.split("\n")[0]
    assert "王立" in first and "孙浩" in first and "钱晓东" not in first
    _grounded(answer, by_id)


# --- the points of a section ----------------------------------------------------------------------

SECTIONS = (
    "交流发言:护林强基\n"
    "一、抓队伍建设,锻造护林“先锋队”。开展全员培训。\n"
    "二、强化巡护管理,守住生态“绿屏障”。巡护管理是护林的关键。"
    "一是健全巡护制度,明确巡护责任。二是加强技术支撑,推广无人机巡护。三是严格考核问责,定期通报。\n"
    "(一)壮大林下经济。一要在思路上多拓展。开展调研。二要在机制上多创新。"
    "要推行“林长领办”,每年领办项目。各乡镇也要谋划项目。要推广“站所领办”,摸排试点。要推动企业参与。"
    "三要在政策上多扶持。出台配套政策。"
)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("交流发言讲巡护管理的那部分,一是二是三是分别讲了哪几条?", "一是健全巡护制度；二是加强技术支撑；三是严格考核问责"),
        ("交流发言讲巡护管理的那部分讲了哪三条?", "一是健全巡护制度；二是加强技术支撑；三是严格考核问责"),
        ("“要在机制上多创新”下面具体提了哪几种做法?", "要推行“林长领办”；要推广“站所领办”；要推动企业参与"),
    ],
)
def test_points_of_a_section(question, expected):
    answer, by_id = _answer(question, _doc(SECTIONS))
    assert not answer.refused
    assert answer.answer.startswith(expected + "[")
    _grounded(answer, by_id)


def test_points_of_a_section_must_fit_the_count():
    answer, _ = _answer("交流发言讲巡护管理的那部分讲了哪四条?", _doc(SECTIONS))
    assert answer.refused or "三是严格考核问责[" not in answer.answer
