"""Crash safety: ``kill -9`` at any moment of an ingest leaves an index that the
next run opens and completes without manual repair.

Two kinds of kill. The console script is killed at moments chosen by watching
the store (during start-up and embedding, at the first commit of a batch, a few
commits later), as a user's power cut would. Then a library run is killed at
exact points between the writes that ``rag/ingest.py`` orders: after the
vectors of a document are upserted, inside the SQLite transaction, and after
the commit of a new version before the old version's vectors are deleted.

After every kill: each committed document has exactly its ``n_chunks`` chunk
rows and vectors (checked from a fresh process, straight against Chroma), and
``meetrag docs list --json`` works. After the re-run: every document is there
and no orphan vector is left.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEED_FILES
from test_ingest import TESTS, index_state_in_new_process
from test_reliability_cli import MEETRAG, clean_env, meetrag

pytestmark = pytest.mark.slow
N_DOCS = 30
# Small chunks: each document is several chunks (so a partial one would show), and the
# ingest still embeds few tokens. ~150 chunks make three embedding batches (64 chunks each, the last one smaller).
SMALL_CHUNKS = {"MEETRAG_CHUNK_TOKENS": "64", "MEETRAG_CHUNK_OVERLAP_TOKENS": "0"}


def make_corpus(folder: Path, n: int = N_DOCS) -> list[Path]:
    """``n`` distinct small meeting documents recombined from seed paragraphs,
    with their numbers shifted and a title of their own (~220 characters each)."""
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = [
        [p[:100] for p in f.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 40] for f in SEED_FILES
    ]
    paths = []
    for i in range(n):
        paras = paragraphs[i % len(paragraphs)]
        picked = [paras[(i // len(paragraphs) + k) % len(paras)] for k in range(2)]
        body = "\n".join(re.sub(r"\d", lambda m, i=i: str((int(m.group()) + i) % 10), p) for p in picked)
        path = folder / f"例会{i:02d}.txt"
        path.write_text(f"第{i + 1}次基层党建工作例会\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def committed(home: Path) -> int:
    """Documents committed so far, read without disturbing the writer (WAL readers never block it)."""
    try:
        db = sqlite3.connect(f"file:{home / 'index.sqlite'}?mode=ro", uri=True, timeout=1)
        try:
            return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0  # not created yet, or the schema is being written


def kill_ingest_when(home: Path, folder: Path, condition, limit_s: float = 240) -> tuple[int, float]:
    """Start ``meetrag ingest``, SIGKILL it once ``condition(committed, elapsed)`` holds."""
    proc = subprocess.Popen(
        [str(MEETRAG), "--home", str(home), "ingest", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=clean_env(**SMALL_CHUNKS),
    )
    t0 = time.monotonic()
    try:
        while proc.poll() is None:
            elapsed = time.monotonic() - t0
            assert elapsed < limit_s, "ingest neither finished nor reached the kill point"
            if condition(committed(home), elapsed):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, time.monotonic() - t0


def assert_consistent(home: Path, sources: set[str]) -> dict:
    state = index_state_in_new_process(home, env=clean_env())
    assert state["problems"] == [], state["problems"]
    assert {d["source"] for d in state["docs"].values()} <= sources
    return state


def test_kill_9_during_cli_ingest_never_needs_repair(tmp_path):
    folder = tmp_path / "corpus"
    paths = make_corpus(folder)
    sources = {str(p.resolve()) for p in paths}
    home = tmp_path / "home"
    kills = []
    # 1: during start-up or the first embedding batch; 2: at the first commit of a batch
    # (vectors of the next documents are being upserted); 3: a few commits further on.
    before = 0
    for when in ("startup", "first-commit", "later"):
        if when == "startup":
            cond = lambda n, t: n > 0 or t > 4  # noqa: E731
        elif when == "first-commit":
            cond = lambda n, t, b=before: n > b  # noqa: E731
        else:
            cond = lambda n, t, b=before: n >= b + 3  # noqa: E731
        rc, seconds = kill_ingest_when(home, folder, cond)
        state = assert_consistent(home, sources)
        kills.append((when, rc, round(seconds, 1), len(state["docs"]), len(state["orphans"])))
        before = len(state["docs"])
    print("kills (point, rc, s, committed, orphan docs):", kills)
    assert any(rc == -signal.SIGKILL for _, rc, *_ in kills), kills
    listing = meetrag(home, "docs", "list", "--json")
    assert listing.returncode == 0, listing.stderr
    assert len(listing.stdout.splitlines()) == kills[-1][3]

    run = meetrag(home, "ingest", "--json", str(folder), **SMALL_CHUNKS)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout)
    assert report["added"] + report["unchanged"] == N_DOCS and report["failed"] == 0
    state = assert_consistent(home, sources)
    assert len(state["docs"]) == N_DOCS and state["orphans"] == []
    assert state["vectors"] == sum(d["chunks"] for d in state["docs"].values())
    listing = meetrag(home, "docs", "list", "--json")
    assert sorted(json.loads(x)["source"] for x in listing.stdout.splitlines()) == sorted(sources)


# A library ingest that kills itself at the n-th call of one step of the write order;
# without a step it reports the index as it found it, ingests, and reports it again.
HOOKED_INGEST = r"""
import json, os, signal, sys
sys.path.insert(0, sys.argv[1])
from conftest import make_settings
from test_ingest import FAKE, index_state
from rag.ingest import ingest_paths
from rag.store import DocStore
from rag.vectors import VectorStore

