"""The LLM summary engine: a chat model fills :class:`MeetingSummary`, section by section.

Map-reduce over the document: :func:`~rag.summary_sections.split_sections`
cuts ``doc.text`` at its outline headings (``一、`` ``二、`` …) and then into
~1500-character windows on sentence boundaries; each section goes to the model
once (``prompts/summary.md``) with ``response_format={"type": "json_object"}``,
so servers that constrain their grammar (Ollama, vLLM, llama.cpp) emit JSON.
Servers that ignore the option are tolerated
(:func:`~rag.json_reply.parse_json_object` takes the first JSON object in the
reply, fenced or not), and a server that rejects it is asked again without.
Each item is checked against its quote (:mod:`rag.summary_quotes`) and the
reduce step is plain Python (:mod:`rag.summary_merge`): items are merged in
document order and de-duplicated by value.

This module is the engine's public entry point and only drives the requests;
the steps live in their own modules, and the names callers used to import from
here are re-exported (``__all__``). :func:`extract_summary` returns the
summary with what was dropped; :func:`summarise_llm` (what ``rag.summaries``
calls) returns the summary alone, because the schema has no field for the
list of drops, only their count.

Left out on purpose: an LLM reduce pass (merging in Python is exact and free),
parallel section requests (a local server answers one at a time anyway), and
retrying a section whose reply is not JSON (a model that failed once usually
fails again: use a stronger model or ``--engine rules``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from rag.answer_llm import fence
from rag.errors import LLMError
from rag.json_reply import parse_json_object
from rag.llm import llm_errors, make_chat_model
from rag.prompts import load_prompt
from rag.settings import Settings
from rag.summary_merge import SINGLE, merge
from rag.summary_quotes import ATTRIBUTES, FIELDS, FREE_TEXT, KEY_VALUES, Drop, check_item, read_reply
from rag.summary_schema import MeetingSummary
from rag.summary_sections import SECTION_CHARS, Section, heading_starts, split_sections
from rag.types import Document

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

__all__ = [
    "ATTRIBUTES",
    "EXCERPT_CHARS",
    "FIELDS",
    "FREE_TEXT",
    "JSON_MODE",
    "KEY_VALUES",
    "SECTION_CHARS",
    "SINGLE",
    "VERSION",
    "Drop",
    "LLMSummary",
    "Section",
    "SummaryReplyError",
    "check_item",
    "extract_summary",
    "format_section",
    "heading_starts",
    "merge",
    "parse_json_object",
    "read_reply",
    "section_messages",
    "split_sections",
    "summarise_llm",
]

VERSION = 1
"""Bump when the prompt or the checks change what is extracted: cached summaries are keyed on it."""

JSON_MODE = {"type": "json_object"}
EXCERPT_CHARS = 80

logger = logging.getLogger(__name__)


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
class LLMSummary:
    """A summary with what the checks refused; ``MeetingSummary`` has no field for that."""

    summary: MeetingSummary
    drops: tuple[Drop, ...]
    cleared: int  # optional attributes set to None because their quote lacked them
    sections: int  # requests made

    @property
    def dropped(self) -> int:
        return len(self.drops)


# --- the request ---------------------------------------------------------------------


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


# --- the engine ----------------------------------------------------------------------


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
