"""`meetrag docs list|remove|check`: see, manage and check indexed documents."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rag.settings import Settings

HELP = "list, remove or check indexed documents"


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True)
    ls = sub.add_parser("list", help="list documents")
    ls.add_argument("--json", action="store_true", help="one JSON object per line")
    rm = sub.add_parser("remove", help="remove a document")
    rm.add_argument("doc_id", help="document id (or a unique prefix, or the file name)")
    ck = sub.add_parser(
        "check", help="check that the index is readable and every chunk has its vector (exit 1 if not)"
    )
    ck.add_argument("--repair", action="store_true",
                    help="re-embed missing vectors, drop orphan ones; rebuild a damaged index from what it holds")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "check":
        return check(settings, repair=args.repair)
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


def check(settings: Settings, repair: bool) -> int:
    """Report (and with ``repair``, fix) a damaged index file and missing or orphan vectors."""
    from rag.errors import IndexDamagedError
    from rag.health import check_index, repair_index
    from rag.locks import writer_lock
    from rag.store import DocStore
    from rag.vectors import VectorStore

    try:
        store = DocStore(settings)
        if problems := store.integrity():
            raise IndexDamagedError(str(settings.db_path), problems[0])
        store.list_info()
    except IndexDamagedError:
        if not repair:
            raise
        return _salvage(settings)
    vectors = VectorStore(settings)
    health = check_index(store, vectors)
    print(f"{settings.home}: {health.describe()}")
    if health.ok:
        print("ok: the index is readable and every chunk has its vector")
        return 0
    if not repair:
        print("meetrag: run `meetrag docs check --repair` to re-embed the missing vectors "
              "and delete the orphan ones", file=sys.stderr)
        return 1
    from rag.embedding import get_embeddings

    with writer_lock(settings.home):
        embeddings = get_embeddings(settings)
        if space := getattr(embeddings, "vector_space", None):
            store.check_vector_space(space, claim=True)
        fixed = repair_index(store, vectors, embeddings)  # checked again: under the lock now
    print(f"repaired: re-embedded {fixed.missing_chunks} chunks of {len(fixed.missing)} documents, "
          f"deleted the vectors of {len(fixed.orphans)} uncommitted documents")
    return 0


def _salvage(settings: Settings) -> int:
    from rag.locks import writer_lock
    from rag.salvage import salvage

    with writer_lock(settings.home):
        report = salvage(settings)
    print(f"moved the damaged index to {report.moved_to}")
    print(f"rebuilt the index: {report.rescued} documents from the text it kept, "
          f"{report.from_files} from their files")
    failed = report.ingest.failed if report.ingest else []
    for r in failed:
        print(f"failed: {r.path}: {r.reason}", file=sys.stderr)
    for source in report.lost:
        print(f"lost: {source}: its text could not be read from the damaged index; ingest the file again",
              file=sys.stderr)
    return 1 if report.lost or failed else 0
