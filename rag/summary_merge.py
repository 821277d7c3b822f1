"""The reduce step of the LLM summary: one :class:`MeetingSummary` from the sections' items.

Plain Python rather than another model call, because merging is then exact,
free and deterministic: items are taken in document order and de-duplicated by
their normalised value, and singleton fields keep the first valid item.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from rag.summarise_rules import unique
from rag.summary_quotes import FIELDS, norm
from rag.summary_schema import (
    ActionItem,
    DateItem,
    Figure,
    Group,
    KeyPoint,
    MeetingSummary,
    Person,
    Redaction,
    Requirement,
    TextItem,
)
from rag.types import Document

# Fields holding one item: the first valid one in document order wins.
SINGLE = frozenset({"title", "meeting_type", "location", "venue", "organiser", "chair"})


def _dedup_key(item: BaseModel) -> Hashable:
    """What makes two items the same, compared after normalisation."""
    if isinstance(item, TextItem):
        return norm(item.value)
    if isinstance(item, DateItem):
        return norm(item.value), item.kind
    if isinstance(item, Person):
        return norm(item.name or item.role or "")
    if isinstance(item, Group):
        return norm(item.group)
    if isinstance(item, KeyPoint | Requirement):
        return norm(item.text)
    if isinstance(item, Figure):
        return norm(item.value), norm(item.unit), norm(item.about or "")
    if isinstance(item, ActionItem):
        return norm(item.who), norm(item.what)
    if isinstance(item, Redaction):
        return item.mark, item.evidence.start
    raise TypeError(f"no de-duplication key for {type(item).__name__}")


def merge(doc: Document, parts: list[dict[str, list[BaseModel]]]) -> MeetingSummary:
    """Reduce: one summary from the sections' items, in document order, first of each value kept.

    Participants already listed as the chair or a speaker are left out, as the
    schema describes them (and as the rules engine does).
    """
    fields: dict[str, Any] = {}
    for name in FIELDS:
        found = [item for part in parts for item in part.get(name, [])]
        if name in SINGLE:
            fields[name] = found[0] if found else None
        else:
            fields[name] = unique(found, _dedup_key)
    named = {_dedup_key(p) for p in fields["speakers"]}
    if fields["chair"] is not None:
        named.add(_dedup_key(fields["chair"]))
    fields["participants"] = [p for p in fields["participants"] if _dedup_key(p) not in named]
    return MeetingSummary(doc_id=doc.doc_id, source=Path(doc.source).name, engine="llm", **fields)
