"""The ``meetrag`` command line. Each sub-command lives in its own module.

A command module defines ``HELP`` (one line), ``configure(parser)`` and
``run(args, settings) -> int``. Modules import heavy libraries inside ``run``,
so ``meetrag --help`` answers at once.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from rag.errors import MeetragError

if TYPE_CHECKING:
    from rag.settings import Settings

COMMANDS: dict[str, str] = {
    "ingest": "rag.commands.ingest",
    "ask": "rag.commands.ask",
    "docs": "rag.commands.docs",
    "summarize": "rag.commands.summarize",
    "eval": "eval.command",
    "bench": "eval.bench_command",
    "serve": "ui.command",
}


def _load(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(COMMANDS[name])
    except ModuleNotFoundError as e:
        if e.name and COMMANDS[name].startswith(e.name):
            return None  # command not built in this checkout
        raise


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meetrag",
        description="Offline Q&A and structured summaries for Chinese meeting documents.",
    )
    parser.add_argument("--home", help="data directory (default: $MEETRAG_HOME or ./.meetrag)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = _load(name)
        if module is None:
            continue
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(p)
        p.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_module", None):
        parser.print_help()
        return 2
    from rag.settings import load_settings

    settings: Settings | None = None
    try:
        settings = load_settings(home=args.home)
        return int(args._module.run(args, settings) or 0)
    except MeetragError as e:
        print(f"meetrag: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("meetrag: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `meetrag docs list | head -1`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 141
    except Exception as e:
        if settings is not None and (known := explain(e, args, settings)):
            print(f"meetrag: error: {known}", file=sys.stderr)
            return 1
        if args.debug:  # a bug: say so in one line; --debug shows the traceback
            raise
        print(f"meetrag: internal error: {type(e).__name__}: {e} (re-run with --debug and report it)",
              file=sys.stderr)
        return 70


def explain(e: Exception, args: argparse.Namespace, settings: Settings) -> str | None:
    """A one-line message naming the fix for a fault of the environment that reached
    the top without one (a library's own error, a file under the data directory), or
    None for a bug."""
    import errno
    import sqlite3

    if isinstance(e, sqlite3.Error):  # e.g. from a module that opens the index itself
        from rag.connection import sqlite_error

        known = sqlite_error(e, settings.db_path)
        return str(known) if isinstance(known, MeetragError) else None
    if not isinstance(e, OSError):
        return None
    if args.command == "serve" and (e.errno == errno.EADDRINUSE or "Cannot find empty port" in str(e)):
        host, port = getattr(args, "host", None) or settings.host, getattr(args, "port", None) or settings.port
        return (f"port {port} on {host} is already in use (another `meetrag serve`?): start on another port "
                f"with `meetrag serve --port {_free_port(host, port)}` (or set MEETRAG_PORT), "
                "or stop the program using it")
    home = Path(settings.home).resolve()
    name = Path(os.fsdecode(e.filename)).resolve() if e.filename else None
    if name is not None and (name == home or home in name.parents):
        from rag.errors import DataDirError

        return str(DataDirError.from_os_error(Path(settings.home), e, "use"))
    return None


def _free_port(host: str, busy: int) -> int:
    """A port near ``busy`` that is free now, to suggest (0 picks any)."""
    import socket

    for port in [*range(busy + 1, min(busy + 20, 65535) + 1), 0]:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    return busy + 1


if __name__ == "__main__":
    sys.exit(main())
