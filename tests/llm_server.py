"""A real, scripted OpenAI-compatible HTTP server on loopback, for wire tests.

It speaks just enough of the OpenAI API for ``langchain_openai.ChatOpenAI`` and
the ``openai`` client: ``POST /v1/chat/completions`` (plain JSON, or SSE when the
request says ``"stream": true``) and ``GET /v1/models``. A test scripts the
replies and then inspects what the client really sent::

    server.enqueue("会议成立了70支队伍。[1]")        # text
    server.enqueue(lambda req: "...")                 # computed from the request JSON
    server.enqueue("model 'x' not found", status=404) # an OpenAI-style error
    server.enqueue("慢", "慢", delay_s=5)             # answer late (timeout tests)
    ...
    server.requests[-1]["messages"]                   # the JSON bodies received
    server.headers[-1]["authorization"]               # and their headers

Left out on purpose: tools/function calling, n > 1, logprobs, the Responses API,
authentication checks. Everything is bounded: request sockets time out,
delays are interruptible, and ``close()`` stops the thread.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from rag.settings import Settings

MAX_BODY_BYTES = 5 * 1024 * 1024
SOCKET_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class ScriptedReply:
    """One scripted answer. ``status`` != 200 sends an OpenAI-style error body
    with ``text`` as its message; ``delay_s`` waits before answering (for timeout
    tests); ``chunk_chars`` sets the size of the streamed deltas."""

    text: str = ""
    status: int = 200
    delay_s: float = 0.0
    chunk_chars: int = 2
    stall_s: float = 0.0  # streaming only: pause after the first content chunk


Reply = str | Callable[[dict[str, Any]], str] | ScriptedReply


@dataclass(frozen=True)
class _Computed:
    make: Callable[[dict[str, Any]], str]
    options: dict[str, Any]


class ScriptedLLMServer:
    """Start with ``start()`` (or use as a context manager); ``base_url`` ends in ``/v1``."""

    def __init__(self, model: str = "test-model") -> None:
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []  # request headers, parallel to ``requests``
        self.errors: list[str] = []  # protocol problems seen server-side, for assertions
        self._replies: deque[ScriptedReply | _Computed] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- scripting -----------------------------------------------------------

    def enqueue(
        self,
        *replies: Reply,
        status: int = 200,
        delay_s: float = 0.0,
        chunk_chars: int = 2,
        stall_s: float = 0.0,
    ) -> None:
        """Queue replies; each chat request consumes one, in order. The keyword
        options (see ``ScriptedReply``) apply to the text and callable replies of this call."""
        options: dict[str, Any] = {"status": status, "delay_s": delay_s, "chunk_chars": chunk_chars, "stall_s": stall_s}
        with self._lock:
            for reply in replies:
                if isinstance(reply, str):
                    reply = ScriptedReply(text=reply, **options)
                elif not isinstance(reply, ScriptedReply):
                    reply = _Computed(reply, options)
                self._replies.append(reply)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._replies)

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("server not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    # --- lifecycle -------------------------------------------------------------

    def start(self) -> ScriptedLLMServer:
        handler = type("Handler", (_Handler,), {"owner": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()  # wakes handlers sleeping in a scripted delay
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> ScriptedLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- used by the handler -------------------------------------------------

    def _next_reply(self, request: dict[str, Any], headers: dict[str, str]) -> ScriptedReply:
        with self._lock:
            self.requests.append(request)
            self.headers.append(headers)
            reply = self._replies.popleft() if self._replies else None
        if reply is None:
            self.errors.append("chat request with no scripted reply queued")
            return ScriptedReply(status=500, text="no scripted reply queued: call server.enqueue(...) first")
        if isinstance(reply, _Computed):
            return ScriptedReply(text=reply.make(request), **reply.options)
        return reply

    def _sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    owner: ScriptedLLMServer
    timeout = SOCKET_TIMEOUT_S  # socket timeout for reading a request
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output clean

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (a timeout test): nothing left to answer

    # --- routes ----------------------------------------------------------------

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            data = [{"id": self.owner.model, "object": "model", "created": 0, "owned_by": "tests"}]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_error(404, f"no route GET {self.path}")

    def do_POST(self) -> None:
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_error(404, f"no route POST {self.path}")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._send_error(413, "request body too large")
            return
        try:
            request = json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            self.owner.errors.append(f"bad JSON body: {e}")
            self._send_error(400, f"bad JSON body: {e}")
            return
        if not isinstance(request.get("messages"), list) or not request.get("model"):
            self.owner.errors.append(f"request without model/messages: {request!r}")
            self._send_error(400, "'model' and 'messages' are required")
            return
        reply = self.owner._next_reply(request, {k.lower(): v for k, v in self.headers.items()})
        if reply.delay_s:
            self.owner._sleep(reply.delay_s)
        if reply.status != 200:
            self._send_error(reply.status, reply.text)
        elif request.get("stream"):
            self._send_stream(request, reply)
        else:
            self._send_json(200, _completion(request, reply.text))

    # --- responses -----------------------------------------------------------

    def _send_json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_error(self, status: int, message: str) -> None:
        kind = "not_found_error" if status == 404 else "invalid_request_error"
        self._send_json(status, {"error": {"message": message, "type": kind, "code": None}})

    def _send_stream(self, request: dict[str, Any], reply: ScriptedReply) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")  # the end of the body is the end of the stream
        self.end_headers()
        self.close_connection = True
        for k, chunk in enumerate(_stream_chunks(request, reply)):
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
            if k == 1 and reply.stall_s:
                self.owner._sleep(reply.stall_s)
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def _completion(request: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request["model"],
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
        "usage": _usage(request, text),
    }


def _stream_chunks(request: dict[str, Any], reply: ScriptedReply) -> Iterator[dict[str, Any]]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": request["model"],
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    yield chunk({"role": "assistant", "content": ""})
    size = max(1, reply.chunk_chars)
    for i in range(0, len(reply.text), size):
        yield chunk({"content": reply.text[i : i + size]})
    yield chunk({}, "stop")
    if (request.get("stream_options") or {}).get("include_usage"):
        yield {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": request["model"],
            "choices": [],
            "usage": _usage(request, reply.text),
        }


def _usage(request: dict[str, Any], text: str) -> dict[str, int]:
    # Characters stand in for tokens: enough for clients that read the field.
    prompt = sum(len(str(m.get("content", ""))) for m in request["messages"])
    return {"prompt_tokens": prompt, "completion_tokens": len(text), "total_tokens": prompt + len(text)}


def free_port() -> int:
    """A loopback port nobody listens on (for connection-refused tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- pytest plugin -------------------------------------------------------------


@pytest.fixture
def llm_server() -> Iterator[ScriptedLLMServer]:
    """A started scripted server, closed at teardown."""
    with ScriptedLLMServer() as server:
        yield server


@pytest.fixture
def unreachable_llm_url() -> str:
    """An OpenAI-style base URL on a loopback port where nothing listens."""
    return f"http://127.0.0.1:{free_port()}/v1"


@pytest.fixture
def llm_settings(llm_server: ScriptedLLMServer, tmp_path: Any) -> Settings:
    """Settings pointing at ``llm_server``, with a short timeout so failures are quick."""
    return Settings(
        home=tmp_path / "meetrag-home",
        llm_base_url=llm_server.base_url,
        llm_model=llm_server.model,
        llm_timeout_s=10.0,
    )
