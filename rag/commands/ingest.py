"""`meetrag ingest PATH...`: index files and folders.

On a terminal, progress is one redrawn bar; otherwise (a log file, a pipe, CI)
one line per file, since a redrawn bar would write each redraw into the log. Both
say how long the rest will take once the pace is known. A large file also reports
every 64 chunks embedded, so a long file never looks stuck.

An interrupted ingest (Ctrl-C, a kill) keeps every document it had written; the same
command again skips them as unchanged (each is read and cleaned to know it, ~2 ms,
never chunked or embedded again) and goes on with the rest.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import deque
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


def duration(seconds: float) -> str:
    """``3 h 05 min``, ``12 min 40 s``, ``35 s``: rounded to what a reader plans by."""
    s = round(seconds)
    if s >= 3600:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    if s >= 60:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s} s"


class Eta:
    """Time left, from the pace of the last ``window`` files. A window, not the whole
    run: a resumed ingest first skips its finished files in milliseconds each, and an
    average over them would promise far too little; they leave the window."""

    MIN_LEFT_S = 5.0

    def __init__(self, window: int = 50, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.marks: deque[tuple[int, float]] = deque(maxlen=window + 1)

    def left(self, done: int, total: int) -> str:
        """``"12 min 40 s left"``; ``""`` until a few files have set the pace, and when
        less than ``MIN_LEFT_S`` is left (a small folder gets no countdown)."""
        now = self.clock()
        self.marks.append((done, now))
        (d0, t0), (d1, t1) = self.marks[0], self.marks[-1]
        if len(self.marks) < 4 or d1 <= d0 or t1 - t0 < 1.0:
            return ""
        seconds = (total - d1) * (t1 - t0) / (d1 - d0)
        return f"{duration(seconds)} left" if seconds >= self.MIN_LEFT_S else ""


def _progress_lines(eta: Eta) -> Callable[[int, int, str], None]:
    def progress(done: int, total: int, name: str) -> None:
        if name:
            left = eta.left(done, total)
            print(f"[{done + 1}/{total}] {one_line(name)}" + (f" ({left})" if left else ""),
                  file=sys.stderr, flush=True)

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


def _progress_bar(bar, eta: Eta) -> Callable[[int, int, str], None]:
    def progress(done: int, total: int, name: str) -> None:
        bar.total = total
        bar.n = done
        left = eta.left(done, total)
        bar.set_postfix_str(one_line(name)[:30] + (f", {left}" if left else ""))
        bar.refresh()

    return progress


def _interrupted(started: int, total: int) -> None:
    print(f"meetrag: ingest interrupted at file {started} of {total}; the documents already indexed "
          "are kept: run the same command again to go on (finished files are skipped)",
          file=sys.stderr, flush=True)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from rag.ingest import ingest_paths

    bar = None
    eta = Eta()
    progress, chunks = _progress_lines(eta), _chunk_lines()
    if sys.stderr.isatty():
        from tqdm import tqdm

        # tqdm's own estimate averages over the whole run (see Eta): ours goes in the postfix.
        bar = tqdm(total=0, unit="file", file=sys.stderr, leave=False,
                   bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]")
        progress, chunks = _progress_bar(bar, eta), _chunk_bar(bar)
    seen = [0, 0]  # files started, of total

    def tracked(done: int, total: int, name: str) -> None:
        seen[:] = [done + 1 if name else done, total]
        progress(done, total, name)

    try:
        report = ingest_paths(args.paths, settings, progress=tracked, chunk_progress=chunks)
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
            bar = None
        if seen[1]:
            _interrupted(*seen)
        raise
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
