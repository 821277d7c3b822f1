"""rag.ingest: bad files fail alone and change nothing; good files are indexed whole.

The vectors come from LangChain's ``DeterministicFakeEmbedding`` (seeded by
SHA-256 of the text): these tests are about which rows and vectors exist, not
about retrieval quality, and the fake keeps them fast. ``index_state`` is also
the invariant checker of the crash and concurrency tests.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import SEEDS, make_settings
from langchain_core.embeddings import DeterministicFakeEmbedding
from test_loading import BAD_FILES

from rag.errors import StoreUnavailableError
from rag.ingest import ingest_paths, reconcile
from rag.metadata import make_document
from rag.settings import Settings
from rag.store import DocStore
from rag.types import Chunk
from rag.vectors import VectorStore

FAKE = DeterministicFakeEmbedding(size=16)
TESTS = Path(__file__).resolve().parent


def index_state(settings: Settings) -> dict:
    """Everything that must agree between SQLite and Chroma, as plain data.

    ``problems`` lists every committed document whose chunk rows or vectors are
    not exactly ``doc_id:00000 .. doc_id:{n_chunks-1}``; ``orphans`` are vector
    owners with no committed document (allowed only until the next ingest).
    """
    store = DocStore(settings)
    vectors = VectorStore(settings)
    collection = vectors.collection()
    docs = {i["doc_id"]: i for i in store.list_info()}
    problems = []
    for doc_id, info in docs.items():
        expected = {f"{doc_id}:{i:05d}" for i in range(info["chunks"])}
        rows = {sc.chunk.chunk_id for sc in store.chunks([doc_id])}
        vecs = set(collection.get(where={"doc_id": doc_id}, include=[])["ids"])
        if info["chunks"] == 0 or rows != expected or vecs != expected:
            problems.append(f"{doc_id}: n_chunks={info['chunks']} rows={len(rows)} vectors={len(vecs)}")
        store.get(doc_id)  # the body parses and its offset map expands
    per_owner: dict[str, int] = defaultdict(int)
    for m in collection.get(include=["metadatas"])["metadatas"] or []:
        per_owner[m["doc_id"]] += 1
    return {
        "docs": {d: {"source": i["source"], "chunks": i["chunks"]} for d, i in sorted(docs.items())},
        "problems": problems,
        "orphans": sorted(set(per_owner) - set(docs)),
        "vectors": vectors.count(),
        "generation": store.generation(),
    }


def index_state_in_new_process(home: Path, env: dict[str, str] | None = None) -> dict:
    """``index_state`` from a fresh interpreter: what the next ``meetrag`` run will see."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]);"
        "from conftest import make_settings; from test_ingest import index_state;"
        "print(json.dumps(index_state(make_settings(sys.argv[2]))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(TESTS), str(home)],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def small_index(tmp_path_factory) -> Settings:
    """One real document indexed; a 50 KB file limit so size errors are cheap to provoke."""
    home = tmp_path_factory.mktemp("ingest")
    settings = make_settings(home, max_file_mb=0.05)
    report = ingest_paths([SEEDS / "001_22e3048d9cfc27bc.txt"], settings, embeddings=FAKE)
    assert report.count("added") == 1, report.to_json()
    return settings


@pytest.mark.parametrize("name", sorted(BAD_FILES) + ["big.txt"])
def test_ingest_bad_file_fails_alone_and_changes_nothing(small_index, tmp_path, name):
    data, reason = BAD_FILES.get(name, ("会议纪要。".encode() * 5000, r"over the 0\.05 MB limit"))
    path = tmp_path / name
    path.write_bytes(data)
    before = index_state(small_index)
    report = ingest_paths([path], small_index, embeddings=FAKE)
    assert [(r.path, r.status) for r in report.results] == [(str(path), "failed")]
    assert report.chunks == 0
    assert re.search(reason, report.failed[0].reason), report.failed[0].reason
    assert index_state(small_index) == before
    assert before["problems"] == [] and len(before["docs"]) == 1


