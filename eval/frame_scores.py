"""Per-field precision and recall of the meeting frame against a split's gold frames.

    .venv/bin/python -m eval.frame_scores --split dev            # the table
    .venv/bin/python -m eval.frame_scores --split train --details  # misses, per document
    .venv/bin/python -m eval.frame_scores --split seeds            # the five seeds' gold (no frame fields)

No index and no embedding: the frames are extracted from the split's files directly,
so a change to the extractor is measured in a second. ``--details`` is refused for the
sealed split: its failures are never read. ``meetrag eval`` prints the same fields.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from eval.summary_metrics import FIELDS, compare_summary, field_items, load_gold_summaries, summary_scores

ROOT = Path(__file__).resolve().parent.parent
# Where each split's documents and gold frames are: the corpus splits, and the five seeds
# (their gold predates the frame, so venue/participants/counts are not scored there).
SPLITS = {
    split: (ROOT / "eval/corpus" / split, ROOT / f"eval/datasets/corpus_{split}_summaries.json")
    for split in ("train", "dev", "sealed")
} | {"seeds": (ROOT / "seeds", ROOT / "eval/datasets/seeds_summaries.json")}
KEY_FIELDS = ("title", "dates", "venue", "chair", "speakers", "participants", "counts")


def frames_of(docs_dir: Path) -> tuple[dict[str, dict], float]:
    """The extracted frame of every ``.txt`` in ``docs_dir``, and the ms per document."""
    from eval.summary_metrics import as_dict
    from rag.meeting.frame import extract
    from rag.metadata import make_document

    docs = {p.stem: make_document(p.read_text(encoding="utf-8"), str(p)) for p in sorted(docs_dir.glob("*.txt"))}
    t0 = time.perf_counter()
    frames = {stem: as_dict(extract(doc)) for stem, doc in docs.items()}
    return frames, (time.perf_counter() - t0) * 1000 / max(len(docs), 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=tuple(SPLITS), required=True)
    ap.add_argument("--details", action="store_true", help="print each miss (not for the sealed split)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.details and args.split == "sealed":
        print("frame_scores: the sealed split is only ever scored; its misses are not shown", file=sys.stderr)
        return 2
    docs_dir, gold_file = SPLITS[args.split]
    gold = load_gold_summaries(gold_file)
    frames, ms = frames_of(docs_dir)
    scores = summary_scores(gold, frames)
    scores["ms_per_document"] = ms
    if args.json:
        print(json.dumps(scores, ensure_ascii=False))
        return 0
    print(f"{'field':<16}{'precision':>10}{'recall':>8}{'gold':>6}")
    for f in FIELDS:
        c = scores["per_field"][f]
        mark = " *" if f in KEY_FIELDS else ""
        p = "-" if c["precision"] is None else f"{c['precision']:.2f}"
        r = "-" if c["recall"] is None else f"{c['recall']:.2f}"
        print(f"{f:<16}{p:>10}{r:>8}{c['gold']:>6}{mark}")
    print(f"all fields: precision {scores['precision']:.3f}, recall {scores['recall']:.3f}; "
          f"{ms:.1f} ms per document (* = the issue's key fields)")
    if args.details:
        for g in gold:
            pred = frames.get(g["doc"])
            for f, c in compare_summary(g, pred).items():
                if f in KEY_FIELDS and (c.matched < c.gold or c.matched < c.predicted):
                    print(f"{g['doc']} {f}: gold {field_items(g, f)} | ours {field_items(pred or {}, f)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
