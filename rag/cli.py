"""The ``meetrag`` command line. Each sub-command lives in its own module.

A command module defines ``HELP`` (one line), ``configure(parser)`` and
``run(args, settings) -> int``. Modules import heavy libraries inside ``run``,
so ``meetrag --help`` answers at once.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from types import ModuleType

from rag.errors import MeetragError

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

    try:
        settings = load_settings(home=args.home)
        return int(args._module.run(args, settings) or 0)
    except MeetragError as e:
        print(f"meetrag: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("meetrag: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # a bug: say so in one line; --debug shows the traceback
        if args.debug:
            raise
        print(f"meetrag: internal error: {type(e).__name__}: {e} (re-run with --debug and report it)",
              file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
