"""A fact line under lines that name the meeting, points announced at a paragraph's end,
and the speaker asked with 作的 before the act. Classes the development corpus's train and
dev splits showed (a notice's "上午9:00，会期半天" refused because the title lines hold
the question's words; minutes' vote line; "重点抓好以下五项工作。" followed by 一是…
paragraphs). Made-up documents, no index."""

from __future__ import annotations

import pytest
from extractive_helpers import answer, cited_exactly, doc

from rag.answer_frame import Slot, read_slot
from rag.question import analyse

NOTICE = doc(
    "关于召开全街道村（社区）两委换届选举工作部署会议的通知\n"
    "各社区党组织：\n"
    "经街道党工委研究，决定召开全街道村（社区）两委换届选举工作部署会议。现将有关事项通知如下：\n"
    "一、会议时间\n"
    "2025年1月9日（星期四）上午9:00，会期半天。\n"
    "二、会议地点\n"
    "街道办事处三楼会议室。\n",
    "notice",
)

MINUTES = doc(
    "东坡村村民代表会议记录\n"
    "时间：2018年1月2日\n"
    "向德明：大家的意见都记下来了。下面先对分红方案进行举手表决。\n"
    "\n"
    "（表决情况：应到代表 37人，实到 34人。同意 32人，不同意 0人，弃权 2人。分红方案获得通过。）\n",
    "minutes",
)


@pytest.mark.parametrize(
    ("question", "document", "expected"),
    [
        ("槐树街道换届选举部署会上午几点开始？", NOTICE, "上午9:00"),
        ("分红方案表决同意的有几个人", MINUTES, "32人"),
    ],
)
def test_a_fact_line_answers_though_the_title_lines_hold_more_words(question, document, expected) -> None:
    a, by_id = answer(question, document)
    assert a.answer.startswith(expected), a.answer
    cited_exactly(a, by_id)


def test_a_fact_line_must_hold_the_question_s_own_words() -> None:
    # 下午 is written nowhere: the morning's time is no answer to the afternoon asked.
    a, _ = answer("槐树街道换届选举部署会下午分组讨论几点开始？", NOTICE)
    assert a.refused, a.answer


SPEECH = doc(
    "在全镇以案促改警示教育大会上的讲话\n"
    "同志们：\n"
    "以案促改，关键在“改”。会后，全镇要集中开展为期三个月的以案促改专项行动，重点抓好以下三项工作。\n"
    "\n"
    "一是开展一次全面自查。各村要对照今天通报的案例逐项自查。\n"
    "\n"
    "二是开展一次专项清理。由镇纪委牵头，对近三年的合同进行全面清理。\n"
    "\n"
    "三是完善一批制度机制。镇党政办要会同有关站所修订完善制度。\n"
    "\n"
    "同志们，警钟长鸣，常抓不懈。\n",
    "speech",
)


@pytest.mark.parametrize("question", ["以案促改专项行动要抓哪三项工作", "专项行动要重点抓好哪3项工作"])
def test_points_announced_at_a_paragraph_s_end_are_the_answer(question: str) -> None:
    a, by_id = answer(question, SPEECH)
    assert a.strategy == "list:points", (a.strategy, a.answer)
    assert a.answer.startswith("一是开展一次全面自查；二是开展一次专项清理；三是完善一批制度机制"), a.answer
    cited_exactly(a, by_id)


@pytest.mark.parametrize(
    ("question", "act"),
    [
        ("区里哪位领导作的点评讲话?", "点评"),
        ("哪位领导作了讲话", "讲话"),
        ("是哪位县领导讲的话", "讲话"),
    ],
)
def test_the_speaker_asked_with_an_act_after_zuo(question: str, act: str) -> None:
    sq = read_slot(question, analyse(question))
    assert sq is not None and sq.slot is Slot.SPEAKER and sq.act == act, sq


@pytest.mark.parametrize("question", ["以案促改专项行动要抓哪四项工作", "专项行动要重点抓好哪几项工作"])
def test_announced_points_need_the_count_the_question_asks(question: str) -> None:
    # A speech announces several sections; only the question's own count tells this one
    # is meant (哪几项 gives none, 哪四项 another).
    a, _ = answer(question, SPEECH)
    assert a.strategy != "list:points", a.answer


@pytest.mark.parametrize(
    ("question", "left_out"),
    [
        ("槐树街道换届部署会要是来不了，得找谁请假？", ("要是", "不了")),
        ("白沙乡培训班通知里提到的乡长叫什么名字?", ("提到",)),
    ],
)
def test_how_a_question_is_put_is_not_what_the_sentence_must_say(question: str, left_out: tuple[str, ...]) -> None:
    keywords = analyse(question).keywords
    assert not set(left_out) & set(keywords), keywords


@pytest.mark.parametrize(
    ("text", "age"),
    [("监测员老周今年六十八了，眼睛不太好。", "六十八"), ("老张今年52岁，身体还好。", "52岁"), ("这位老党员年过七十，仍在巡山。", "七十")],
)
def test_an_age_is_read_as_people_say_it(text: str, age: str) -> None:
    from rag.spans import find_typed

    found = find_typed(analyse("那个监测员多大岁数了"), text)
    assert found is not None and found.text == age


def test_a_year_is_no_age() -> None:
    from rag.spans import find_typed

    assert find_typed(analyse("那个监测员多大岁数了"), "今年2024年，监测员换了人。") is None
