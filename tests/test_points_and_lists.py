"""Lists asked for by count (哪几个乡镇, 哪三点要求): the question reader and the readers of
numbered points and 、-lists, on made-up text written for these tests."""

from __future__ import annotations

import pytest
from extractive_helpers import answer, cited_exactly, doc

from rag.candidates import propose
from rag.question import analyse
from rag.types import Passage


def _candidates(question: str, d):  # type: ignore[no-untyped-def]
    """The scorer's candidates for ``question`` with ``d`` as one whole passage, words weighted alike."""
    passages = [Passage(d.doc_id, d.title, 0, len(d.text), d.text, 1.0, 1)]
    return propose(analyse(question), question, passages, {d.doc_id: d}.__getitem__, lambda _w: 1.0, lambda _w: 1.0)


@pytest.mark.parametrize(("question", "kind"), [
    ("防灭火调度会上有哪几个乡镇作了表态发言?", "list"),
    ("培训班上哪两个村的书记作了交流发言?", "list"),
    ("王部长提了哪三点要求?", "list"),
    ("会上通报了几个乡镇?", "number"),
    ("“两支队伍”是指哪两支队伍?", "general"),  # a quoted term's members, read where it is explained
])
def test_a_count_of_things_asked_with_哪_is_a_list(question, kind):
    assert analyse(question).kind == kind


SPEECH = doc(
    "在全镇防汛工作会议上的讲话\n"
    "同志们，今年汛期形势严峻。就下一步工作，我讲两点意见。\n"
    "王部长对参训学员提出三点要求：一要端正学习态度，珍惜机会；二要注重学以致用，带着问题来；"
    "三要强化责任担当，8月底前报送思路。\n"
    "会议还部署了秋冬季防火工作。",
    "speech",
)


def test_points_inside_the_opening_sentence_after_its_colon():
    a, by_id = answer("王部长对学员提了哪三点要求?", SPEECH)
    assert a.answer.startswith("一要端正学习态度；二要注重学以致用；三要强化责任担当")
    cited_exactly(a, by_id)


DOTTED = doc(
    "全县防汛工作调度会召开\n"
    "就下一步工作,龙书记提出三点要求:一是压实责任链条.各乡镇书记是第一责任人.二是盯紧重点部位.对水库逐一巡查."
    "三是强化应急保障.前置救援力量.",
    "dotted",
)


def test_points_end_at_an_ascii_full_stop():
    a, by_id = answer("龙书记就下一步工作提了哪三点要求?", DOTTED)
    assert a.answer.startswith("一是压实责任链条；二是盯紧重点部位；三是强化应急保障")
    cited_exactly(a, by_id)


def test_sites_counted_with_个_are_not_points_of_a_speech():
    text = ("全县产业现场推进会召开\n会议要求做到三点：一是早谋划；二是早部署；三是早落实。"
            "与会人员实地观摩了东村脐橙示范园、西村育苗基地和南村分拣中心。")
    a, _ = answer("与会人员实地观摩了哪几个点?", doc(text, "sites"))
    assert "早谋划" not in a.answer


def test_each_list_of_a_sentence_is_a_candidate_for_a_list_question():
    d = doc("全县森林防灭火调度会召开\n会上,杨柳镇、龙潭乡、石门镇作了表态发言,县林业局作了情况说明。", "listed")
    q = "调度会上哪几个乡镇作了表态发言?"
    cands = _candidates(q, d)
    listed = [c.found.text for c in cands if c.strategy == "enum"]
    assert "杨柳镇、龙潭乡、石门镇" in listed


def test_a_deadline_is_never_answered_by_the_meeting_date():
    d = doc("柳湾镇述职评议会召开\n1月16日下午，柳湾镇召开述职评议会。会议要求，各村书记要尽快制定整改方案，"
            "整改情况报镇党委。", "deadline")
    a, _ = answer("各村书记要在什么时候前制定整改方案?", d)
    assert "1月16日" not in a.answer.split("\n")[0]


def test_part_of_a_month_is_a_date_candidate_for_a_deadline():
    d = doc("培训班开班\n学员结合本村实际形成发展思路，8月底前报所在乡镇党委审核。", "period")
    q = "学员的发展思路什么时候前报乡镇党委审核?"
    cands = _candidates(q, d)
    assert "8月底" in [c.found.text for c in cands]


@pytest.mark.parametrize(("text", "name", "posts"), [
    ("县委副书记周宏亮出席会议并讲话，县委常委、组织部部长范丽娟主持会议", "范丽娟", "县委常委、组织部部长"),
    ("县委组织部副部长、县委两新工委书记谭海燕出席", "谭海燕", "县委组织部副部长、县委两新工委书记"),
    ("区委组织部副部长,区委两新工委书记苏文斌", "苏文斌", "区委组织部副部长、区委两新工委书记"),
    ("镇党委副书记林晓燕说", "林晓燕", "镇党委副书记"),
    ("会上，镇长王立新要求", "王立新", "镇长"),
])
def test_every_post_before_a_name_whole(text, name, posts):
    from rag.question import posts_before

    assert posts_before(text, text.index(name)) == posts


@pytest.mark.parametrize(("question", "kind"), [
    ("范丽娟是啥职务", "role"),
    ("邢志斌是干什么的？", "role"),
    ("这个活动具体是干什么的?", "general"),
])
def test_colloquial_role_questions(question, kind):
    assert analyse(question).kind == kind


NOTICE = doc(
    "关于召开全镇森林防火调度会的通知\n"
    "各村、镇直各单位：经研究，定于3月26日召开全镇森林防火调度会。\n"
    "一、会议议程：（一）镇林业站通报防火形势；（二）红石村、大堡村、双岭村作表态发言；（三）镇长讲话。\n"
    "二、有关要求：（一）请各村于3月25日前报送参会名单；（二）参会人员须本人参加；（三）会议期间手机静音。",
    "notice",
)


def test_numbered_points_never_answer_a_list_of_places():
    got, by_id = answer("森林防火调度会上哪几个村作了表态发言?", NOTICE)
    assert "报送参会名单" not in got.answer and "手机静音" not in got.answer
    if not got.refused:  # the sentence engine may leave it to the scorer; never the wrong points
        assert "红石村" in got.answer
        cited_exactly(got, by_id)
