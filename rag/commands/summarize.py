"""`meetrag summarize DOC_ID|--all`: structured meeting summaries (会议纪要).

Prints Markdown by default, ``--json`` for a JSON array (one object per
document: doc_id, source, engine and the schema fields), ``--table`` for one
row per meeting (with ``--json``, the rows as JSON). ``--docx FILE`` also
writes a Word document. Rendering is pure (:func:`render`); only :func:`run`
touches the index.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from rag.errors import IndexEmptyError, MeetragError
from rag.settings import Settings
from rag.summary_schema import MeetingSummary

HELP = "structured meeting summary (会议纪要) of one document or of all"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("doc_id", nargs="?", metavar="DOC_ID",
                   help="document id (or a unique prefix, or the file name); see `meetrag docs list`")
    p.add_argument("--all", action="store_true", help="summarise every indexed document")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    fmt.add_argument("--markdown", action="store_true", help="print Markdown (the default)")
    p.add_argument("--engine", choices=("rules", "llm"), default="rules",
                   help="rules (default, offline, no model) or llm (needs MEETRAG_LLM_BASE_URL)")
    p.add_argument("--table", action="store_true",
                   help="one row per meeting: date, title, place, chair, attendee total")
    p.add_argument("--docx", metavar="FILE", type=Path, help="also write a Word document to FILE")
    p.add_argument("--refresh", action="store_true", help="recompute instead of using cached summaries")


def render(summaries: Sequence[MeetingSummary], *, as_json: bool = False, table: bool = False) -> str:
    """The text ``run`` prints for these summaries and flags."""
    from rag import summary_render

    if table:
        rows = summary_render.table_rows(summaries)
        if as_json:
            return json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False, indent=2)
        return summary_render.render_table(rows)
    if as_json:
        return json.dumps([s.model_dump(mode="json") for s in summaries], ensure_ascii=False, indent=2)
    return "\n".join(summary_render.to_markdown(s) for s in summaries).rstrip("\n")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if bool(args.doc_id) == bool(args.all):
        raise MeetragError("give one DOC_ID or --all (not both): `meetrag docs list` shows the ids")
    from rag.store import DocStore
    from rag.summaries import summarize_many

    store = DocStore(settings)
    if args.all:
        docs = store.list_documents()
        if not docs:
            raise IndexEmptyError()
    else:
        docs = [store.get(store.resolve(args.doc_id))]
    summaries = summarize_many(docs, args.engine, settings, refresh=args.refresh)
    print(render(summaries, as_json=args.json, table=args.table))
    if args.docx:
        from rag.summary_render import to_docx

        path = to_docx(summaries, args.docx)
        print(f"wrote {path}", file=sys.stderr)
    return 0
