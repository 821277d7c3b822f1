"""The LLM summary engine: a chat model fills :class:`MeetingSummary`, section by section.

Map-reduce over the document: :func:`split_sections` cuts ``doc.text`` at its
outline headings (``一、`` ``二、`` …) and then into ~1500-character windows on
sentence boundaries; each section goes to the model once (``prompts/summary.md``)
with ``response_format={"type": "json_object"}``, so servers that constrain
their grammar (Ollama, vLLM, llama.cpp) emit JSON. Servers that ignore the
option are tolerated (:func:`parse_json_object` takes the first JSON object in
the reply, fenced or not), and a server that rejects it is asked again without.
The reduce step is plain Python: items are merged in document order and
de-duplicated by value.

The model only copies words, so nothing it says is trusted as is. Each item's
``quote`` is snapped onto exact offsets with :func:`rag.evidence.snap_evidence`
(the item is dropped when the quote is not in the document), the item is
validated against the schema, and its key values must occur in its own quote
after normalisation (width, script, ``十八`` = ``18``): a real quote under a
made-up name is dropped too. Optional attributions the quote does not support
(``who``, ``role``, ``about``, ``when``) are cleared to ``None`` instead.
:func:`extract_summary` returns the summary with what was dropped;
:func:`summarise_llm` (what ``rag.summaries`` calls) returns the summary alone,
because the schema has no field for the count.

Left out on purpose: an LLM reduce pass (merging in Python is exact and free),
parallel section requests (a local server answers one at a time anyway), and
retrying a section whose reply is not JSON (a model that failed once usually
fails again: use a stronger model or ``--engine rules``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from rag.answer_llm import drop_thinking, fence
from rag.errors import LLMError
from rag.evidence import snap_evidence
from rag.guard import cn_to_int, dates, normalise, numbers, person_names
from rag.llm import llm_errors, make_chat_model
from rag.prompts import load_prompt
from rag.settings import Settings
from rag.summarise_rules import unique
from rag.summary_schema import (
    ActionItem,
    DateItem,
    Evidence,
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

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

VERSION = 1
"""Bump when the prompt or the checks change what is extracted: cached summaries are keyed on it."""

SECTION_CHARS = 1500
JSON_MODE = {"type": "json_object"}
EXCERPT_CHARS = 80

logger = logging.getLogger(__name__)

# The schema's fields and the item model each holds; singletons take the first
# valid item in document order.
FIELDS: dict[str, type[BaseModel]] = {
    "title": TextItem,
    "meeting_type": TextItem,
    "dates": DateItem,
    "location": TextItem,
    "organiser": TextItem,
    "chair": Person,
    "speakers": Person,
    "speaker_groups": Group,
    "attendees": Group,
    "participants": Person,
    "visits": TextItem,
    "topics": TextItem,
    "key_points": KeyPoint,
    "requirements": Requirement,
    "figures": Figure,
    "action_items": ActionItem,
    "redactions": Redaction,
}
SINGLE = frozenset({"title", "meeting_type", "location", "organiser", "chair"})

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


class SummaryReplyError(LLMError):
    """The model's reply for one section holds no usable JSON object."""

    def __init__(self, source: str, part: int, parts: int, reason: str, reply: str) -> None:
        self.source = source
        self.part = part
        self.parts = parts
        self.reason = reason
        self.reply = reply
        excerpt = " ".join(reply.split())[:EXCERPT_CHARS] or "(empty)"
        super().__init__(
            f"the LLM's reply for part {part}/{parts} of {source} is not a JSON object ({reason}); "
            f"it begins {excerpt!r}. Use an instruction-tuned model that can answer in JSON "
            "(e.g. qwen2.5:7b-instruct), or `--engine rules`"
        )


@dataclass(frozen=True)
class Section:
    """``[start, end)`` of ``doc.text``, sent to the model as one request."""

    start: int
    end: int


@dataclass(frozen=True)
class Drop:
    """An item the model proposed and the checks refused."""

    field: str
    reason: str
    item: Any  # as the model sent it


