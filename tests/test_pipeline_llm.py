"""The whole pipeline with the LLM engine, over a real loopback OpenAI-compatible server."""

from rag.pipeline import Pipeline
from rag.types import Answer


def _pipeline(seeded, llm_server):
    settings = seeded.model_copy(update={"llm_base_url": llm_server.base_url})
    return Pipeline(settings)


def test_llm_answer_is_guarded_and_cited(seeded, llm_server):
    p = _pipeline(seeded, llm_server)
    llm_server.enqueue("座谈会由市委书记刘玉杰主持。[1] 会议共有300名代表参加。[1]")
    answer = p.ask("座谈会由谁主持?", engine="llm")
    assert answer.engine == "llm" and not answer.refused
    assert "刘玉杰" in answer.answer and "300" not in answer.answer
    assert any("300" in s for s in answer.removed)
    for c in answer.citations:
        assert c.quote == p.store.get(c.doc_id).display[c.start : c.end]
    # The passages went to the model fenced and numbered.
    body = str(llm_server.requests[-1])
    assert "资料 1" in body and "刘玉杰" in body or "劉玉杰" in body


def test_stream_yields_deltas_then_the_checked_answer(seeded, llm_server):
    p = _pipeline(seeded, llm_server)
    llm_server.enqueue("市委书记刘玉杰主持了座谈会。[1]", chunk_chars=3)
    items = list(p.stream("座谈会由谁主持?", engine="llm"))
    deltas, final = items[:-1], items[-1]
    assert len(deltas) > 1 and all(isinstance(d, str) for d in deltas)
    assert isinstance(final, Answer) and "刘玉杰" in final.answer


def test_follow_up_is_condensed_by_the_llm(seeded, llm_server):
    p = _pipeline(seeded, llm_server)
    llm_server.enqueue("刘玉杰在座谈会上还要求了什么?", "刘玉杰要求关心关爱广大镇村干部。[1]")
    answer = p.ask("他还要求了什么?", engine="llm", history=[("座谈会由谁主持?", "刘玉杰[1]")])
    assert answer.standalone_question == "刘玉杰在座谈会上还要求了什么?"
    assert len(llm_server.requests) == 2
