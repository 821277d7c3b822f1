"""A running app on the embedded store sees documents another process ingests
(`meetrag ingest` while `meetrag serve` runs): by keyword search, and by vector search."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import SEED_FILES, make_settings
from langchain_core.embeddings import DeterministicFakeEmbedding

from rag.ingest import ingest_paths
from rag.pipeline import Pipeline
from rag.store import DocStore


def _ingest_in_another_process(home, path) -> None:
    code = textwrap.dedent(f"""
        from langchain_core.embeddings import DeterministicFakeEmbedding
        from rag.ingest import ingest_paths
        from rag.settings import load_settings
        settings = load_settings(environ={{}}, home={str(home)!r})
        report = ingest_paths([{str(path)!r}], settings, embeddings=DeterministicFakeEmbedding(size=16))
        assert report.count("added") == 1, report.to_json()
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]


def test_vector_search_sees_documents_ingested_by_another_process(tmp_path) -> None:
    settings = make_settings(tmp_path)
    fake = DeterministicFakeEmbedding(size=16)
    ingest_paths(SEED_FILES[:1], settings, embeddings=fake)
    pipeline = Pipeline(settings, embeddings=fake)
    assert pipeline.retrieve("座谈会", 3)  # the vector index is now loaded in this process

    _ingest_in_another_process(tmp_path, SEED_FILES[1])

    store = DocStore(settings)
    new_doc = next(d for d in store.doc_ids() if d not in {c.doc_id for c in pipeline.retriever._chunks.values()})
    target = store.chunks([new_doc])[0].chunk
    # The fake embedding of a chunk's own text is its stored vector: the best dense hit.
    pipeline.retriever.refresh()
    hits = pipeline.retriever.dense(target.text, 3, None)
    assert hits[0][0] == target.chunk_id


def test_own_changes_do_not_reload_the_vector_index(tmp_path, monkeypatch) -> None:
    settings = make_settings(tmp_path)
    fake = DeterministicFakeEmbedding(size=16)
    ingest_paths(SEED_FILES[:1], settings, embeddings=fake)
    pipeline = Pipeline(settings, embeddings=fake)
    pipeline.retrieve("座谈会", 3)
    reopened: list[bool] = []
    reopen = pipeline.vectors.reopen  # counted, and still done: the search reads the reopened store
    monkeypatch.setattr(pipeline.vectors, "reopen", lambda: (reopened.append(True), reopen()))
    ingest_paths(SEED_FILES[1:2], settings, embeddings=fake)  # this process: no reload needed
    pipeline.retrieve("座谈会", 3)
    assert reopened == []
    _ingest_in_another_process(tmp_path, SEED_FILES[2])
    pipeline.retrieve("座谈会", 3)
    assert reopened == [True]
