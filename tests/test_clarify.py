"""A follow-up asked as the first question is met with a question, not a guess."""

from __future__ import annotations

import pytest

from rag.question import unresolved_reference


@pytest.mark.parametrize(
    ("question", "pronoun"),
    [("他还强调了什么?", "他"), ("她是什么职务?", "她"), ("那她提了哪些要求?", "她"),
     ("那次会在哪开的?", "那次会"), ("该会议由谁主持?", "该会议")],
)
def test_a_pronoun_with_nobody_named_is_unresolved(question, pronoun):
    assert unresolved_reference(question) == pronoun


@pytest.mark.parametrize(
    "question",
    ["刘玉杰还强调了什么?", "凤埔乡现场会在哪开的?", "他们村有多少党员?", "座谈会由谁主持?",
     "其中有几个村?"],
)
def test_a_question_that_names_its_subject_is_resolved(question):
    assert unresolved_reference(question) is None


def test_pipeline_asks_who_is_meant_without_searching(tmp_path):
    from rag.pipeline import Pipeline
    from rag.settings import load_settings

    answer = Pipeline(load_settings(environ={}, home=tmp_path)).ask("他还强调了什么?")
    assert answer.refused and answer.strategy == "clarify" and "“他”指的是哪位" in answer.answer
    assert not answer.citations
