""""由哪个部门牵头", "交给哪个部门": a body answers, named as the sentence writes it (the
subject of the question's act in its clause, or the body a hand-in goes to), never the
clause around it. A class the development corpus's dev split showed. Made-up documents."""

from __future__ import annotations

import pytest
from extractive_helpers import answer, cited_exactly, doc

from rag.question import analyse
from rag.spans import body_asked


@pytest.mark.parametrize(
    ("question", "text", "body"),
    [
        ("养老保险专项行动由哪个部门牵头?", "会议要求，县人力资源和社会保障局牵头，乡村振兴局、民政局配合，6月30日前完成核查。",
         "县人力资源和社会保障局"),
        ("拉网检查由哪个单位牵头", "乡市场监管所牵头，会同应急办、派出所，在4月15日前开展一次拉网式检查。", "乡市场监管所"),
        ("自查报告交给哪个部门?", "各村自查报告于12月5日前交党政办汇总。", "党政办"),
        ("请假后还要报哪个部门备案？", "确因特殊情况不能参加的，须向街道党工委书记请假，并报街道党建办备案。", "街道党建办"),
        ("这项工作由哪个部门牵头?", "会议要求，各村要在月底前完成排查，确保不漏一户。", None),  # no body written
    ],
)
def test_the_body_asked_is_read_where_the_act_is(question: str, text: str, body: str | None) -> None:
    intent = analyse(question)
    assert intent.extra.get("body_asked")
    found = body_asked(intent, text)
    assert (found.text if found else None) == body
    if found:
        assert text[found.start : found.end] == found.text


def test_a_person_s_body_is_not_this_class() -> None:
    assert not analyse("许局长是哪个单位的").extra.get("body_asked")  # org_of: the body a person is from


def test_the_body_answers_end_to_end() -> None:
    minutes = doc(
        "元阳县政府常务会议纪要\n"
        "会议审议了《元阳县城乡居民基本养老保险应保尽保专项行动方案》。\n"
        "会议要求，县人力资源和社会保障局牵头，乡村振兴局、民政局配合，6月30日前完成未参保人员逐户核查。\n",
        "yuanyang",
    )
    a, by_id = answer("应保尽保专项行动由哪个部门牵头?", minutes)
    assert a.answer.startswith("县人力资源和社会保障局[1]"), a.answer
    cited_exactly(a, by_id)