home, folder, step, nth = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
settings = make_settings(home)
owner, name = {"commit": (DocStore, "commit_document"), "in-transaction": (DocStore, "_bump"),
               "delete-old": (VectorStore, "delete_doc")}.get(step, (None, None))
if owner is not None:
    original = getattr(owner, name)
    calls = []

    def hooked(*args, **kwargs):
        calls.append(1)
        if len(calls) == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)

    setattr(owner, name, staticmethod(hooked) if step == "in-transaction" else hooked)
    ingest_paths([folder], settings, embeddings=FAKE)
    sys.exit("the hook was never reached")
before = index_state(settings) if os.path.exists(settings.db_path) else None
report = ingest_paths([folder], settings, embeddings=FAKE)
print(json.dumps({"before": before, "report": report.to_json(), "after": index_state(settings)}))
"""


def hooked_ingest(home: Path, folder: Path, step: str = "none", nth: int = 0) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", HOOKED_INGEST, str(TESTS), str(home), str(folder), step, str(nth)],
        capture_output=True, text=True, timeout=120, env=clean_env(),
    )
    if step != "none":
        assert run.returncode == -signal.SIGKILL, run.stderr[-2000:]
        return {}
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    for state in (out["before"], out["after"]):
        assert state is None or state["problems"] == [], state["problems"]
    assert out["after"]["orphans"] == []
    assert out["after"]["vectors"] == sum(d["chunks"] for d in out["after"]["docs"].values())
    return out


@pytest.mark.parametrize(
    "step",
    [
        "commit",  # vectors of the 4th document upserted, its row never written
        "in-transaction",  # rows of the 4th document written, the transaction never committed
    ],
)
def test_kill_9_between_the_writes_of_one_document(tmp_path, step):
    folder = tmp_path / "corpus"
    make_corpus(folder, 6)
    home = tmp_path / "home"
    hooked_ingest(home, folder, step, 4)
    out = hooked_ingest(home, folder)  # reports what the kill left, then completes
    found = out["before"]
    # Three documents whole; the 4th one's vectors (and, as one batch is upserted at
    # once, those of the 5th and 6th) are orphans, never a document.
    assert len(found["docs"]) == 3 and 1 <= len(found["orphans"]) <= 3
    assert (out["report"]["added"], out["report"]["unchanged"]) == (3, 3)
    assert len(out["after"]["docs"]) == 6


def test_kill_9_after_a_new_version_is_committed_before_old_vectors_go(tmp_path):
    folder = tmp_path / "corpus"
    (path,) = make_corpus(folder, 1)
    home = tmp_path / "home"
    old = hooked_ingest(home, folder)["after"]["docs"]
    path.write_text(path.read_text(encoding="utf-8") + "会议还研究了其他事项。\n", encoding="utf-8")
    hooked_ingest(home, folder, "delete-old", 1)
    out = hooked_ingest(home, folder)
    found = out["before"]
    assert len(found["docs"]) == 1 and found["docs"] != old  # the new version, whole
    assert found["orphans"] == list(old)  # the old version's vectors, unreachable until reconciled
    assert (out["report"]["unchanged"], out["after"]["docs"]) == (1, found["docs"])
