"""Load and validate an evaluation question set (JSONL, one question per line).

Each line is a JSON object::

    {"id": "q01", "question": "...", "type": "fact",
     "answer_any": ["刘玉杰"], "answer_all": [], "evidence": "市委书记刘玉杰主持会议",
     "doc": "000_1e9d919d8109f11d", "follow_up_of": null}

``doc`` (a file stem) and ``follow_up_of`` (the id of an earlier question) are
optional. Every problem is a ``DatasetError`` naming the file and the line, so
a typo is fixed in one go. Blank lines are skipped. Keys starting with ``_``
(``_note``) are ignored; any other unknown key is an error, because a
misspelt ``answer_all`` would otherwise silently drop a constraint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.errors import DatasetError

TYPES = (
    "fact",
    "number",
    "list",
    "total",
    "cross",
    "traditional",
    "follow_up",
    "redacted",
    "unanswerable",
)
# Questions whose correct answer is a refusal or a "not given" answer.
REFUSAL_TYPES = frozenset({"unanswerable", "redacted"})

_REQUIRED = ("id", "question", "type", "answer_any", "answer_all", "evidence")
_OPTIONAL = ("doc", "follow_up_of")


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    type: str
    answer_any: tuple[str, ...] = ()
    answer_all: tuple[str, ...] = ()
    evidence: str = ""
    doc: str | None = None
    follow_up_of: str | None = None
    line: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def should_refuse(self) -> bool:
        return self.type in REFUSAL_TYPES

    @property
    def evidence_parts(self) -> list[str]:
        """The ``|``-separated evidence quotes (empty for most unanswerable questions)."""
        from eval.matching import evidence_parts

        return evidence_parts(self.evidence)


def _strings(value: Any, key: str, path: str, line: int) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DatasetError(
            path, line, f"{key!r} must be a list of strings, got {json.dumps(value, ensure_ascii=False)}"
        )
    if any(not v.strip() for v in value):
        raise DatasetError(
            path, line, f"{key!r} holds an empty string; remove it (an empty list means no constraint)"
        )
    return tuple(value)


def parse_question(obj: Any, path: str, line: int) -> Question:
    """Validate one decoded JSON value and turn it into a ``Question``."""
    if not isinstance(obj, dict):
        raise DatasetError(path, line, f"expected a JSON object, got {type(obj).__name__}")
    missing = [k for k in _REQUIRED if k not in obj]
    if missing:
        raise DatasetError(path, line, f"missing key(s): {', '.join(missing)}")
    unknown = [k for k in obj if k not in _REQUIRED + _OPTIONAL and not k.startswith("_")]
    if unknown:
        raise DatasetError(
            path, line, f"unknown key(s): {', '.join(unknown)} (allowed: {', '.join(_REQUIRED + _OPTIONAL)})"
        )
    for key in ("id", "question"):
        if not isinstance(obj[key], str) or not obj[key].strip():
            raise DatasetError(path, line, f"{key!r} must be a non-empty string")
    if obj["type"] not in TYPES:
        raise DatasetError(path, line, f"unknown type {obj['type']!r}; use one of: {', '.join(TYPES)}")
    if not isinstance(obj["evidence"], str):
        raise DatasetError(path, line, "'evidence' must be a string (several quotes separated by '|')")
    for key in _OPTIONAL:
        if obj.get(key) is not None and (not isinstance(obj[key], str) or not obj[key].strip()):
            raise DatasetError(path, line, f"{key!r} must be a non-empty string or absent")
    return Question(
        id=obj["id"],
        question=obj["question"],
        type=obj["type"],
        answer_any=_strings(obj["answer_any"], "answer_any", path, line),
        answer_all=_strings(obj["answer_all"], "answer_all", path, line),
        evidence=obj["evidence"],
        doc=obj.get("doc"),
        follow_up_of=obj.get("follow_up_of"),
        line=line,
        extra={k: v for k, v in obj.items() if k.startswith("_")},
    )


def load_dataset(path: str | Path) -> list[Question]:
    """Read a JSONL question set; raise ``DatasetError(path, line, reason)`` on any problem.

    Besides each line on its own, checks that ids are unique and that
    ``follow_up_of`` names a question *earlier* in the file (the runner asks in
    file order and needs the earlier answer as history).
    """
    p = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise DatasetError(p, 0, f"cannot read the file ({e.strerror or e})") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DatasetError(p, line, "not valid UTF-8; save the file as UTF-8") from e
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for n, content in enumerate(text.splitlines(), start=1):
        if not content.strip():
            continue
        try:
            obj = json.loads(content)
        except json.JSONDecodeError as e:
            raise DatasetError(p, n, f"invalid JSON ({e.msg} at column {e.colno})") from e
        q = parse_question(obj, p, n)
        if q.id in seen:
            raise DatasetError(p, n, f"duplicate id {q.id!r} (first used on line {seen[q.id]})")
        if q.follow_up_of is not None and q.follow_up_of not in seen:
            raise DatasetError(
                p, n, f"follow_up_of {q.follow_up_of!r} does not name an earlier question in this file"
            )
        seen[q.id] = n
        questions.append(q)
    if not questions:
        raise DatasetError(p, 0, "no questions in the file")
    return questions
