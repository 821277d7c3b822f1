"""A self-healing vector index: vectors lost behind the store's back (the
``chroma/`` folder deleted, MEETRAG_CHROMA_URL pointed at a fresh ``chroma run``
server) are noticed and re-embedded from the chunk text kept in SQLite.

Before, ingest reported "5 unchanged" over an index with 0 vectors and every
question quietly fell back to keyword search. Now: ingest restores them, ``meetrag
docs check`` reports them (``--repair`` restores them), and ``meetrag ask`` warns.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import SEEDS, make_settings
from test_chroma_server import ChromaServer, free_port, server  # noqa: F401  (a fixture)
from test_ingest import FAKE, index_state
from test_reliability_cli import meetrag, stderr_lines

from rag.health import check_index, repair_index, vector_gap
from rag.ingest import ingest_paths
from rag.store import DocStore
from rag.types import Chunk
from rag.vectors import VectorStore

pytestmark = pytest.mark.slow
FILES = [SEEDS / "000_1e9d919d8109f11d.txt", SEEDS / "001_22e3048d9cfc27bc.txt"]


def stored_vectors(settings) -> dict[str, list[float]]:
    got = VectorStore(settings).collection().get(include=["embeddings"])
    return {i: [round(float(x), 6) for x in e] for i, e in zip(got["ids"], got["embeddings"], strict=True)}


def test_ingest_re_embeds_vectors_lost_with_the_chroma_folder(tmp_path):
    settings = make_settings(tmp_path / "home")
    ingest_paths(FILES, settings, embeddings=FAKE)
    before, vectors_before = index_state(settings), stored_vectors(settings)
    n = before["vectors"]

    shutil.rmtree(settings.chroma_path)
    VectorStore(settings).reopen()  # this process's client still holds the deleted index in memory
    store, vectors = DocStore(settings), VectorStore(settings)
    health = check_index(store, vectors)
    assert (health.vectors, health.missing_chunks, len(health.missing), health.ok) == (0, n, 2, False)
    assert vector_gap(store, vectors) == (
        f"the vector index ({settings.chroma_path}) holds 0 vectors for {n} chunks, so answers come from "
        "keyword search alone: run `meetrag docs check --repair` to re-embed what is missing"
    )

    report = ingest_paths(FILES, settings, embeddings=FAKE)
    assert report.count("unchanged") == 2
    assert (report.restored_docs, report.restored_chunks) == (2, n)
    assert report.to_json()["restored"] == {"documents": 2, "chunks": n}
    assert index_state(settings) == before
    assert stored_vectors(settings) == vectors_before  # re-embedded from the same text: the same vectors
    assert vector_gap(store, vectors) is None and check_index(store, vectors).ok


def test_check_finds_partial_loss_and_orphans_and_repair_fixes_both(tmp_path):
    settings = make_settings(tmp_path / "home")
    ingest_paths(FILES, settings, embeddings=FAKE)
    before = index_state(settings)
    store, vectors = DocStore(settings), VectorStore(settings)
    doc_id = sorted(before["docs"])[0]
    vectors.collection().delete(ids=[f"{doc_id}:00001", f"{doc_id}:00002"])
    vectors.add([Chunk("ghost0000000000", 0, 0, 1, "x", "")], FAKE.embed_documents(["x"]))

    health = check_index(store, vectors)
    assert health.missing == {doc_id: (f"{doc_id}:00001", f"{doc_id}:00002")}
    assert health.orphans == ("ghost0000000000",)
    assert "2 chunks of 1 documents have no vector" in health.describe()
    assert "vectors of 1 uncommitted documents" in health.describe()

    repair_index(store, vectors, FAKE, health)
    assert check_index(store, vectors).ok
    assert index_state(settings) == before


def test_fresh_chroma_server_is_refilled_by_the_next_ingest(server, tmp_path):  # noqa: F811
    home = tmp_path / "home"
    first = make_settings(home, chroma_url=server.url)
    ingest_paths(FILES, first, embeddings=FAKE)
    before = index_state(first)

    fresh = ChromaServer(tmp_path / "fresh-server", free_port(), tmp_path / "fresh.log")
    fresh.start()
    try:
        settings = make_settings(home, chroma_url=fresh.url)  # same index, an empty server
        store, vectors = DocStore(settings), VectorStore(settings)
        assert vectors.count() == 0
        assert f"the vector index ({fresh.url}) holds 0 vectors" in (vector_gap(store, vectors) or "")
        report = ingest_paths(FILES, settings, embeddings=FAKE)
        assert report.count("unchanged") == 2 and report.restored_chunks == before["vectors"]
        assert index_state(settings) == before
    finally:
        fresh.stop()


def test_cli_ask_warns_and_docs_check_repairs(tmp_path):
    """The console script with the real model: ``ask`` notes the gap on stderr (and
    still answers), ``docs check`` exits 1 naming the fix, ``--repair`` restores it."""
    home = tmp_path / "home"
    run = meetrag(home, "ingest", str(FILES[0]))
    assert run.returncode == 0, run.stderr[-2000:]
    shutil.rmtree(home / "chroma")

    ask = meetrag(home, "ask", "座谈会由谁主持?")
    assert ask.returncode == 0, ask.stderr[-2000:]
    assert "刘玉杰" in ask.stdout
    notes = [x for x in stderr_lines(ask.stderr) if x.startswith("meetrag: note:")]
    assert len(notes) == 1 and "holds 0 vectors for 9 chunks" in notes[0]
    assert "meetrag docs check --repair" in notes[0]

    check = meetrag(home, "docs", "check")
    assert check.returncode == 1
    assert f"{home}: 1 documents, 9 chunks; 0 vectors in {home / 'chroma'}; 9 chunks of 1 documents have no vector" \
        in check.stdout
    assert "run `meetrag docs check --repair`" in check.stderr

    repair = meetrag(home, "docs", "check", "--repair")
    assert repair.returncode == 0, repair.stderr[-2000:]
    assert "repaired: re-embedded 9 chunks of 1 documents" in repair.stdout

    again = meetrag(home, "ask", "座谈会由谁主持?")
    assert again.returncode == 0 and "刘玉杰" in again.stdout
    assert not [x for x in stderr_lines(again.stderr) if x.startswith("meetrag: note:")]
