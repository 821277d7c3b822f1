"""A large ingest says how long the rest will take, and one interrupted (Ctrl-C) goes
on where it stopped: the documents it had written are skipped, never embedded again."""

from __future__ import annotations

import argparse

import pytest
from conftest import SEED_FILES, make_settings
from langchain_core.embeddings import DeterministicFakeEmbedding

from rag.commands import ingest as ingest_command
from rag.commands.ingest import Eta, duration
from rag.ingest import ingest_paths
from rag.store import DocStore
from rag.vectors import VectorStore


class CountingEmbedding(DeterministicFakeEmbedding):
    texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts.extend(texts)
        return super().embed_documents(texts)


def test_an_interrupted_ingest_resumes_without_embedding_finished_files_again(tmp_path) -> None:
    # Small chunks: every seed fills an embedding batch of its own, so the first files
    # are written while later ones are still being prepared.
    settings = make_settings(tmp_path / "home", chunk_tokens=40)
    first = CountingEmbedding(size=16, texts=[])

    def ctrl_c_at_the_fourth_file(done: int, total: int, name: str) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_paths(SEED_FILES, settings, progress=ctrl_c_at_the_fourth_file, embeddings=first)
    store = DocStore(settings)
    finished = set(store.doc_ids())
    assert 1 <= len(finished) < len(SEED_FILES)
    finished_chunks = {c.chunk.text for c in store.chunks(sorted(finished))}

    again = CountingEmbedding(size=16, texts=[])
    report = ingest_paths(SEED_FILES, settings, embeddings=again)
    assert report.count("unchanged") == len(finished)
    assert report.count("added") == len(SEED_FILES) - len(finished)
    assert not finished_chunks & set(again.texts)  # nothing finished was embedded again
    assert len(again.texts) == report.chunks
    assert len(DocStore(settings).doc_ids()) == len(SEED_FILES)
    assert VectorStore(settings).count() == DocStore(settings).total_chunks()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.4, "0 s"), (35, "35 s"), (60, "1 min 00 s"), (760, "12 min 40 s"), (3600 * 3 + 300, "3 h 05 min")],
)
def test_duration(seconds, text) -> None:
    assert duration(seconds) == text


def test_eta_follows_the_recent_pace_not_the_skipped_files() -> None:
    now = [0.0]
    eta = Eta(window=10, clock=lambda: now[0])
    # A resumed run: 100 finished files skipped in 0.01 s each, then 2 s per file.
    for done in range(100):
        now[0] += 0.01
        eta.left(done, 1000)
    for done in range(100, 111):
        now[0] += 2.0
        left = eta.left(done, 1000)
    assert left == duration((1000 - 110) * 2.0) + " left"  # 29 min 40 s, not ~3 min
    assert Eta().left(0, 10) == ""  # no pace yet
    now[0] += 2.0
    assert eta.left(999, 1000) == ""  # 2 s left: not worth a countdown


def test_ctrl_c_says_what_was_kept_and_how_to_go_on(tmp_path, monkeypatch, capsys) -> None:
    def interrupted_ingest(paths, settings, progress, chunk_progress):  # type: ignore[no-untyped-def]
        for i in range(3):
            progress(i, 40, f"f{i}.txt")
        raise KeyboardInterrupt

    monkeypatch.setattr("rag.ingest.ingest_paths", interrupted_ingest)
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    with pytest.raises(KeyboardInterrupt):
        ingest_command.run(argparse.Namespace(paths=["x"], json=False), make_settings(tmp_path))
    err = capsys.readouterr().err
    assert "[3/40] f2.txt" in err
    assert "interrupted at file 3 of 40" in err and "run the same command again" in err
