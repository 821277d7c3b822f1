"""`meetrag ingest PATH...`: index files and folders.

On a terminal, progress is one redrawn bar; otherwise (a log file, a pipe, CI)
one line per file, since a redrawn bar would write each redraw into the log. A large
file also reports every 64 chunks embedded, so a long file never looks stuck.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from rag.settings import Settings

HELP = "index files or folders (.txt .md .html .docx .pdf; UTF-8, GBK/GB18030, Big5)"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def one_line(text: str) -> str:
    """``text`` fit for one line of output: control characters (a newline in a file
    name) and undecodable bytes shown as escapes, so one file stays one line."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")  # bytes as \xd5
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _progress_lines() -> Callable[[int, int, str], None]:
    def progress(done: int, total: int, name: str) -> None:
        if name:
            print(f"[{done + 1}/{total}] {one_line(name)}", file=sys.stderr, flush=True)

    return progress


def _chunk_lines() -> Callable[[int, int, str], None]:
    def progress(done: int, total: int, name: str) -> None:
        print(f"  {one_line(name)}: {done}/{total} chunks embedded", file=sys.stderr, flush=True)

    return progress


def _chunk_bar(bar) -> Callable[[int, int, str], None]:
    def progress(done: int, total: int, name: str) -> None:
        bar.set_postfix_str(f"{one_line(name)[:24]} {done}/{total} chunks")
        bar.refresh()

    return progress


def _progress_bar(bar) -> Callable[[int, int, str], None]:
    def progress(done: int, total: int, name: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(one_line(name)[:30])
        bar.refresh()

    return progress


def run(args: argparse.Namespace, settings: Settings) -> int:
    from rag.ingest import ingest_paths

    bar = None
    progress, chunks = _progress_lines(), _chunk_lines()
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=0, unit="file", file=sys.stderr, leave=False)
        progress, chunks = _progress_bar(bar), _chunk_bar(bar)

    try:
        report = ingest_paths(args.paths, settings, progress=progress, chunk_progress=chunks)
    finally:
        if bar is not None:
            bar.close()  # before any error line, so it does not share the bar's line
    for r in report.results:
        if r.status in ("failed", "skipped"):
            print(one_line(f"{r.status}: {r.path}: {r.reason}"), file=sys.stderr)
    if report.restored_docs:
        print(f"meetrag: the vector index had lost the vectors of {report.restored_chunks} chunks of "
              f"{report.restored_docs} documents: re-embedded them", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        changed = report.count("added") + report.count("replaced")
        skipped = report.count("skipped")
        print(
            f"{changed} documents indexed ({report.count('added')} added, {report.count('replaced')} replaced), "
            f"{report.chunks} chunks; {report.count('unchanged')} unchanged; {len(report.failed)} failed"
            + (f"; {skipped} skipped" if skipped else "")
            + (f"; vectors restored for {report.restored_docs} documents" if report.restored_docs else "")
            + f" [{report.seconds:.1f} s]"
        )
    return 1 if report.failed else 0
