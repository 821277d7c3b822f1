"""Concurrency at the library level: one ``Pipeline`` answers 20 questions from
20 threads while another thread ingests a new document into the same index.

The pipeline is cold when the threads start (model, BM25 and Chroma opened by
whichever thread gets there first), as a freshly started server would be. The
UI's own load test lives with the UI.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import SEEDS, make_settings
from test_ingest import index_state

from rag.ingest import ingest_paths
from rag.pipeline import Pipeline

pytestmark = pytest.mark.slow

QUESTIONS = [
    ("座谈会由谁主持?", "刘玉杰"),
    ("座谈会一共有多少名书记出席?", "84"),
    ("座谈会上有多少名镇村党组织书记作了发言?", "11名"),
    ("“1331”基层党建现场会在哪里召开?", "凤埔乡"),
    ("县委书记是谁?", "谢再春"),
    ("“1331”基层党建格局的核心载体是什么?", "民富中心"),
    ("该区发展了多少家农民合作社?", "210家"),
    ("成立了多少个“一亲三心”工作队?", "70个"),
    ("协调解决群众“急难盼愁”问题多少个?", "149个"),
    ("全区家庭农场有多少家?", "150家"),
]


def test_twenty_questions_and_an_ingest_at_the_same_time(tmp_path):
    settings = make_settings(tmp_path / "home")
    first = [SEEDS / f"{s}.txt" for s in ("000_1e9d919d8109f11d", "001_22e3048d9cfc27bc", "004_41f6191bd45bc140")]
    assert ingest_paths(first, settings).count("added") == 3
    new_doc = SEEDS / "003_04edc0192fabf55a.txt"
    pipeline = Pipeline(settings)
    start = threading.Barrier(21)

    def ask(question: str) -> tuple[str, float]:
        start.wait(timeout=60)
        t0 = time.perf_counter()
        return pipeline.ask(question).answer, time.perf_counter() - t0

    def ingest() -> dict:
        start.wait(timeout=60)
        return ingest_paths([new_doc], settings).to_json()

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=21) as pool:
        asked = [(q, want, pool.submit(ask, q)) for q, want in QUESTIONS * 2]
        ingested = pool.submit(ingest)
        wrong = []
        for q, want, future in asked:
            answer, _ = future.result(timeout=240)  # re-raises any error in the thread
            if want not in answer:
                wrong.append((q, want, answer[:80]))
        report = ingested.result(timeout=240)
    wall = time.perf_counter() - t0
    assert wrong == []
    assert (report["added"], report["failed"]) == (1, 0)
    assert wall < 240

    state = index_state(settings)
    assert state["problems"] == [] and state["orphans"] == [] and len(state["docs"]) == 4
    assert state["vectors"] == sum(d["chunks"] for d in state["docs"].values())
    # The same pipeline object sees the document that arrived while it was answering.
    later = pipeline.ask("推进会在什么时候召开?")
    assert "10月8日-9日" in later.answer and later.citations[0].doc_id == report["files"][0]["doc_id"]
