"""`meetrag serve`: start the web app on this machine and block until Ctrl+C.

Binds ``settings.host`` (127.0.0.1 by default) and asks for a password when
``MEETRAG_AUTH_USER``/``MEETRAG_AUTH_PASSWORD`` are set; ``Settings`` refuses
an empty one, and a non-loopback host without them. The pipeline is created once
and warmed (one retrieval) before the port opens, so the first question is as
fast as the rest.
Gradio is imported inside ``run`` so ``meetrag --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
import time

from rag.errors import SettingsError
from rag.settings import Settings

HELP = "start the web app (问答, 会议纪要, 文档管理, 评测) in the browser"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="address to bind (default: MEETRAG_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: MEETRAG_PORT or 7860)")
    p.add_argument("--open", action="store_true", help="open the app in the default browser")
    p.add_argument("--no-warm", action="store_true", help="skip loading the model before serving")


def with_overrides(settings: Settings, host: str | None, port: int | None) -> Settings:
    """``settings`` with --host/--port applied and validated again (a public host needs auth)."""
    from pydantic import ValidationError

    update = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    if not update:
        return settings
    try:
        return Settings(**{**settings.model_dump(), **update})
    except ValidationError as e:
        raise SettingsError("; ".join(err["msg"] for err in e.errors())) from e


def run(args: argparse.Namespace, settings: Settings) -> int:
    settings = with_overrides(settings, args.host, args.port)
    from ui.app import build_app, launch_options
    from ui.callbacks import Engines

    engines = Engines(settings)
    if not args.no_warm:
        print("meetrag: loading the model and index…", file=sys.stderr, flush=True)
        seconds = engines.warm()
        print(f"meetrag: ready in {seconds:.1f} s", file=sys.stderr, flush=True)
    app = build_app(settings, engines)
    app.queue(max_size=64)
    started = time.perf_counter()
    app.launch(inbrowser=args.open, prevent_thread_lock=False, quiet=False, **launch_options(settings))
    print(f"meetrag: stopped after {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0
