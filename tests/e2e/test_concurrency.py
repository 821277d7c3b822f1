"""Twenty questions and one upload+ingest at the same time against the running server.

Loopback only (the server fixture binds 127.0.0.1), bounded in count (20
questions, one upload of one small file) and in time (a deadline on every
request and on the concurrent phase as a whole). The questions go to the public ``/ask`` API, one
``gradio_client.Client`` per simulated user. The upload goes through the
文档管理 tab's own upload + 导入 event exactly as the browser sends it (file to
``/gradio_api/upload``, event to ``/gradio_api/queue/join``, result from the
SSE stream): that event is ``api_visibility="private"``, so the Gradio client
library refuses to call it, but the server runs it for any session, as it must
for the page itself.

Checked: every question answered correctly and without error while the ingest
ran; the ingest reports the file added; a question about the new document is
then answered from it; the server logged no traceback; the index holds exactly
one more document and SQLite and Chroma agree (``index_state`` from a fresh
interpreter). The uploaded document is removed again at the end (through the
same tab), so the session's server is left as it was found. Latency p50/p95 of
the 20 questions go to ``tests/output/concurrency.json``.

The new document's fact shares no words with the seed questions asked (no
座谈会, no 县委书记), so each of them has one right answer whether it is
answered before or after the ingest lands. Its chair has an ordinary name: the
extractive engine does not take "王测试" for a person (it refuses, or answers
with the title alone).
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_ingest import index_state_in_new_process

from eval.metrics import percentile

from .conftest import SEEDS, meetrag_command, server_env

pytestmark = pytest.mark.slow

QUESTIONS = [
    ("座谈会由谁主持?", "刘玉杰"),
    ("座谈会一共有多少名书记出席?", "84"),
    ("“1331”基层党建现场会在哪里召开?", "凤埔乡"),
    ("县委书记是谁?", "谢再春"),
    ("“1331”基层党建格局的核心载体是什么?", "民富中心"),
    ("该区发展了多少家农民合作社?", "210"),
    ("成立了多少个“一亲三心”工作队?", "70"),
    ("协调解决群众“急难盼愁”问题多少个?", "149"),
    ("全区家庭农场有多少家?", "150"),
    ("推进会在什么时候召开?", "10月8日-9日"),
]
N_QUESTIONS = 20
NEW_NAME = "青禾县档案数字化测试协调会.txt"
NEW_TEXT = (
    "青禾县档案数字化测试协调会\n"
    "4月2日上午,青禾县档案数字化测试协调会在县档案馆召开,县档案馆馆长林秋禾主持会议。"
    "各乡镇档案员共31人参加会议。\n"
    "会议要求各乡镇在7月底前完成历史档案扫描,9月底前完成目录著录。\n"
)
NEW_QUESTION, NEW_ANSWER = "档案数字化测试协调会由谁主持?", "林秋禾"
REQUEST_TIMEOUT_S = 60  # one question or the ingest, queueing included
TOTAL_BUDGET_S = 90  # the concurrent phase, start to last answer (typically 1.5-3 s)
OUTPUT = Path(__file__).resolve().parents[1] / "output" / "concurrency.json"


# --- the browser's protocol for UI events (upload, then queue/join + SSE) ----------------------


class UiSession:
    """One browser tab's session: fires the page's own events (``api_visibility="private"`` ones
    included) the way the page does, so component updates persist between its events."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)
        self.config = self.http.get("config").raise_for_status().json()
        self.api = self.config.get("api_prefix", "/gradio_api").strip("/")
        self.session = uuid.uuid4().hex

    def __enter__(self) -> UiSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def upload(self, path: Path) -> dict[str, Any]:
        """POST one file to Gradio's upload route; the FileData the upload component then sends."""
        with path.open("rb") as f:
            r = self.http.post(f"{self.api}/upload", files={"files": (path.name, f, "text/plain")})
        [server_path] = r.raise_for_status().json()
        return {"path": server_path, "orig_name": path.name, "meta": {"_type": "gradio.FileData"}}

    def click(self, elem_id: str, data: list[Any], timeout: float = REQUEST_TIMEOUT_S) -> list[Any]:
        """Click button ``elem_id`` with ``data`` as the inputs, then run its ``.then`` steps as the page
        does; the click's own outputs."""
        button = next(c["id"] for c in self.config["components"] if c.get("props", {}).get("elem_id") == elem_id)
        dep = next(d for d in self.config["dependencies"] if [button, "click"] in d["targets"])
        outputs = self.run(dep["id"], data, button, timeout)
        for then in (d for d in self.config["dependencies"] if d.get("trigger_after") == dep["id"]):
            self.run(then["id"], [], None, timeout)
        return outputs

    def run(self, fn_index: int, data: list[Any], trigger: int | None, timeout: float) -> list[Any]:
        deadline = time.monotonic() + timeout
        body = {"data": data, "fn_index": fn_index, "trigger_id": trigger, "session_hash": self.session,
                "event_data": None}
        self.http.post(f"{self.api}/queue/join", json=body).raise_for_status()
        with self.http.stream("GET", f"{self.api}/queue/data", params={"session_hash": self.session}) as sse:
            sse.raise_for_status()
            for line in sse.iter_lines():  # a heartbeat at least every 15 s keeps the deadline checked
                if time.monotonic() > deadline:
                    raise TimeoutError(f"event {fn_index}: no result within {timeout:.0f} s")
                if not line.startswith("data:"):
                    continue
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    if not msg.get("success"):
                        raise RuntimeError(f"event {fn_index} failed: {msg.get('output')}")
                    return msg["output"]["data"]
                if msg.get("msg") in ("unexpected_error", "close_stream"):
                    raise RuntimeError(f"event {fn_index}: {msg}")
        raise RuntimeError(f"event {fn_index}: the event stream ended without a result")


