"""`meetrag ask "问题"`: answer one question with citations."""

from __future__ import annotations

import argparse
import json

from rag.settings import Settings

HELP = "ask a question; prints the answer and its sources (--json for the full record)"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--doc", help="limit to one document (id, id prefix or file name)")
    p.add_argument("--engine", choices=["extractive", "llm"], help="answer engine (default from settings)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from rag.pipeline import Pipeline

    answer = Pipeline(settings).ask(args.question, doc=args.doc, engine=args.engine)
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
