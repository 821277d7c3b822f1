"""Check the items an LLM proposes for a summary against their quotes.

The model only copies words, so nothing it says is trusted as is. Each item's
``quote`` is snapped onto exact offsets with :func:`rag.evidence.snap_evidence`
(the item is dropped when the quote is not in the document), the item is
validated against the schema, and its key values must occur in its own quote
after normalisation (width, script, ``十八`` = ``18``): a real quote under a
made-up name is dropped too. Optional attributions the quote does not support
(``who``, ``role``, ``about``, ``when``) are cleared to ``None`` instead,
because the item itself is still sound. What was refused is returned as
:class:`Drop` records rather than logged away, so callers can count it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from rag.evidence import snap_evidence
from rag.guard import dates, normalise, numbers, person_names
from rag.summary_schema import (
    ActionItem,
    DateItem,
    Evidence,
    Figure,
    Group,
    KeyPoint,
    Person,
    Redaction,
    Requirement,
    TextItem,
)
from rag.summary_sections import Section
from rag.types import Document

# The schema's fields and the item model each holds, in the schema's order.
FIELDS: dict[str, type[BaseModel]] = {
    "title": TextItem,
    "meeting_type": TextItem,
    "dates": DateItem,
    "location": TextItem,
    "venue": TextItem,
    "organiser": TextItem,
    "chair": Person,
    "speakers": Person,
    "speaker_groups": Group,
    "attendees": Group,
    "participants": Person,
    "visits": TextItem,
    "agenda": TextItem,
    "topics": TextItem,
    "key_points": KeyPoint,
    "requirements": Requirement,
    "figures": Figure,
    "action_items": ActionItem,
    "redactions": Redaction,
}

# Values the item stands for: each must occur in the item's quote, or the item goes.
KEY_VALUES: dict[type[BaseModel], tuple[str, ...]] = {
    TextItem: ("value",),
    DateItem: ("value",),
    Person: ("name",),  # the role when the document names only the office
    Group: ("group",),
    Figure: ("value", "unit"),
    ActionItem: ("who",),
    Redaction: ("mark",),
}
# Free text may condense its quote; names and numbers in it must still be quoted.
FREE_TEXT = frozenset({"text", "what"})
# Optional attributions: cleared to None when the quote does not carry them.
ATTRIBUTES: dict[type[BaseModel], tuple[str, ...]] = {
    Person: ("role", "organisation"),
    KeyPoint: ("who",),
    Requirement: ("who",),
    Figure: ("about",),
    ActionItem: ("when",),
}


@dataclass(frozen=True)
class Drop:
    """An item the model proposed and the checks refused."""

    field: str
    reason: str
    item: Any  # as the model sent it


_UNQUOTE = str.maketrans("", "", "“”\"'‘’《》「」『』")


def norm(text: str) -> str:
    """The form values and quotes are compared in: ``rag.guard.normalise`` (width,
    script, ``2022-09-23`` -> ``2022年9月23日``) without spaces or quotation marks."""
    return "".join(normalise(text).translate(_UNQUOTE).split())


def _snap(doc: Document, section: Section, quote: str) -> Evidence | None:
    """Evidence for ``quote``, preferring the section the model saw (the seeds repeat
    whole paragraphs), then anywhere in the document."""
    a, b = section.start, section.end
    part = replace(doc, text=doc.text[a:b], display=doc.display[a:b])
    ev = snap_evidence(part, quote)
    if ev is not None:
        return Evidence(start=ev.start + a, end=ev.end + a, quote=ev.quote)
    return snap_evidence(doc, quote, near=a)


def _quote_of(raw: dict[str, Any]) -> Any:
    evidence = raw.get("evidence")
    if raw.get("quote") is None and isinstance(evidence, dict):
        return evidence.get("quote")  # a model that mirrored the schema's shape
    return raw.get("quote")


def _supported(value: Any, quote: str) -> bool:
    return isinstance(value, str) and bool(norm(value)) and norm(value) in quote


def _unsupported_facts(item: BaseModel, quote: str) -> list[str]:
    """Numbers and dates in the item's values, and person names in its free text
    (``text``, ``what``), that its quote does not contain: the same test the
    answer guard applies to a cited sentence."""
    quote = normalise(quote)  # both sides alike: 2022-09-23 is 2022年9月23日 on each
    have_numbers, have_dates = numbers(quote), dates(quote)
    missing: list[str] = []
    for name in type(item).model_fields:
        value = getattr(item, name)
        if name == "count" and isinstance(value, int):
            value = str(value)  # KeyPoint.level is an outline depth, not a figure: not checked
        if not isinstance(value, str):
            continue
        text = normalise(value)
        missing += sorted(numbers(text) - have_numbers) + sorted(dates(text) - have_dates)
        if name in FREE_TEXT:
            missing += [n for n in person_names(text) if n not in quote]
    return missing


def check_item(
    doc: Document, section: Section, cls: type[BaseModel], raw: Any
) -> tuple[BaseModel | None, str, int]:
    """``(item, "", cleared)`` for a model-proposed item that passes, else ``(None, reason, 0)``.

    In order: the quote is found in the document; the item fits the schema;
    its key values (name, value, group, unit, ...) occur in the quote; every
    number and date in it, and every person name in its free text, occurs in
    the quote. Unsupported optional attributions are cleared first and
    counted in ``cleared``.
    """
    if not isinstance(raw, dict):
        return None, f"is a {type(raw).__name__}, not an object", 0
    quote = _quote_of(raw)
    if not isinstance(quote, str) or not quote.strip():
        return None, "has no quote", 0
    evidence = _snap(doc, section, quote)
    if evidence is None:
        return None, f"quote {quote[:40]!r} is not in the document", 0
    values = {k: raw[k] for k in cls.model_fields if k in raw and k != "evidence"}
    try:
        item = cls.model_validate({**values, "evidence": evidence})
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "item"
        return None, f"does not fit the schema ({where}: {err['msg']})", 0
    quoted = norm(doc.text[evidence.start : evidence.end])
    keys = KEY_VALUES.get(cls, ())
    if isinstance(item, Person) and item.name is None:
        if item.role is None:
            return None, "names neither a person nor an office", 0
        keys = ("role",)  # 市委主要领导: the office is the key
    for key in keys:
        value = getattr(item, key)
        if key == "unit" and value == "":
            continue
        if not _supported(value, quoted):
            return None, f"{key} {value!r} is not in its quote {evidence.quote!r}", 0
    cleared = {
        a: None
        for a in ATTRIBUTES.get(cls, ())
        if getattr(item, a) is not None and not _supported(getattr(item, a), quoted)
    }
    if cleared:
        item = item.model_copy(update=cleared)
    missing = _unsupported_facts(item, doc.text[evidence.start : evidence.end])
    if missing:
        return None, f"{', '.join(missing)} is not in its quote {evidence.quote!r}", 0
    return item, "", len(cleared)


def read_reply(
    doc: Document, section: Section, data: dict[str, Any]
) -> tuple[dict[str, list[BaseModel]], list[Drop], int]:
    """The checked items of one section's reply, by field, with what was dropped and
    how many attributes were cleared. Unknown keys are ignored; a lone object where
    a list belongs (or a list where one object belongs) is accepted."""
    items: dict[str, list[BaseModel]] = {}
    drops: list[Drop] = []
    cleared = 0
    for name, cls in FIELDS.items():
        value = data.get(name)
        if value is None:
            continue
        for raw in value if isinstance(value, list) else [value]:
            item, reason, n = check_item(doc, section, cls, raw)
            if item is None:
                drops.append(Drop(name, reason, raw))
            else:
                items.setdefault(name, []).append(item)
                cleared += n
    return items, drops, cleared
