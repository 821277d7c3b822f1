"""Validate a meetrag evaluation dataset (JSONL) and, optionally, gold summaries.

Usage (from the repository root):
    .venv/bin/python eval/check_dataset.py
    .venv/bin/python eval/check_dataset.py --dataset eval/datasets/seeds.jsonl \
        --docs seeds --summaries eval/datasets/seeds_summaries.json

Errors make the exit code 1; warnings are printed but do not fail.
Evidence is checked against the cleaned simplified text produced by
rag.metadata.make_document (the same text the engine indexes).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from opencc import OpenCC

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TYPES = {"fact", "number", "list", "total", "cross", "traditional",
         "follow_up", "redacted", "unanswerable"}
REQUIRED = {"id": str, "question": str, "type": str, "answer_any": list,
            "answer_all": list, "evidence": str}
# Optional: "doc" (file stem; null/absent for cross-document and unanswerable
# questions) and "follow_up_of" (an earlier id). eval/dataset.py rejects "".
OPTIONAL = {"doc", "follow_up_of"}
EMPTY_ANSWER_TYPES = {"redacted", "unanswerable"}
EV_MIN, EV_MAX = 8, 60

_t2s = OpenCC("t2s").convert  # opencc is a project dependency


def norm(s: str) -> str:
    """Script t->s, NFKC (full/half width), drop whitespace."""
    s = _t2s(s)
    s = unicodedata.normalize("NFKC", s)
    return "".join(s.split())


def load_docs(doc_dir: Path) -> dict[str, str]:
    from rag.metadata import make_document
    docs = {}
    for p in sorted(doc_dir.glob("*.txt")):
        d = make_document(p.read_text(encoding="utf-8"), str(p))
        docs[p.stem] = d.text
    return docs


def check_dataset(path: Path, docs: dict[str, str]) -> tuple[list[str], list[str], Counter]:
    errors: list[str] = []
    warnings: list[str] = []
    seen: list[str] = []
    types: Counter = Counter()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"line {n}"
        try:
            o = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: bad JSON: {e}")
            continue
        for k, t in REQUIRED.items():
            if k not in o:
                errors.append(f"{where}: missing field {k!r}")
            elif not isinstance(o[k], t):
                errors.append(f"{where}: field {k!r} must be {t.__name__}")
        if any(k not in o or not isinstance(o[k], REQUIRED[k]) for k in REQUIRED):
            continue
        qid = o["id"]
        where = f"line {n} ({qid})"
        if qid in seen:
            errors.append(f"{where}: duplicate id")
        typ = o["type"]
        types[typ] += 1
        if typ not in TYPES:
            errors.append(f"{where}: unknown type {typ!r}")
        if not o["question"].strip():
            errors.append(f"{where}: empty question")
        for k in ("answer_any", "answer_all"):
            for a in o[k]:
                if not isinstance(a, str) or not a.strip():
                    errors.append(f"{where}: {k} items must be non-empty strings")
                elif _t2s(a) != a:
                    errors.append(f"{where}: {k} item {a!r} is not in simplified script")
        if typ in EMPTY_ANSWER_TYPES:
            if o["answer_any"] or o["answer_all"]:
                errors.append(f"{where}: {typ} must have empty answer_any/answer_all")
        elif not o["answer_any"] and not o["answer_all"]:
            errors.append(f"{where}: answerable question without any expected answer")
        if typ == "traditional" and _t2s(o["question"]) == o["question"]:
            errors.append(f"{where}: traditional question contains no traditional characters")
        unknown = [k for k in o if k not in REQUIRED and k not in OPTIONAL
                   and not k.startswith("_")]
        if unknown:
            errors.append(f"{where}: unknown key(s) {unknown}")
        for k in OPTIONAL:
            if k in o and o[k] is not None and (not isinstance(o[k], str) or not o[k].strip()):
                errors.append(f"{where}: {k!r} must be a non-empty string, null or absent")
        doc = o.get("doc") or ""
        if doc and doc not in docs:
            errors.append(f"{where}: unknown doc {doc!r}")
        ev = o["evidence"]
        if typ == "unanswerable":
            if ev:
                errors.append(f"{where}: unanswerable must have empty evidence")
            if doc:
                errors.append(f"{where}: unanswerable must have empty doc")
        else:
            if not ev:
                errors.append(f"{where}: evidence missing")
            pool = [docs[doc]] if doc in docs else list(docs.values())
            for part in ev.split("|") if ev else []:
                if not (EV_MIN <= len(part) <= EV_MAX):
                    errors.append(f"{where}: evidence part length {len(part)} not in "
                                  f"[{EV_MIN},{EV_MAX}]: {part!r}")
                if not any(part in t for t in pool):
                    errors.append(f"{where}: evidence not found in "
                                  f"{doc or 'any doc'}: {part!r}")
            # Soft check: literal answers should usually occur in the evidence or doc.
            if typ not in {"total"}:
                hay = norm(" ".join(pool))
                for a in o["answer_all"]:
                    if norm(a) not in hay:
                        warnings.append(f"{where}: answer_all item {a!r} not found literally")
                if o["answer_any"] and not any(norm(a) in hay for a in o["answer_any"]):
                    warnings.append(f"{where}: no answer_any item found literally")
        fu = o.get("follow_up_of")
        if fu is not None:
            if fu not in seen:
                errors.append(f"{where}: follow_up_of {fu!r} is not an earlier id")
            if typ != "follow_up":
                warnings.append(f"{where}: has follow_up_of but type is {typ!r}")
        seen.append(qid)
    return errors, warnings, types


SUMMARY_KEYS: dict[str, Any] = {"doc": str, "title": str, "meeting_type": (str, type(None)), "dates": list,
                "location": (str, type(None)), "organiser": (str, type(None)),
                "chair": (str, type(None)), "speakers": list, "attendees": list,
                "requirements": list, "figures": list, "action_items": list,
                "redactions": list}
SUB_KEYS = {"speakers": {"name", "role", "organisation"},
            "attendees": {"group", "count"},
            "figures": {"value", "unit", "about"},
            "action_items": {"who", "what", "when"}}
# Fields the meeting frame adds (the development corpus's gold frames have them; the
# seeds' gold does not). Optional keys of list items are listed beside the required ones.
FRAME_KEYS: dict[str, Any] = {"publication_date": (str, type(None)), "venue": (str, type(None)),
                              "participants": list, "speaker_groups": list, "visits": list,
                              "agenda": list, "other_meetings": list}
OPTIONAL_SUB_KEYS = {"speakers": {"act"}, "attendees": {"approx"}}
FRAME_SUB_KEYS = {"participants": ({"name", "role"}, set()),
                  "speaker_groups": ({"group", "count"}, {"approx"}),
                  "other_meetings": ({"title"}, {"dates", "venue"})}


def _literal(value: Any, text: str) -> bool:
    return not isinstance(value, str) or not value.strip() or norm(value) in text


def check_summaries(path: Path, docs: dict[str, str]) -> list[str]:
    errors = []
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        return [f"{path}: top level must be a JSON array"]
    for i, s in enumerate(data):
        where = f"summary[{i}] ({s.get('doc')})"
        for k, t in SUMMARY_KEYS.items():
            if k not in s:
                errors.append(f"{where}: missing {k!r}")
            elif not isinstance(s[k], t):
                errors.append(f"{where}: {k!r} has wrong type")
        for k, t in FRAME_KEYS.items():
            if k in s and not isinstance(s[k], t):
                errors.append(f"{where}: {k!r} has wrong type")
        unknown = set(s) - set(SUMMARY_KEYS) - set(FRAME_KEYS)
        if unknown:
            errors.append(f"{where}: unknown key(s) {sorted(unknown)}")
        if s.get("doc") not in docs:
            errors.append(f"{where}: unknown doc")
        for k, keys in SUB_KEYS.items():
            extra = OPTIONAL_SUB_KEYS.get(k, set())
            for item in s.get(k, []):
                if not isinstance(item, dict) or not keys <= set(item) <= keys | extra:
                    errors.append(f"{where}: {k} items need {sorted(keys)} (optional: {sorted(extra)})")
        for k, (keys, extra) in FRAME_SUB_KEYS.items():
            for item in s.get(k) or []:
                if not isinstance(item, dict) or not keys <= set(item) <= keys | extra:
                    errors.append(f"{where}: {k} items need {sorted(keys)} (optional: {sorted(extra)})")
        for k in ("attendees", "speaker_groups"):
            for a in s.get(k) or []:
                if isinstance(a, dict) and a.get("count") is not None and not isinstance(a["count"], int):
                    errors.append(f"{where}: {k} count must be int or null")
        txt = json.dumps(s, ensure_ascii=False)
        if _t2s(txt) != txt:
            errors.append(f"{where}: not in simplified script")
        if "venue" in s and s.get("doc") in docs:
            # Corpus frames: the values a reader checks first must be the document's own words.
            text = norm(docs[s["doc"]])
            people = [s.get("chair")] + [p.get("name") for k in ("speakers", "participants")
                                         for p in s.get(k) or [] if isinstance(p, dict)]
            for value in [*people, s.get("venue"), *(s.get("dates") or []), s.get("publication_date")]:
                if not _literal(value, text):
                    errors.append(f"{where}: {value!r} is not written in the document")
    missing = set(docs) - {s.get("doc") for s in data if isinstance(s, dict)}
    for m in sorted(missing):
        errors.append(f"{path}: no summary for {m}")
    return errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", default=str(ROOT / "eval/datasets/seeds.jsonl"))
    ap.add_argument("--docs", default=str(ROOT / "seeds"))
    ap.add_argument("--summaries", default=str(ROOT / "eval/datasets/seeds_summaries.json"),
                    help="gold summaries file; pass '' to skip")
    args = ap.parse_args()
    docs = load_docs(Path(args.docs))
    errors, warnings, types = check_dataset(Path(args.dataset), docs)
    if args.summaries and Path(args.summaries).exists():
        errors += check_summaries(Path(args.summaries), docs)
    for w in warnings:
        print("WARN ", w)
    for e in errors:
        print("ERROR", e)
    print(f"{sum(types.values())} questions: " +
          ", ".join(f"{k}={v}" for k, v in sorted(types.items())))
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
