"""Print the cleaned, simplified text of corpus documents: what questions quote as evidence.

    .venv/bin/python eval/corpus/show.py c005 c011      # by id
    .venv/bin/python eval/corpus/show.py --split dev    # a whole split

The text is ``rag.metadata.make_document(...).text``, the same text the engine indexes
and ``eval/check_dataset.py`` checks evidence against.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "eval" / "corpus"
sys.path.insert(0, str(ROOT))


def find(doc_id: str) -> Path:
    hits = sorted(CORPUS.glob(f"*/{doc_id}.txt"))
    if not hits:
        raise SystemExit(f"show: no document {doc_id!r} under {CORPUS}/<split>/")
    return hits[0]


def main() -> int:
    from rag.metadata import make_document

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ids", nargs="*")
    ap.add_argument("--split", choices=("train", "dev", "sealed"))
    args = ap.parse_args()
    paths = [find(i) for i in args.ids]
    if args.split:
        paths += sorted((CORPUS / args.split).glob("*.txt"))
    for p in paths:
        doc = make_document(p.read_text(encoding="utf-8"), str(p))
        print(f"===== {p.stem} (split: {p.parent.name}) =====")
        print(doc.text)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
