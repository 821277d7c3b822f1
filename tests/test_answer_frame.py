"""Slot questions answered from the meeting frame: wording classes, the meeting named
anywhere in the document, side events kept apart. Made-up documents, no index."""

from __future__ import annotations

import pytest
from extractive_helpers import cited_exactly, doc

from rag.answer_frame import Slot, answer_from_frame, read_slot
from rag.meeting.frame import extract
from rag.question import analyse
from rag.types import Passage


@pytest.mark.parametrize(
    ("question", "slot"),
    [("青禾县述职评议会谁主持的?", Slot.CHAIR), ("述职评议会的主持人是谁?", Slot.CHAIR),
     ("那个评议会由哪位领导主持?", Slot.CHAIR), ("凤埔乡的现场会是哪天开的?", Slot.DATE),
     ("防汛调度会什么时候召开?", Slot.DATE), ("培训班啥时候开班的", Slot.DATE),
     ("南皮县推进会在哪里召开?", Slot.VENUE), ("表彰大会的会场在哪", Slot.VENUE),
     ("动员大会在哪开的?", Slot.VENUE), ("座谈会有多少人参加?", Slot.ATTENDANCE),
     ("调度会到会多少人", Slot.ATTENDANCE), ("常务会议参会人数是多少", Slot.ATTENDANCE)],
)
def test_read_slot_knows_the_wordings_of_a_slot(question, slot):
    read = read_slot(question, analyse(question))
    assert read is not None and read.slot is slot


@pytest.mark.parametrize(
    "question",
    ["下一次座谈会什么时候开?", "哪些人参加了座谈会?", "两个会一共多少人参加?",
     "要求在什么时候之前完成整改?", "座谈会上谁讲了“三个在先”?"],
)
def test_read_slot_leaves_other_questions_alone(question):
    assert read_slot(question, analyse(question)) is None


def test_read_slot_names_the_meeting_without_the_asking_phrase():
    read = read_slot("凤埔乡的现场会是哪天开的?", analyse("凤埔乡的现场会是哪天开的?"))
    assert read is not None and "凤埔乡" in read.words and not any("天开" in w for w in read.words)


NANPI = doc(
    "南皮县召开抓党建促乡村振兴推进会\n"
    "5月12日上午,全县抓党建促乡村振兴工作推进会在县委六楼召开。县委书记王建国主持会议并讲话。"
    "各乡镇党委书记、县直有关单位主要负责人共计160余人参加会议。\n"
    "会后,县委组织部在县委党校召开了村党组织书记座谈会。",
    "nanpi",
)
OTHER = doc("石桥镇召开防汛调度会\n6月2日,石桥镇召开防汛调度会。镇长李明主持会议。", "other")


def _ask(question: str, *docs):
    by_id = {d.doc_id: d for d in docs}
    passages = [Passage(d.doc_id, d.title, 0, len(d.text), d.text, 1.0, r) for r, d in enumerate(docs, 1)]
    return answer_from_frame(question, analyse(question), passages, by_id.__getitem__, extract,
                             lambda _w: 1.0), by_id


@pytest.mark.parametrize(
    ("question", "expected", "strategy"),
    [("南皮县那个推进会在哪里召开?", "县委六楼", "frame:venue"),
     ("南皮县推进会是哪天开的?", "5月12日", "frame:date"),
     ("南皮县的推进会由谁主持?", "王建国", "frame:chair"),
     ("南皮县推进会有多少人参加?", "160余人", "frame:attendance")],
)
def test_slot_is_answered_from_the_document_that_names_the_meeting(question, expected, strategy):
    answer, by_id = _ask(question, OTHER, NANPI)  # the right document is not ranked first
    assert answer is not None and expected in answer.answer.split("[1]")[0] and answer.strategy == strategy
    cited_exactly(answer, by_id)


def test_a_side_meeting_is_not_the_frame_meeting():
    answer, _ = _ask("南皮县的座谈会在哪开的?", NANPI)
    assert answer is None  # the frame's meeting is the 推进会; the sentence engine decides


def test_a_meeting_no_document_names_gets_no_frame_answer():
    answer, _ = _ask("白沙乡招商推进会由谁主持?", NANPI, OTHER)
    assert answer is None