def test_ingest_folder_indexes_good_files_and_reports_bad_ones(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for stem in ("000_1e9d919d8109f11d", "003_04edc0192fabf55a"):
        (folder / f"{stem}.txt").write_bytes((SEEDS / f"{stem}.txt").read_bytes())
    for name in ("empty.txt", "image.txt", "not-a-zip.docx", "empty.pdf"):
        (folder / name).write_bytes(BAD_FILES[name][0])
    settings = make_settings(tmp_path / "home")
    report = ingest_paths([folder], settings, embeddings=FAKE)
    status = {Path(r.path).name: r.status for r in report.results}
    assert status == {
        "000_1e9d919d8109f11d.txt": "added",
        "003_04edc0192fabf55a.txt": "added",
        "empty.txt": "failed",
        "image.txt": "failed",
        "not-a-zip.docx": "failed",
        "empty.pdf": "failed",
    }
    state = index_state(settings)
    assert state["problems"] == [] and state["orphans"] == [] and len(state["docs"]) == 2
    assert state["vectors"] == report.chunks
    # Again: the good files are unchanged, the bad ones fail again, nothing moves.
    again = ingest_paths([folder], settings, embeddings=FAKE)
    assert (again.count("unchanged"), again.count("failed"), again.chunks) == (2, 4, 0)
    assert index_state(settings) == state


def test_ingest_one_file_under_several_spellings_is_one_document(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    (tmp_path / "work").mkdir()
    f = tmp_path / "docs" / "纪要.txt"
    f.write_bytes((SEEDS / "001_22e3048d9cfc27bc.txt").read_bytes())
    settings = make_settings(tmp_path / "home")
    monkeypatch.chdir(tmp_path / "work")
    first = ingest_paths(["../docs/纪要.txt"], settings, embeddings=FAKE)
    second = ingest_paths([tmp_path / "work" / ".." / "docs" / "纪要.txt", f.resolve()], settings, embeddings=FAKE)
    assert first.count("added") == 1
    assert [r.status for r in second.results] == ["unchanged", "unchanged"]
    assert [i["source"] for i in DocStore(settings).list_info()] == [str(f.resolve())]


def test_ingest_changed_file_replaces_the_old_version_and_its_vectors(tmp_path):
    f = tmp_path / "纪要.txt"
    f.write_bytes((SEEDS / "001_22e3048d9cfc27bc.txt").read_bytes())
    settings = make_settings(tmp_path / "home")
    old = ingest_paths([f], settings, embeddings=FAKE).results[0].doc_id
    f.write_text(f.read_text(encoding="utf-8") + "\n会后,与会人员参观了民富中心。", encoding="utf-8")
    report = ingest_paths([f], settings, embeddings=FAKE)
    assert report.results[0].status == "replaced" and report.results[0].doc_id != old
    state = index_state(settings)
    assert list(state["docs"]) == [report.results[0].doc_id]
    assert state["problems"] == [] and state["orphans"] == []
    assert state["vectors"] == report.chunks


def test_reconcile_deletes_vectors_of_uncommitted_documents_only(tmp_path):
    settings = make_settings(tmp_path / "home")
    ingest_paths([SEEDS / "001_22e3048d9cfc27bc.txt"], settings, embeddings=FAKE)
    store, vectors = DocStore(settings), VectorStore(settings)
    committed = index_state(settings)
    ghost = [Chunk("ghost0000000000", i, 0, 1, "x", "") for i in range(3)]
    vectors.add(ghost, FAKE.embed_documents(["x"] * 3))  # step (1) of an ingest killed before (2)
    assert index_state(settings)["orphans"] == ["ghost0000000000"]
    assert reconcile(store, vectors) == 1
    assert index_state(settings) == committed


def test_commit_is_all_or_nothing(tmp_path):
    """An error inside the SQLite transaction leaves no document row and no chunk rows."""
    settings = make_settings(tmp_path / "home")
    store = DocStore(settings)
    doc = make_document((SEEDS / "001_22e3048d9cfc27bc.txt").read_text(encoding="utf-8"), "x.txt")
    chunks = [Chunk(doc.doc_id, i, 0, 5, doc.text[:5], "") for i in range(3)]
    with pytest.raises(ValueError):  # three chunks, two token lists: fails after the document INSERT
        store.commit_document(doc, chunks, [["a"], ["b"]])
    assert not store.has(doc.doc_id) and store.chunks() == [] and store.generation() == 0
    store.commit_document(doc, chunks, [["a"], ["b"], ["c"]])
    assert store.has(doc.doc_id) and len(store.chunks()) == 3 and store.generation() == 1


def test_vector_store_down_is_a_store_unavailable_error_and_nothing_is_committed(tmp_path):
    settings = make_settings(tmp_path / "home", chroma_url="http://127.0.0.1:9")  # discard port: refused
    with pytest.raises(StoreUnavailableError, match=r"cannot reach the Chroma server at http://127\.0\.0\.1:9"):
        ingest_paths([SEEDS / "001_22e3048d9cfc27bc.txt"], settings, embeddings=FAKE)
    assert DocStore(settings).doc_ids() == []


def test_a_large_file_reports_its_chunks_as_they_are_embedded(tmp_path):
    """A file of hundreds of chunks is not one silent step: the embedding thread reports
    every ``PROGRESS_STEP`` chunks, in order, ending at the total; the index is whole."""
    from rag.ingest import PROGRESS_STEP

    big = tmp_path / "in" / "长讲话.txt"
    big.parent.mkdir()
    sentence = "会议要求各乡镇要把抓党建促乡村振兴作为重大政治任务,逐项细化责任清单,确保各项工作落地见效。"
    big.write_text("\n".join(f"第{i}段:{sentence}" * 6 for i in range(400)), encoding="utf-8")
    settings = make_settings(tmp_path / "home")
    seen: list[tuple[int, int, str]] = []
    report = ingest_paths([big.parent], settings, embeddings=FAKE, chunk_progress=lambda *a: seen.append(a))
    assert report.chunks > 3 * PROGRESS_STEP
    dones = [d for d, _, _ in seen]
    assert dones == sorted(dones) and dones[-1] == seen[-1][1] == report.chunks
    assert {name for _, _, name in seen} == {"长讲话.txt"} and len(seen) >= 3
    state = index_state(settings)
    assert state["problems"] == [] and state["vectors"] == report.chunks
