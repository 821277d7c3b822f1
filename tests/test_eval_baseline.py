"""eval.baseline: the vanilla LangChain pipeline, on real Chroma with a deterministic fake embedder."""

from __future__ import annotations

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from eval.baseline import CHUNK_OVERLAP, CHUNK_SIZE, BaselinePipeline, best_sentence
from rag.render import REFUSAL
from rag.types import Answer

LONG = "\n".join(f"第{i}段。市委书记刘玉杰主持会议并讲话，强调要抓好第{i}项工作。" * 3 for i in range(40))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("docs")
    (d / "a_long.txt").write_text(LONG, encoding="utf-8")
    (d / "b_short.txt").write_text("座談會(huì)召開(kāi)。\n縣委書記謝再春講話。", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def baseline(files):
    return BaselinePipeline.build([files], DeterministicFakeEmbedding(size=32))


def test_best_sentence_most_shared_bigrams():
    text = "今天天气很好。市委书记刘玉杰主持会议。会议结束。"
    start, end = best_sentence("谁主持了会议?", text)
    assert text[start:end] == "市委书记刘玉杰主持会议。"


def test_best_sentence_reads_traditional_and_breaks_ties_early():
    text = "座談會(huì)召開(kāi)。縣委書記謝再春講話。"
    assert text[slice(*best_sentence("县委书记是谁", text))] == "縣委書記謝再春講話。"
    assert text[slice(*best_sentence("毫不相干", text))] == "座談會(huì)召開(kāi)。"  # all score 0
    assert best_sentence("问题", "。。\n") is None


def test_chunks_are_spans_of_the_raw_text(baseline, files):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    expected = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP).split_text(
        LONG
    )
    got = baseline.store.get(where={"stem": "a_long"})
    assert len(got["documents"]) == len(expected) > 1
    for text, meta in zip(got["documents"], got["metadatas"], strict=True):
        assert LONG[meta["start_index"] : meta["start_index"] + len(text)] == text
    assert baseline.n_chunks == len(expected) + 1


def test_ask_returns_our_answer_shape(baseline):
    out = baseline.ask("谁主持会议?")
    dummy = Answer(question="", answer="", refused=False, citations=[], engine="x")
    assert set(out) == set(dummy.to_json()) | {"passages"}
    assert len(out["passages"]) == 4 and not out["refused"]
    top = out["passages"][0]
    assert out["answer"].endswith("[1]") and out["answer"][:-3] in top["text"]
    (c,) = out["citations"]
    assert c["n"] == 1 and c["quote"] == top["text"] and c["doc_id"] == top["doc_id"]
    assert c["end"] - c["start"] == len(c["quote"])


def test_ask_filters_by_document_stem(baseline):
    out = baseline.ask("县委书记讲话", doc="b_short")
    assert [p["doc_id"] for p in out["passages"]] == ["b_short"]
    assert out["answer"] == "縣委書記謝再春講話。[1]"  # raw text, pinyin and all


def test_refuses_only_when_nothing_is_retrieved(baseline):
    out = baseline.ask("任何问题", doc="no_such_doc")
    assert out["refused"] and out["answer"] == REFUSAL and out["citations"] == [] and out["passages"] == []