def test_one_meetings_total_attendance_is_a_slot_question():
    from rag.answer_frame import Slot, read_slot
    from rag.question import analyse

    for q in ("石桥镇述职评议会一共来了多少人?", "擂台比武参会的一共多少人?"):
        sq = read_slot(q, analyse(q))
        assert sq is not None and sq.slot is Slot.ATTENDANCE, q


def test_a_masked_meeting_date_is_left_to_the_sentences():
    masked = doc("槐树街道召开换届部署会\n2025年1月**日上午,槐树街道召开换届选举工作部署会。", "masked")
    answer, _ = _ask("槐树街道换届部署会是哪天开的?", masked)
    assert answer is None  # the frame knows the date is masked; the sentence engine says so


SPEECH_HEAD = doc(
    "在全镇安全生产隐患排查调度会上的讲话\n镇党委书记  孟庆江\n（3月12日）\n同志们：\n今天召开全镇安全生产隐患排查调度会。\n",
    "speech_head",
)
MASKED_SPEAKER = doc(
    "青石乡召开安全生产调度会\n5月8日，青石乡召开安全生产调度会。乡党委副书记、乡长 XXX 讲话，乡党委书记韦振东主持会议。\n",
    "masked_speaker",
)


def test_the_speaker_is_asked_by_the_post_and_name():
    sq = read_slot("调度会上讲话的镇党委书记叫什么?", analyse("调度会上讲话的镇党委书记叫什么?"))
    assert sq is not None and sq.slot is Slot.SPEAKER and sq.post == "镇党委书记"
    answer, _ = _ask("安全生产隐患排查调度会上讲话的镇党委书记叫啥?", SPEECH_HEAD)
    assert answer is not None and "孟庆江" in answer.answer


def test_a_speaker_of_another_post_or_a_masked_name_is_no_frame_answer():
    answer, _ = _ask("安全生产隐患排查调度会上讲话的县长叫什么?", SPEECH_HEAD)
    assert answer is None or "孟庆江" not in answer.answer
    answer, _ = _ask("青石乡安全生产调度会上讲话的乡长叫什么?", MASKED_SPEAKER)
    assert answer is None or "XXX" not in answer.answer.split("\n")[0]


@pytest.mark.parametrize(("line", "shown"), [("参会人员共计约七十人。", "约70人"), ("近两百名干部参加会议。", "近200人"),
                                             ("共计160余人参加会议。", "160余人")])
def test_an_approximate_attendance_is_shown_as_written(line, shown):
    # 约 and 近 are not 余: "about 70" is no "more than 70".
    text = doc(f"永陵镇召开森林防火调度会\n3月26日,永陵镇召开森林防火调度会。{line}\n", "approx")
    answer, by_id = _ask("永陵镇森林防火调度会有多少人参加?", text)
    assert answer is not None and answer.answer.startswith(shown), answer.answer
    cited_exactly(answer, by_id)


def test_a_figure_about_the_chair_is_no_chair_slot():
    assert read_slot("南皮县推进会上主持会议的王建国今年多大岁数?", analyse("南皮县推进会上主持会议的王建国今年多大岁数?")) is None


CONTEST = doc(
    "海湾街道举行村（社区）党组织书记擂台比武\n"
    "列席:区委组织部,区委宣传部,区农业农村局等部门联络员;街道党政办,党建办,综治中心等内设机构负责人;"
    "12个村(社区)党组织书记,部分党员群众代表和\"两代表一委员\"评委,共计90余人.\n"
    "本次擂台比武围绕四项内容展开,参赛的12名村(社区)党组织书记依次上台,每人用8分钟亮晒年度工作实绩.\n"
    "评委由街道班子成员,区直部门代表,\"两代表一委员\"和老党员代表共15人组成,采用现场打分.\n",
    "contest",
)


def test_the_attendance_is_the_total_not_a_jury_or_an_item_of_its_list():
    # Three counted groups: the roster's total (90余人), an item inside it (12个村书记) and
    # a jury made up for the meeting (共15人组成). Only the total is the attendance.
    answer, by_id = _ask("擂台比武参会的一共多少人", CONTEST)
    assert answer is not None and answer.strategy == "frame:attendance"
    assert answer.answer.startswith("90余人"), answer.answer
    cited_exactly(answer, by_id)
    # The roster spans ;-separated sentences: the quote shown reaches its total.
    assert "共计90余人" in answer.answer.split("原文：", 1)[1]
