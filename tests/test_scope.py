"""The document a question names is found among the retrieved ones; two meetings, none."""

from __future__ import annotations

from extractive_helpers import doc

from rag.question import analyse
from rag.scope import named_document
from rag.types import Passage

A = doc("石桥镇召开防汛调度会\n6月2日,石桥镇召开防汛调度会。镇长李明主持会议,部署主汛期工作。", "a")
B = doc("白沙乡召开述职评议会\n1月9日,白沙乡召开村党组织书记述职评议会。乡党委书记王芳主持。", "b")


def _named(question: str, *docs):
    by_id = {d.doc_id: d for d in docs}
    passages = [Passage(d.doc_id, d.title, 0, len(d.text), d.text, 1.0, r) for r, d in enumerate(docs, 1)]
    return named_document(question, analyse(question), passages, by_id.__getitem__, lambda _w: 1.0)


def test_the_document_that_writes_the_question_words_is_named():
    assert _named("白沙乡述职评议会由谁主持?", A, B) == B.doc_id  # ranked second, still named


def test_no_document_is_named_when_two_match_alike():
    assert _named("防汛调度会和述职评议会哪个先开?", A, B) is None


def test_no_document_is_named_when_none_writes_the_words():
    assert _named("青禾县招商推进会签约了几个项目?", A, B) is None


def test_two_questions_in_one_are_not_scoped():
    assert _named("白沙乡述职评议会由谁主持?石桥镇防汛会几号开的?", A, B) is None
