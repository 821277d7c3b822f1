"""Who did a job a form's field names: "谁做的记录" from "记录人：X". Made-up documents."""

from __future__ import annotations

import pytest
from extractive_helpers import answer, cited_exactly, doc

from rag.answer_fields import _person_in

MINUTES = doc(
    "青山镇防汛工作调度会议纪要\n"
    "时间：2024年6月3日上午\n"
    "地点：镇政府二楼会议室\n"
    "主持：镇长周海波\n"
    "记录：镇党政办柳青青\n\n"
    "6月3日上午，青山镇召开防汛工作调度会，部署主汛期防汛工作。\n",
    "minutes",
)
OTHER = doc(
    "白石乡村民代表会议记录\n记录人：韦春燕（村文书）\n会议讨论了村集体经济收益分配方案。\n",
    "other",
)


@pytest.mark.parametrize(
    "question", ["青山镇防汛调度会是谁做的记录?", "青山镇防汛调度会的记录人是谁?", "青山镇调度会谁负责做会议记录?"]
)
def test_the_person_in_the_field_asked_answers(question):
    a, by_id = answer(question, OTHER, MINUTES)  # the field of the meeting named, not the first one
    assert not a.refused and a.answer.startswith("柳青青") and a.strategy == "field"
    cited_exactly(a, by_id)


@pytest.mark.parametrize(
    ("value", "name"),
    [("镇党政办柳青青", "柳青青"), ("韦春燕（村文书）", "韦春燕"), ("镇应急办 吴小燕", "吴小燕"), ("党政办", None)],
)
def test_the_name_a_field_writes(value, name):
    at = _person_in(value)
    assert (value[at[0] : at[1]] if at else None) == name


def test_a_field_without_a_person_gives_no_answer():
    text = doc("某镇会议纪要\n记录：党政办\n会议由镇长主持。\n", "noname")
    a, _ = answer("会议是谁做的记录?", text)
    assert a.strategy != "field"