@dataclass(frozen=True)
class LLMSummary:
    """A summary with what the checks refused; ``MeetingSummary`` has no field for that."""

    summary: MeetingSummary
    drops: tuple[Drop, ...]
    cleared: int  # optional attributes set to None because their quote lacked them
    sections: int  # requests made

    @property
    def dropped(self) -> int:
        return len(self.drops)


# --- sections ----------------------------------------------------------------------

# ``一、`` opens a heading at the start of a line or right after a sentence
# (seed 004 runs its outline inline: ``…提质增效。一、筑先锋堡垒``).
_HEADING = re.compile(r"(?:^|(?<=[。！？!?]))[ \t\u3000]*([一二三四五六七八九十]{1,3})、", re.M)
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』)）]*|\n")
_CLAUSE_END = re.compile(r"[，,、：:]")


def heading_starts(text: str) -> list[int]:
    """Offsets of the top-level headings ``一、`` ``二、`` … in order.

    A marker counts only when it continues the sequence 一、二、三、…, so a
    stray ``五、`` after a full stop, or an outline that never had ``一、``,
    does not cut.
    """
    out: list[int] = []
    expected = 1
    for m in _HEADING.finditer(text):
        if cn_to_int(m.group(1)) == expected:
            out.append(m.start(1))
            expected += 1
    return out


