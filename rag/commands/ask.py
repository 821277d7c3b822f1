"""`meetrag ask "问题"`: answer one question with citations."""

from __future__ import annotations

import argparse
import json
import sys

from rag.settings import Settings

HELP = "ask a question; prints the answer and its sources (--json for the full record)"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--doc", help="limit to one document (id, id prefix or file name)")
    p.add_argument("--engine", choices=["extractive", "llm"], help="answer engine (default from settings)")


def undecodable(text: str) -> str | None:
    """The bytes of ``text`` that were not UTF-8, shown as ``0xff 0xfe``, or None.

    Python turns such bytes on the command line into lone surrogates (a terminal
    set to GBK sends 座谈会 as bytes that are not UTF-8); they would fail deep
    inside the pipeline, so say it here, in the user's terms."""
    bad = [ord(ch) - 0xDC00 for ch in text if 0xDC80 <= ord(ch) <= 0xDCFF]
    return " ".join(f"{b:#04x}" for b in bad[:6]) if bad else None


def run(args: argparse.Namespace, settings: Settings) -> int:
    from rag.errors import QuestionError
    from rag.health import vector_gap
    from rag.pipeline import Pipeline

    for what, text in (("question", args.question), ("--doc value", args.doc or "")):
        if bad := undecodable(text):
            raise QuestionError(
                f"the {what} is not UTF-8 text (bytes {bad}; is the terminal set to GBK?): switch the "
                "terminal to UTF-8 (e.g. LANG=zh_CN.UTF-8) and ask again"
            )
    pipeline = Pipeline(settings)
    answer = pipeline.ask(args.question, doc=args.doc, engine=args.engine)
    if note := vector_gap(pipeline.store, pipeline.vectors):
        print(f"meetrag: note: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(answer.answer)
    for c in answer.citations:
        print(f"  [{c.n}] {c.title} ({c.doc_id}, {c.start}-{c.end}): {c.quote}")
    if answer.refused and answer.related:
        print("  可能相关的段落:")
        for c in answer.related:
            print(f"   - {c.title}: {c.quote}…")
    for s in answer.removed:
        print(f"  (removed, unsupported by the sources: {s})")
    return 0
