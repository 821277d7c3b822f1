"""A 5,000-document archive in one process (#16): what is kept per document or chunk is
compact, and the compact forms give what the plain ones gave. The BM25 index's arrays
are checked against the per-item formula in ``test_retrieval_scale``."""

from __future__ import annotations

import random

import pytest
from conftest import SEED_FILES, make_settings
from langchain_core.embeddings import DeterministicFakeEmbedding

from rag.ingest import ingest_paths
from rag.meeting.frame import extract
from rag.meeting.store import frames_for
from rag.pipeline import Pipeline
from rag.store import DocStore, RunMap, _compress_map, _expand_map


def test_a_run_map_reads_as_the_expanded_map() -> None:
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(1, 300)
        offsets, raw = [], 0
        for _ in range(n):
            raw += rng.choice((1, 1, 1, 2, 0, 5))
            offsets.append(raw)
        runs = _compress_map(offsets)
        m = RunMap(runs, n)
        assert tuple(m) == _expand_map(runs, n) == tuple(offsets)
        assert len(m) == n and m == tuple(offsets) and tuple(offsets) == m and hash(m) == hash(tuple(offsets))
        assert [m[i] for i in range(-n, n)] == offsets + offsets
        assert m[2:9] == tuple(offsets[2:9]) and m[::-3] == tuple(offsets[::-3])
        assert _compress_map(m) == runs
        with pytest.raises(IndexError):
            m[n]


@pytest.fixture(scope="module")
def fake_index(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("scale-memory"))
    emb = DeterministicFakeEmbedding(size=16)
    ingest_paths(SEED_FILES, settings, embeddings=emb)
    return settings, emb


def test_a_stored_document_equals_the_one_written(fake_index, seed_docs) -> None:
    settings, _ = fake_index
    store = DocStore(settings)
    for doc in seed_docs.values():
        stored = store.get(store.find_by_source(doc.source) or "")
        assert isinstance(stored.to_raw, RunMap)
        assert stored == doc and hash(stored) == hash(doc)  # the offset map included
        assert [stored.to_raw[i] for i in range(0, len(doc.to_raw), 97)] == list(doc.to_raw)[::97]


def test_the_search_index_is_built_without_reading_the_documents(fake_index) -> None:
    settings, emb = fake_index
    pipeline = Pipeline(settings, embeddings=emb)
    pipeline.retriever.refresh()
    assert len(pipeline.store._cache) == 0  # offsets and tokens come from the chunks' rows
    store = DocStore(settings)
    by_id = {sc.chunk.chunk_id: sc for sc in store.chunks()}
    kept = pipeline.retriever._chunks
    assert set(kept) == set(by_id)
    for cid, span in kept.items():
        chunk = by_id[cid].chunk
        assert (span.chunk_id, span.doc_id, span.start, span.end) == (cid, chunk.doc_id, chunk.start, chunk.end)
    assert len(pipeline.retriever.bm25) == len(by_id)
    passages = pipeline.retrieve("座谈会由谁主持?", 4)
    assert passages and all(p.text == store.get(p.doc_id).text[p.start : p.end] for p in passages)


def test_ingest_stores_each_frame_without_keeping_it_in_memory(tmp_path) -> None:
    settings = make_settings(tmp_path)
    ingest_paths(SEED_FILES[:2], settings, embeddings=DeterministicFakeEmbedding(size=16))
    frames = frames_for(settings)
    assert len(frames._memo) == 0
    store = DocStore(settings)
    for doc_id in store.doc_ids():
        doc = store.get(doc_id)
        row = frames._db().execute("SELECT body FROM frames WHERE doc_id=?", (doc_id,)).fetchone()
        assert row is not None  # stored at ingest: reading it does not extract again
        assert frames.get(doc) == extract(doc)


def test_a_large_refresh_moves_the_index_out_of_the_collectors_sight(fake_index, monkeypatch) -> None:
    import gc

    import rag.retrieval

    settings, emb = fake_index
    gc.unfreeze()
    try:
        monkeypatch.setattr(rag.retrieval, "FREEZE_DOCS", 10**6)
        small = Pipeline(settings, embeddings=emb)
        small.retriever.refresh()
        assert gc.get_freeze_count() == 0  # a few documents: nothing frozen
        monkeypatch.setattr(rag.retrieval, "FREEZE_DOCS", 1)
        large = Pipeline(settings, embeddings=emb)
        large.retriever.refresh()
        assert gc.get_freeze_count() > 0
        assert [p.doc_id for p in large.retrieve("座谈会由谁主持?", 4)] == [
            p.doc_id for p in small.retrieve("座谈会由谁主持?", 4)
        ]
    finally:
        gc.unfreeze()