def docs_list(home: Path) -> list[dict]:
    run = subprocess.run([*meetrag_command(), "--home", str(home), "docs", "list", "--json"],
                         env=server_env(home), capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]


# --- the test ------------------------------------------------------------------------------------


def test_twenty_questions_and_one_ingest_at_once(server, tmp_path):
    from gradio_client import Client

    before = {d["doc_id"] for d in docs_list(server.home)}
    assert {Path(d["source"]).stem for d in docs_list(server.home)} >= {p.stem for p in SEEDS.glob("*.txt")}
    log_start = server.log.stat().st_size
    new_file = tmp_path / NEW_NAME
    new_file.write_text(NEW_TEXT, encoding="utf-8")

    asked = (QUESTIONS * 2)[:N_QUESTIONS]
    with ThreadPoolExecutor(max_workers=8) as pool:  # one client per simulated user
        clients = list(pool.map(lambda _: Client(server.url, verbose=False), asked))
    go = threading.Barrier(N_QUESTIONS + 1, timeout=60)
    t_zero = time.perf_counter()

    def ask(pair):
        client, (question, want) = pair
        go.wait()
        t0 = time.perf_counter()
        answer = client.submit(question, "", "", api_name="/ask").result(timeout=REQUEST_TIMEOUT_S)
        return question, want, answer, t0 - t_zero, time.perf_counter() - t_zero

    tab = UiSession(server.url)  # the 文档管理 page, opened before the rush

    def ingest():
        go.wait()
        t0 = time.perf_counter()
        outputs = tab.click("ingest", [[tab.upload(new_file)]])  # then refreshes the lists, as the page does
        return outputs, t0 - t_zero, time.perf_counter() - t_zero

    with ThreadPoolExecutor(max_workers=N_QUESTIONS + 1) as pool:
        started = time.perf_counter()
        futures = [pool.submit(ask, pair) for pair in zip(clients, asked, strict=True)]
        ingested = pool.submit(ingest)
        results = [f.result(timeout=TOTAL_BUDGET_S) for f in futures]  # re-raises a thread's error
        (table, status, cleared), ingest_start, ingest_end = ingested.result(timeout=TOTAL_BUDGET_S)
        wall = time.perf_counter() - started
        list(pool.map(Client.close, clients))  # each waits up to 1 s for its heartbeat thread

    wrong = [(q, want, a.get("error") or a["answer"][:80]) for q, want, a, _, _ in results
             if "error" in a or a["refused"] or want not in a["answer"]]
    latencies = [(end - start) * 1000 for *_, start, end in results]
    during = sum(start < ingest_end and end > ingest_start for *_, start, end in results)
    stats = {
        "requests": len(results),
        "concurrency": N_QUESTIONS,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1),
        "ingest_ms": round((ingest_end - ingest_start) * 1000, 1),
        "questions_overlapping_ingest": during,
        "wall_ms": round(wall * 1000, 1),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(stats, indent=1), encoding="utf-8")
    print(f"\nconcurrency: {stats}")

    detail = f"\n--- server log ---\n{server.log_tail()}"
    assert not wrong, f"wrong answers while ingesting: {wrong}{detail}"
    assert wall < TOTAL_BUDGET_S, stats
    assert during > 0, stats  # the ingest really ran while questions were in flight
    # The result table is HTML (render.table_html), sent as an update that also shows it.
    html = table.get("value", "") if isinstance(table, dict) else str(table)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>.*?</td><td>(\d*)</td>", html)
    assert "导入完成" in status and "新增 1 个" in status, f"{status} {html}{detail}"
    assert [r[:2] for r in rows] == [(NEW_NAME, "新增")] and int(rows[0][2]) > 0, html
    assert cleared is None  # the upload box is emptied, as in the browser

    # From here the document is in the session's server: take it out again at the end, in the same
    # tab (whose 删除 list the post-ingest refresh filled), so the tests after this one find it as it was.
    try:
        # The new document is searchable through the same running server.
        client = Client(server.url, verbose=False)
        later = client.submit(NEW_QUESTION, "", "", api_name="/ask").result(timeout=REQUEST_TIMEOUT_S)
        client.close()
        after = docs_list(server.home)
        added = [d for d in after if d["doc_id"] not in before]
        assert len(added) == 1 and len(after) == len(before) + 1, after  # nothing lost, nothing doubled
        assert NEW_ANSWER in later["answer"] and later["citations"][0]["doc_id"] == added[0]["doc_id"], later

        # The index is whole: SQLite and Chroma agree on every chunk of every document.
        state = index_state_in_new_process(server.home)
        assert state["problems"] == [] and state["orphans"] == [], state
        assert set(state["docs"]) == {d["doc_id"] for d in after}, state
        assert state["vectors"] == sum(d["chunks"] for d in state["docs"].values()), state
        log = server.log.read_bytes()[log_start:].decode("utf-8", errors="replace")
        assert "Traceback" not in log and "ERROR" not in log, log[-3000:]
    finally:
        with tab:
            for doc in [d for d in docs_list(server.home) if d["doc_id"] not in before]:
                [message] = tab.click("remove", [doc["doc_id"]])
                assert "已删除" in message, message
    assert {d["doc_id"] for d in docs_list(server.home)} == before
