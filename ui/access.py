"""What stands in front of the Gradio app: the Host check, the login check and its rate limit.

Two small ASGI middlewares, passed to Gradio through ``launch(app_kwargs=...)``:

- :class:`HostCheck` refuses a request whose ``Host`` header is not a name of this
  app. A DNS-rebinding page (``attacker.example`` resolving to 127.0.0.1) reaches
  the loopback port from the victim's browser, but its requests say
  ``Host: attacker.example``: refusing them keeps the documents unreadable.
- :class:`LoginLimiter` counts failed ``POST /login`` per client address (Gradio's
  ``auth=`` callable never sees the address, the middleware does) and refuses
  further attempts for a while after too many.

:func:`password_check` is the ``auth=`` callable, comparing in constant time.
Not covered on purpose: ``X-Forwarded-For`` is not trusted (anyone can send it),
so behind a reverse proxy every client shares the proxy's address and its limit.
"""

from __future__ import annotations

import hmac
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
MAX_FAILURES = 5
WINDOW_S = 60.0
LOCKOUT_S = 60.0


def password_check(user: str, password: str) -> Callable[[str, str], bool]:
    """Gradio's ``auth=`` callable for one account; both halves compared in constant time."""
    want_user, want_password = user.encode(), password.encode()

    def check(username: str, given: str) -> bool:
        # Both comparisons always run: a wrong user name takes as long as a wrong password.
        user_ok = hmac.compare_digest(username.encode(), want_user)
        password_ok = hmac.compare_digest(given.encode(), want_password)
        return user_ok and password_ok

    return check


def _split_host(value: str) -> tuple[str, str | None]:
    """``'Example.org:7860'`` -> ``('example.org', '7860')``; ``'[::1]:80'`` -> ``('[::1]', '80')``."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value.partition("]")
        return name + "]", rest[1:] if rest.startswith(":") else None
    name, colon, port = value.rpartition(":")
    return (name, port) if colon else (value, None)


def allowed_hosts(bound: str, port: int, extra: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The exact ``Host`` values accepted, and the names accepted with any port.

    The bound address and the loopback names need the app's port (``localhost:7860``);
    an ``extra`` entry with a port needs that port, one without (``meet.example.org``,
    as a reverse proxy on 443 forwards it) takes any."""
    bound = f"[{bound}]" if ":" in bound and not bound.startswith("[") else bound
    exact = {f"{name}:{port}" for name in (*LOOPBACK_NAMES, bound.lower())}
    if port == 80:
        exact |= {name for name in (*LOOPBACK_NAMES, bound.lower())}
    any_port: set[str] = set()
    for entry in extra:
        name, entry_port = _split_host(entry)
        if entry_port:
            exact.add(f"{name}:{entry_port}")
        else:
            any_port.add(name)
    return frozenset(exact), frozenset(any_port)


class HostCheck:
    """Answer 400 to any HTTP or websocket request whose ``Host`` is not one of ours."""

    def __init__(self, app: ASGIApp, bound: str, port: int, extra: Iterable[str] = ()) -> None:
        self.app = app
        self.exact, self.any_port = allowed_hosts(bound, port, extra)

    def accepts(self, host: str) -> bool:
        name, _ = _split_host(host)
        return host.strip().lower() in self.exact or name in self.any_port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.accepts(Headers(scope=scope).get("host", "")):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        response = PlainTextResponse(
            "请求的主机名不被接受 / Host not allowed: open the app at its own address, "
            "or add the name to MEETRAG_ALLOWED_HOSTS.\n", status_code=400)
        await response(scope, receive, send)


class LoginLimiter:
    """After ``MAX_FAILURES`` failed logins from one address within ``WINDOW_S`` seconds,
    answer 429 to that address's logins for ``LOCKOUT_S`` seconds.

    A failure is Gradio's answer 400 ("Incorrect credentials") to ``POST /login``;
    a success clears the address's count."""

    def __init__(self, app: ASGIApp, max_failures: int = MAX_FAILURES, window_s: float = WINDOW_S,
                 lockout_s: float = LOCKOUT_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.max_failures, self.window_s, self.lockout_s, self.clock = max_failures, window_s, lockout_s, clock
        self.failures: dict[str, deque[float]] = {}
        self.locked_until: dict[str, float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != "/login":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "?"
        now = self.clock()
        wait = self.locked_until.get(address, 0.0) - now
        if wait <= 0:
            self.locked_until.pop(address, None)
        else:
            response = PlainTextResponse(
                f"登录失败次数过多,请 {wait:.0f} 秒后再试 / Too many failed logins: try again in {wait:.0f} s.\n",
                status_code=429, headers={"Retry-After": f"{wait:.0f}"})
            await response(scope, receive, send)
            return
        status: dict[str, Any] = {}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        if status.get("code") == 400:
            self._fail(address, self.clock())
        elif status.get("code") == 200:
            self.failures.pop(address, None)

    def _fail(self, address: str, now: float) -> None:
        if len(self.failures) > 1000:  # many addresses: forget those with no failure in the window
            self.failures = {a: q for a, q in self.failures.items() if q and q[-1] > now - self.window_s}
        recent = self.failures.setdefault(address, deque())
        recent.append(now)
        while recent[0] <= now - self.window_s:
            recent.popleft()
        if len(recent) >= self.max_failures:
            self.locked_until[address] = now + self.lockout_s
            del self.failures[address]
