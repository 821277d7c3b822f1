"""Chroma as a separate ``chroma run`` server (``chroma_url``): ingest, answer,
survive a server restart mid-session, and say clearly when the server is down.

The server is the real ``chroma`` CLI from the venv, on a free loopback port,
with its data in a temporary folder; the test starts and stops it itself.
"""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, make_settings
from test_ingest import index_state
from test_reliability_cli import clean_env, meetrag, stderr_lines

from rag.errors import StoreUnavailableError
from rag.ingest import ingest_paths
from rag.pipeline import Pipeline
from rag.types import Chunk
from rag.vectors import VectorStore

pytestmark = pytest.mark.slow
CHROMA = ROOT / ".venv" / "bin" / "chroma"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ChromaServer:
    """``chroma run`` on one path and port, started and stopped on demand."""

    def __init__(self, path: Path, port: int, log: Path) -> None:
        self.path, self.port, self.log = path, port, log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def start(self, timeout: float = 60) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(CHROMA), "run", "--path", str(self.path), "--port", str(self.port), "--host", "127.0.0.1"],
                stdout=log, stderr=subprocess.STDOUT, env=clean_env(ANONYMIZED_TELEMETRY="False"),
            )
        deadline = time.monotonic() + timeout
        while not self.alive():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"chroma run did not come up on {self.url}:\n{self.log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()  # as a crash or an OOM kill would; it must not matter
            self.proc.wait(timeout=30)
        self.proc = None
        deadline = time.monotonic() + 10
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)


@pytest.fixture
def server(tmp_path):
    srv = ChromaServer(tmp_path / "chroma-server", free_port(), tmp_path / "chroma.log")
    srv.start()
    yield srv
    srv.stop()


def test_chroma_server_answers_survives_restart_and_reports_downtime(server, tmp_path):
    home = tmp_path / "home"
    settings = make_settings(home, chroma_url=server.url)
    report = ingest_paths([SEEDS], settings)
    assert report.count("added") == 5
    assert not settings.chroma_path.exists()  # the vectors went to the server, not the embedded store
    state = index_state(settings)
    assert state["problems"] == [] and state["vectors"] == report.chunks

    pipeline = Pipeline(settings)
    assert "刘玉杰" in pipeline.ask("座谈会由谁主持?").answer

    # Restart mid-session: the next question is answered by the same Pipeline.
    server.stop()
    server.start()
    assert "谢再春" in pipeline.ask("县委书记是谁?").answer

    # Down: a clear error naming the server and the fix, from the library and from the CLI.
    server.stop()
    t0 = time.perf_counter()
    with pytest.raises(StoreUnavailableError) as err:
        pipeline.ask("座谈会由谁主持?")
    assert time.perf_counter() - t0 < 30
    message = str(err.value)
    assert message.startswith(f"cannot reach the Chroma server at {server.url} (")
    assert "is `chroma run` up?" in message and "\n" not in message
    # (`ingest` meets the store before it loads the model, so this costs a second, not ten.)
    run = meetrag(home, "ingest", str(SEEDS / "000_1e9d919d8109f11d.txt"), MEETRAG_CHROMA_URL=server.url)
    assert run.returncode == 1 and "Traceback" not in run.stderr and run.stdout == ""
    # (The ingest progress bar is not closed before the error is printed, so the error
    # may follow "0file [00:00, ?file/s]" on the same line: cosmetic, reported.)
    errors = [x[x.index("meetrag: "):] for x in stderr_lines(run.stderr) if "meetrag: " in x]
    # The cause's type in brackets may differ: a fresh process fails while connecting.
    assert len(errors) == 1 and re.fullmatch(
        rf"meetrag: error: cannot reach the Chroma server at {server.url} \(\w+\); "
        r"is `chroma run` up\? Start it, or unset MEETRAG_CHROMA_URL to use the embedded store", errors[0]
    ), run.stderr

    # Back up on the same port and path: answered again, nothing lost.
    server.start()
    answer = pipeline.ask("座谈会由谁主持?")
    assert "刘玉杰" in answer.answer and answer.citations
    assert index_state(settings) == state


def test_stale_collection_handle_is_replaced_once(server, tmp_path):
    """Another client drops and re-creates the collection (a restore from backup, say):
    our cached handle now names a collection id that no longer exists. The next call
    must reconnect by name once and go on, not fail until the process restarts."""
    import chromadb

    settings = make_settings(tmp_path / "home", chroma_url=server.url)
    vectors = VectorStore(settings)
    chunks = [Chunk("d" * 16, i, i, i + 1, "会", "") for i in range(3)]
    vectors.add(chunks, [[1.0, float(i)] for i in range(3)])
    assert vectors.count() == 3
    other = chromadb.HttpClient(host="127.0.0.1", port=server.port)
    other.delete_collection(settings.collection)
    restored = other.create_collection(settings.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None)
    restored.add(ids=[c.chunk_id for c in chunks], embeddings=[[1.0, float(i)] for i in range(3)],
                 metadatas=[{"doc_id": c.doc_id} for c in chunks])
    assert vectors.count() == 3
    assert vectors.doc_ids() == {"d" * 16}
