"""The default summary engine: fills :class:`MeetingSummary` by rule, no model.

Party-building and rural-revitalisation reports are formulaic (``X月X日…召开…会``,
``…主持会议``, ``…参加会议``, ``…指出/强调/要求``, ``…作了发言``, ``18名…书记``),
so regular expressions, jieba's part-of-speech tags and the outline
(``一、`` ``(一)`` ``一是``) recover most of a 会议纪要 with exact evidence.
Each field group has its own module; this one runs them and removes duplicates.

Left out on purpose: anything that needs understanding rather than reading
(who an unnamed ``我`` is, which county ``我县`` means). Those stay empty.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

from rag import rules_actions, rules_facts, rules_figures, rules_groups, rules_people, rules_points
from rag.summary_schema import MeetingSummary
from rag.types import Document

RULES_VERSION = 1
"""Bump when the rules change what they extract: cached summaries are keyed on it."""

T = TypeVar("T")


def unique(items: list[T], key: Callable[[T], Hashable]) -> list[T]:
    """First occurrence of each key, order kept."""
    seen: set[Hashable] = set()
    out = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def summarise_rules(doc: Document) -> MeetingSummary:
    """A 会议纪要 of ``doc`` read off its formulaic sentences; every item has evidence."""
    found = rules_people.mentions(doc)
    chair = rules_people.chair(doc, found)
    speakers = rules_people.speakers(doc, found)
    exclude = {p.name for p in speakers if p.name} | ({chair.name} if chair and chair.name else set())
    said = rules_points.statements(doc, found)
    return MeetingSummary(
        doc_id=doc.doc_id,
        source=Path(doc.source).name,
        engine="rules",
        title=rules_facts.title(doc),
        meeting_type=rules_facts.meeting_type(doc),
        dates=unique(rules_facts.dates(doc), lambda d: d.value),
        location=rules_facts.location(doc),
        organiser=rules_facts.organiser(doc),
        chair=chair,
        speakers=unique(speakers, lambda p: (p.name, p.role)),
        speaker_groups=unique(rules_groups.speaker_groups(doc), lambda g: g.group),
        attendees=unique(rules_groups.attendees(doc, found), lambda g: g.group),
        participants=unique(rules_people.participants(doc, found, exclude), lambda p: p.name),
        visits=unique(rules_facts.visits(doc), lambda t: t.value),
        topics=unique(rules_points.topics(doc, said), lambda t: t.value),
        key_points=unique(said.key_points, lambda k: k.text),
        requirements=unique(said.requirements, lambda r: r.text),
        figures=unique(rules_figures.figures(doc), lambda f: (f.value, f.unit, f.about)),
        action_items=unique(rules_actions.action_items(doc), lambda a: (a.who, a.what)),
        redactions=unique(rules_figures.redactions(doc), lambda r: (r.mark, r.evidence.quote)),
    )
