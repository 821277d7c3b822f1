"""`meetrag ingest PATH...`: index files and folders."""

from __future__ import annotations

import argparse
import json
import sys

from rag.settings import Settings

HELP = "index files or folders (.txt .md .html .docx .pdf; UTF-8, GBK/GB18030, Big5)"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from rag.ingest import ingest_paths

    bar = tqdm(total=0, unit="file", file=sys.stderr, disable=not sys.stderr.isatty() and args.json,
               leave=False)

    def progress(done: int, total: int, name: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(name[:30])
        bar.refresh()

    try:
        report = ingest_paths(args.paths, settings, progress=progress)
    finally:
        bar.close()  # before any error line, so it does not share the bar's line
    for r in report.failed:
        print(f"failed: {r.path}: {r.reason}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        changed = report.count("added") + report.count("replaced")
        print(
            f"{changed} documents indexed ({report.count('added')} added, {report.count('replaced')} replaced), "
            f"{report.chunks} chunks; {report.count('unchanged')} unchanged; {len(report.failed)} failed "
            f"[{report.seconds:.1f} s]"
        )
    return 1 if report.failed else 0
