"""Who may reach the web app: Host check and login rate limit, on a real server on loopback."""

from __future__ import annotations

import http.client
import socket
import urllib.parse

import pytest

from rag.settings import load_settings
from ui.access import HostCheck, LoginLimiter, password_check
from ui.app import build_app, launch_options


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(port: int, method: str, path: str, host: str | None = None, body: dict | None = None,
            headers: dict | None = None) -> tuple[int, str, dict[str, str]]:
    """One request to 127.0.0.1:``port`` with the ``Host`` header given (the right one by default)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        hdrs = {"Host": host or f"127.0.0.1:{port}", **(headers or {})}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=hdrs)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace"), {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()


@pytest.fixture(scope="module", params=["open", "login"])
def served(request, tmp_path_factory):
    """A launched app on a free loopback port: without a login ("open") or with one ("login")."""
    env = {"MEETRAG_ALLOWED_HOSTS": "meet.example.org, lan-box:9999"}
    if request.param == "login":
        env |= {"MEETRAG_AUTH_USER": "staff", "MEETRAG_AUTH_PASSWORD": "密码s3cret"}
    settings = load_settings(environ=env, home=tmp_path_factory.mktemp("home"), port=free_port())
    app = build_app(settings)
    app.launch(prevent_thread_lock=True, quiet=True, **launch_options(settings))
    yield request.param, settings.port
    app.close()


def test_a_forged_host_is_refused_and_the_right_ones_served(served):
    kind, port = served
    ok = 200 if kind == "open" else 401  # with a login, /config waits for one
    # A DNS-rebinding page: its own name as Host, its own origin.
    status, text, _ = request(port, "GET", "/config", host="attacker.example",
                                    headers={"Origin": "http://attacker.example"})
    assert status == 400 and "Host not allowed" in text and "主机名" in text
    # Gradio's CORS layer (outside ours) may still allow the origin: it can read only the refusal.
    assert "components" not in text and len(text) < 200
    assert request(port, "GET", "/config", host=f"attacker.example:{port}")[0] == 400
    assert request(port, "GET", "/config", host="localhost:1")[0] == 400  # right name, wrong port
    assert request(port, "GET", "/config", host="lan-box:7860")[0] == 400
    for host in (None, f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}", "meet.example.org",
                 "meet.example.org:443", "lan-box:9999"):
        assert request(port, "GET", "/config", host=host)[0] == ok, host


@pytest.mark.parametrize("served", ["login"], indirect=True)
def test_failed_logins_are_limited_per_address(served):
    _, port = served
    wrong = {"username": "staff", "password": "guess"}
    for _ in range(5):
        assert request(port, "POST", "/login", body=wrong)[0] == 400
    status, text, headers = request(port, "POST", "/login", body={"username": "staff", "password": "密码s3cret"})
    assert status == 429 and "Too many failed logins" in text and int(headers["retry-after"]) > 0


def test_login_accepts_the_account_only():
    check = password_check("staff", "密码s3cret")
    assert check("staff", "密码s3cret")
    assert not check("staff", "密码s3cre") and not check("Staff", "密码s3cret") and not check("", "")


async def _run(app, method: str, path: str) -> int:
    status: list[int] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    scope = {"type": "http", "method": method, "path": path, "headers": [], "client": ("10.0.0.7", 5000)}
    await app(scope, receive, send)
    return status[0]


def test_login_limiter_counts_within_the_window_and_releases_after_the_lockout():
    import asyncio

    async def gradio_login(scope, receive, send):  # answers every login "Incorrect credentials"
        await send({"type": "http.response.start", "status": 400, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    now = [0.0]
    limiter = LoginLimiter(gradio_login, clock=lambda: now[0])

    def attempt(path: str = "/login") -> int:
        return asyncio.run(_run(limiter, "POST", path))

    for t in (0, 10, 20, 30):
        now[0] = t
        assert attempt() == 400
    now[0] = 61  # the failure at 0 s has left the window: 4 within it, not 5
    assert attempt() == 400
    now[0] = 62
    assert attempt() == 400  # the fifth within 60 s
    assert attempt() == 429 and attempt("/login/") == 429
    assert asyncio.run(_run(limiter, "GET", "/config")) == 400  # other routes untouched
    now[0] = 122.5
    assert attempt() == 400


@pytest.mark.parametrize(
    ("bound", "host", "accepted"),
    [
        ("127.0.0.1", "127.0.0.1:7860", True),
        ("127.0.0.1", "127.0.0.1", False),
        ("127.0.0.1", "", False),
        ("0.0.0.0", "0.0.0.0:7860", True),
        ("0.0.0.0", "192.168.1.5:7860", False),
        ("::1", "[::1]:7860", True),
        ("192.168.1.5", "192.168.1.5:7860", True),
        ("127.0.0.1", "evil.example", False),
    ],
)
def test_host_check_accepts_the_names_of_the_app(bound, host, accepted):
    assert HostCheck(lambda *a: None, bound, 7860).accepts(host) is accepted
