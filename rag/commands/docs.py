"""`meetrag docs list|remove`: see and manage indexed documents."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rag.settings import Settings

HELP = "list or remove indexed documents"


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True)
    ls = sub.add_parser("list", help="list documents")
    ls.add_argument("--json", action="store_true", help="one JSON object per line")
    rm = sub.add_parser("remove", help="remove a document")
    rm.add_argument("doc_id", help="document id (or a unique prefix, or the file name)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from rag.store import DocStore

    store = DocStore(settings)
    if args.action == "list":
        rows = store.list_info()
        for r in rows:
            if args.json:
                print(json.dumps(r, ensure_ascii=False))
            else:
                print(f"{r['doc_id']}  {r['chunks']:>4} chunks  {','.join(r['dates']) or '-':<14} "
                      f"{'[redacted] ' if r['redacted'] else ''}{r['title']}  ({Path(r['source']).name})")
        if not rows and not args.json:
            print("no documents: run `meetrag ingest seeds/`")
        return 0
    from rag.ingest import remove_document

    doc_id = store.resolve(args.doc_id)
    remove_document(doc_id, settings, store=store)
    print(f"removed {doc_id}")
    return 0
