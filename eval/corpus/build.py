"""Merge the question and frame writers' per-document files into the split datasets.

    .venv/bin/python eval/corpus/build.py

Reads ``eval/corpus/_work/questions/<doc>.jsonl`` (+ ``cross_<batch>.jsonl``) and
``eval/corpus/_work/frames/<doc>.json``, and (re)writes, for each split that has work
files, ``eval/datasets/corpus_<split>.jsonl`` and ``corpus_<split>_summaries.json``.
A document's entries replace its earlier ones, so the corpus is extended by writing new
work files and running this again; then run ``eval/check_dataset.py`` on each split.
The split of a document is the folder it lies in (``eval/corpus/<split>/<doc>.txt``);
a cross question belongs to the split of the documents its evidence quotes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "eval" / "corpus"
WORK = CORPUS / "_work"
DATASETS = ROOT / "eval" / "datasets"
SPLITS = ("train", "dev", "sealed")


def split_of() -> dict[str, str]:
    return {p.stem: p.parent.name for s in SPLITS for p in (CORPUS / s).glob("*.txt")}


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _cross_split(q: dict, texts: dict[str, str], splits: dict[str, str]) -> str:
    quotes = [p for p in q.get("evidence", "").split("|") if p]
    hit = {splits[d] for d, t in texts.items() for p in quotes if p in t}
    if len(hit) != 1:
        raise SystemExit(f"build: cross question {q['id']} quotes documents of splits {sorted(hit) or 'none'}")
    return hit.pop()


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from eval.check_dataset import load_docs

    splits = split_of()
    texts: dict[str, str] = {}
    for s in SPLITS:
        texts.update(load_docs(CORPUS / s))
    questions: dict[str, list[dict]] = {s: [] for s in SPLITS}
    frames: dict[str, list[dict]] = {s: [] for s in SPLITS}
    for path in sorted((WORK / "questions").glob("*.jsonl")):
        rows = _read_jsonl(path)
        if path.stem.startswith("cross_"):
            for q in rows:
                questions[_cross_split(q, texts, splits)].append(q)
        elif path.stem not in splits:
            raise SystemExit(f"build: {path.name} names no corpus document")
        else:
            questions[splits[path.stem]].extend(rows)
    for path in sorted((WORK / "frames").glob("*.json")):
        frame = json.loads(path.read_text(encoding="utf-8"))
        frames[splits[frame["doc"]]].append(frame)
    for s in SPLITS:
        if not questions[s] and not frames[s]:
            continue
        qpath = DATASETS / f"corpus_{s}.jsonl"
        fpath = DATASETS / f"corpus_{s}_summaries.json"
        redo = {q.get("doc") for q in questions[s]} | {f["doc"] for f in frames[s]}
        old_q = [q for q in _read_jsonl(qpath) if q.get("doc") not in redo] if qpath.exists() else []
        new_ids = {q["id"] for q in questions[s]}
        old_q = [q for q in old_q if q["id"] not in new_ids]
        old_f = [f for f in json.loads(fpath.read_text(encoding="utf-8")) if f["doc"] not in redo] \
            if fpath.exists() else []
        all_q = old_q + questions[s]
        all_f = sorted(old_f + frames[s], key=lambda f: f["doc"])
        qpath.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in all_q), encoding="utf-8")
        fpath.write_text(json.dumps(all_f, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{s}: {len(all_q)} questions, {len(all_f)} frames -> {qpath.name}, {fpath.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
