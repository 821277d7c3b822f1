"""One writer at a time: two ingests into one data directory never delete each
other's vectors.

The race this guards against: ingest A has upserted the vectors of a batch and
not yet committed its documents (step (1) of ``rag/ingest.py``) when ingest B
starts; B's start-up clean-up took those vectors for a dead ingest's orphans and
deleted them, and A then committed documents without vectors. Here A is made to
pause exactly there, B is started in that window, and the index is checked after
both. The removal path and the in-process (app) path take the same lock.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS, make_settings
from test_ingest import FAKE, TESTS, index_state
from test_reliability_crash import make_corpus

from rag.ingest import ingest_paths, remove_document
from rag.locks import LOCK_NAME, writer_lock
from rag.store import DocStore

pytestmark = pytest.mark.slow

# A library ingest (fake embeddings) that, at its first commit, has written the batch's
# vectors: it creates the marker file, then waits for the release file before committing.
PAUSED_INGEST = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from conftest import make_settings
from test_ingest import FAKE
from rag.ingest import ingest_paths
from rag.store import DocStore

home, folder, marker, release = sys.argv[2], sys.argv[3], Path(sys.argv[4]), Path(sys.argv[5])
original = DocStore.commit_document

def paused(self, *args, **kwargs):
    if not marker.exists():
        marker.write_text("vectors written, not committed")
        deadline = time.monotonic() + 60
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
    return original(self, *args, **kwargs)

DocStore.commit_document = paused
report = ingest_paths([folder], make_settings(home), embeddings=FAKE)
print(report.count("added"))
"""

# A second library ingest of other files; prints its report as JSON.
OTHER_INGEST = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from conftest import make_settings
from test_ingest import FAKE
from rag.ingest import ingest_paths

print(json.dumps(ingest_paths(sys.argv[3:], make_settings(sys.argv[2]), embeddings=FAKE).to_json()))
"""


def wait_for(path: Path, proc: subprocess.Popen, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while not path.exists():
        assert proc.poll() is None, proc.communicate()[1][-2000:]
        assert time.monotonic() < deadline, "the first ingest never reached its first commit"
        time.sleep(0.02)


def test_second_ingest_waits_and_deletes_none_of_the_first_ones_vectors(tmp_path):
    folder = tmp_path / "big"
    make_corpus(folder, 6)
    home = tmp_path / "home"
    marker, release = tmp_path / "first-batch-upserted", tmp_path / "go-on"
    first = subprocess.Popen(
        [sys.executable, "-c", PAUSED_INGEST, str(TESTS), str(home), str(folder), str(marker), str(release)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    second = None
    try:
        wait_for(marker, first)
        second = subprocess.Popen(
            [sys.executable, "-c", OTHER_INGEST, str(TESTS), str(home), str(SEEDS / "001_22e3048d9cfc27bc.txt")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        # The first ingest goes on once the second one waits for it (or, unprotected, has
        # finished: then its start-up clean-up has run while the first one was paused).
        assert second.stderr is not None
        err_lines = []
        while line := second.stderr.readline():
            err_lines.append(line)
            if "waiting" in line:
                break
        first_done_when_second_waited = first.poll() is not None
        release.write_text("go on")
        out, err = first.communicate(timeout=120)
        second_out, second_err = second.communicate(timeout=120)
        second_err = "".join(err_lines) + second_err
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
    assert first.returncode == 0 and out.strip() == "6", err[-2000:]
    assert second.returncode == 0, second_err[-2000:]
    assert json.loads(second_out.strip().splitlines()[-1])["added"] == 1
    state = index_state(make_settings(home))
    assert state["problems"] == [] and state["orphans"] == []  # every document has all its vectors
    assert len(state["docs"]) == 7
    assert state["vectors"] == sum(d["chunks"] for d in state["docs"].values())
    # It said who it waited for, on one line, while the first was still running.
    assert f"meetrag: another ingest is running (pid {first.pid}), waiting…\n" in second_err
    assert not first_done_when_second_waited


HOLD_LOCK = r"""
import sys, time
from pathlib import Path
from rag.locks import writer_lock
with writer_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_removal_waits_for_a_running_ingest(tmp_path, capfd):
    settings = make_settings(tmp_path / "home")
    doc_id = ingest_paths([SEEDS / "001_22e3048d9cfc27bc.txt"], settings, embeddings=FAKE).results[0].doc_id
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(settings.home), "2"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        t0 = time.monotonic()
        remove_document(doc_id, settings)
        assert time.monotonic() - t0 > 1.5  # removed only once the other writer let go (after 2 s)
    finally:
        holder.wait(timeout=30)
    assert f"another ingest is running (pid {holder.pid}), waiting…" in capfd.readouterr().err
    assert DocStore(settings).doc_ids() == [] and index_state(settings)["vectors"] == 0


def test_lock_of_a_killed_writer_is_free_at_once(tmp_path):
    """The kernel drops a dead process's lock: no stale lock file to delete by hand."""
    home = tmp_path / "home"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(home), "60"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    holder.kill()
    holder.wait(timeout=30)
    assert (home / LOCK_NAME).exists()
    heard: list[str] = []
    t0 = time.monotonic()
    with writer_lock(home, heard.append):
        pass
    assert heard == [] and time.monotonic() - t0 < 1


def test_nested_writers_in_one_thread_do_not_deadlock(tmp_path):
    """The app holds its own write lock around an upload's ingest; a writer inside a
    writer of the same thread must go through."""
    settings = make_settings(tmp_path / "home")
    heard: list[str] = []
    with writer_lock(settings.home, heard.append):
        report = ingest_paths([SEEDS / "001_22e3048d9cfc27bc.txt"], settings, embeddings=FAKE, notify=heard.append)
        remove_document(report.results[0].doc_id, settings)
    assert heard == [] and DocStore(settings).doc_ids() == []