def _windows(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """``[start, end)`` in pieces of at most ``max_chars``, cut after a sentence where possible,
    else after a clause, else hard (one 2,000-character run-on sentence still gets cut)."""
    while end - start > max_chars:
        limit = start + max_chars
        cut = 0
        for pattern in (_SENTENCE_END, _CLAUSE_END):
            ends = [m.end() for m in pattern.finditer(text, start, limit) if m.end() <= limit]
            if ends:
                cut = ends[-1]
                break
        cut = cut if cut > start else limit
        yield start, cut
        start = cut
    if end > start:
        yield start, end


def split_sections(text: str, max_chars: int = SECTION_CHARS) -> list[Section]:
    """Contiguous sections covering ``text``, each at most ``max_chars`` long.

    A text that fits is one section. Otherwise it is cut at its headings,
    pieces still too long are cut into windows on sentence boundaries, and
    neighbouring pieces are packed back together while they fit, so short
    headed parts share a request. Worked example (``max_chars=1500``): a
    400-character preamble, ``一、`` of 900 and ``二、`` of 2,000 characters give
    [preamble + 一、] (1,300), then ``二、`` in two windows.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, not {max_chars}")
    if not text.strip():
        return []
    if len(text) <= max_chars:
        return [Section(0, len(text))]
    cuts = [0, *(h for h in heading_starts(text) if h > 0), len(text)]
    pieces = [w for a, b in zip(cuts, cuts[1:], strict=False) for w in _windows(text, a, b, max_chars)]
    packed: list[Section] = []
    start, end = pieces[0]
    for a, b in pieces[1:]:
        if b - start <= max_chars:
            end = b
        else:
            packed.append(Section(start, end))
            start, end = a, b
    packed.append(Section(start, end))
    return packed


def format_section(text: str) -> str:
    """The fenced section the prompt quotes; fence markers inside the text are neutralised."""
    return f"<<<文件片段>>>\n{fence(text.strip())}\n<<<文件片段结束>>>"


def section_messages(doc: Document, section: Section, part: int, parts: int) -> list[BaseMessage]:
    """The chat messages asking for one section's items."""
    from langchain_core.messages import HumanMessage, SystemMessage

    text = doc.text[section.start : section.end]
    rendered = load_prompt("summary").render(section=format_section(text), part=part, parts=parts)
    kinds = {"system": SystemMessage, "user": HumanMessage}
    return [kinds[role](content=body) for role, body in rendered]


# --- the reply -----------------------------------------------------------------------

_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\n?(.*?)```", re.S)
_OPENER = re.compile(r"[{\[]")


def parse_json_object(reply: str) -> dict[str, Any]:
    """The first JSON object in a reply: inside a ```json fence if there is one, else
    anywhere in the text (prose before or after is ignored, ``<think>`` blocks too).

    Raises ``ValueError`` saying what was wrong.
    """
    text = "".join(drop_thinking(iter([reply])))
    decoder = json.JSONDecoder()
    found_other: str | None = None
    for candidate in [m.group(1) for m in _FENCE.finditer(text)] + [text]:
        at = _OPENER.search(candidate)
        while at is not None:
            try:
                value, end = decoder.raw_decode(candidate, at.start())
            except json.JSONDecodeError:
                at = _OPENER.search(candidate, at.start() + 1)
                continue
            if isinstance(value, dict):
                return value
            found_other = found_other or type(value).__name__
            at = _OPENER.search(candidate, end)  # an object inside a list is not the answer
    if found_other:
        raise ValueError(f"it holds a JSON {found_other}, not an object")
    if "{" in text:
        raise ValueError("its JSON object is malformed or cut off")
    raise ValueError("there is no JSON object in it")


# --- checking items ------------------------------------------------------------------

_UNQUOTE = str.maketrans("", "", "“”\"'‘’《》「」『』")


def _norm(text: str) -> str:
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
    return isinstance(value, str) and bool(_norm(value)) and _norm(value) in quote


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
    quoted = _norm(doc.text[evidence.start : evidence.end])
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


# --- merging -------------------------------------------------------------------------


def _dedup_key(item: BaseModel) -> Hashable:
    """What makes two items the same, compared after normalisation."""
    if isinstance(item, TextItem):
        return _norm(item.value)
    if isinstance(item, DateItem):
        return _norm(item.value), item.kind
    if isinstance(item, Person):
        return _norm(item.name or item.role or "")
    if isinstance(item, Group):
        return _norm(item.group)
    if isinstance(item, KeyPoint | Requirement):
        return _norm(item.text)
    if isinstance(item, Figure):
        return _norm(item.value), _norm(item.unit), _norm(item.about or "")
    if isinstance(item, ActionItem):
        return _norm(item.who), _norm(item.what)
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


# --- the engine ----------------------------------------------------------------------


def _rejects_json_mode(e: Exception) -> bool:
    """LM Studio and some proxies answer 400 to ``json_object`` instead of ignoring it."""
    text = str(e).lower()
    return "response_format" in text or "json_object" in text


def _ask(model: Any, messages: list[BaseMessage], settings: Settings, json_mode: bool) -> tuple[str, bool]:
    """The reply text, and whether JSON mode is still worth sending."""
    import openai

    with llm_errors(settings):
        if json_mode:
            try:
                return _text(model.bind(response_format=JSON_MODE).invoke(messages)), True
            except openai.BadRequestError as e:
                if not _rejects_json_mode(e):
                    raise
                logger.info("the LLM at %s rejects response_format; asking without it", settings.llm_base_url)
        return _text(model.invoke(messages)), False


def _text(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content)


def extract_summary(
    doc: Document,
    settings: Settings,
    chat_model: BaseChatModel | None = None,
    *,
    section_chars: int = SECTION_CHARS,
) -> LLMSummary:
    """Summarise ``doc`` with the configured LLM: one request per section, items
    checked against the document, merged. Raises ``LLMError`` (unconfigured,
    unreachable, HTTP error) or :class:`SummaryReplyError` (a reply without JSON)."""
    sections = split_sections(doc.text, section_chars)
    model = chat_model if chat_model is not None else make_chat_model(settings, streaming=False)
    parts: list[dict[str, list[BaseModel]]] = []
    drops: list[Drop] = []
    cleared = 0
    json_mode = True
    for n, section in enumerate(sections, 1):
        reply, json_mode = _ask(model, section_messages(doc, section, n, len(sections)), settings, json_mode)
        try:
            data = parse_json_object(reply)
        except ValueError as e:
            raise SummaryReplyError(Path(doc.source).name, n, len(sections), str(e), reply) from e
        items, dropped, k = read_reply(doc, section, data)
        parts.append(items)
        drops += dropped
        cleared += k
    if drops:
        logger.info("%s: dropped %d item(s) the document does not support", doc.source, len(drops))
    return LLMSummary(summary=merge(doc, parts), drops=tuple(drops), cleared=cleared, sections=len(sections))


def summarise_llm(doc: Document, settings: Settings) -> MeetingSummary:
    """The engine ``rag.summaries`` calls for ``engine="llm"``: :func:`extract_summary`'s summary."""
    result = extract_summary(doc, settings)
    return result.summary.model_copy(update={"dropped": result.dropped})
