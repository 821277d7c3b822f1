"""The meeting frame by rule: one pass over a document fills every field, with evidence.

The field groups have their own modules (``rag.rules_facts``: title, dates, place;
``rag.meeting.people``: chair, speakers, participants; ``rag.meeting.groups``: bodies of
people with counts; ``rag.meeting.venue``: the room; ``rag.rules_points``,
``rag.rules_figures``, ``rag.rules_actions``); this one runs them once and removes
duplicates. The result is a :class:`~rag.summary_schema.MeetingSummary`: the 会议纪要
views render it, the Q&A reads its slots.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

from rag import rules_actions, rules_facts, rules_figures, rules_points
from rag.meeting import groups, people
from rag.meeting import venue as venue_rules
from rag.summary_schema import SCHEMA_VERSION, Group, MeetingSummary
from rag.types import Document

RULES_VERSION = 46
"""Bump when the rules change what they extract: stored frames are re-extracted."""
FRAME_VERSION = f"r{RULES_VERSION}-s{SCHEMA_VERSION}"

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


def _counted_first(items: list[Group]) -> list[Group]:
    """One item per group, the one with a stated count when there are two; and one item per
    stated figure: two rules that read the same words (``实到34人`` as a roster item and as a
    head count) give one group."""
    best: dict[tuple[str, int | None], Group] = {}
    for g in items:
        # "6个村党组织书记现场述职,其余11个村党组织书记书面述职": one body name, two counts
        counted = next((k for k in best if k[0] == g.group and k[1] is not None), None)
        if counted is not None and g.count is not None and g.count != counted[1]:
            best[(g.group, g.count)] = g
            continue
        key = counted or (g.group, None)
        if key not in best:
            best[(g.group, g.count) if g.count is not None else key] = g
        elif best[key].count is None and g.count is not None:
            del best[key]
            best[(g.group, g.count)] = g
    out: list[Group] = []
    for g in best.values():
        a, b = g.evidence.start, g.evidence.end
        if g.count is not None and any(
            h.count == g.count and a < h.evidence.end and h.evidence.start < b for h in out
        ):
            continue
        out.append(g)
    return out


def extract(doc: Document) -> MeetingSummary:
    """The frame of ``doc`` read off its formulaic sentences; every item has evidence."""
    found = people.mentions(doc)
    chair = people.chair(doc, found)
    # The chair takes the floor too: most gold frames list them among the speakers (act 主持;
    # the rendered minutes leave that act out of 发言); one who also spoke keeps that act.
    speakers = people.speakers(doc, found)
    if chair is not None and not any(p.name == chair.name and (p.name or p.role == chair.role) for p in speakers):
        speakers = [chair, *speakers]
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
        venue=venue_rules.venue(doc),
        organiser=rules_facts.organiser(doc),
        chair=chair,
        speakers=unique(speakers, lambda p: p.name or (p.organisation, p.role)),
        speaker_groups=_counted_first(
            groups.speaker_groups(doc) + groups.counted_speakers(doc) + groups.listed_units(doc)
        ),
        attendees=_counted_first(
            groups.attendees(doc, found) + groups.head_counts(doc) + groups.roster_items(doc)
            + groups.present_counts(doc)
        ),
        participants=unique(people.participants(doc, found, exclude), lambda p: p.name),
        visits=unique(rules_facts.visits(doc), lambda t: t.value),
        agenda=unique(venue_rules.agenda(doc), lambda t: t.value),
        topics=unique(rules_points.topics(doc, said), lambda t: t.value),
        key_points=unique(said.key_points, lambda k: k.text),
        requirements=unique(said.requirements, lambda r: r.text),
        figures=unique(rules_figures.figures(doc), lambda f: (f.value, f.unit, f.about)),
        action_items=unique(rules_actions.action_items(doc), lambda a: (a.who, a.what)),
        redactions=unique(rules_figures.redactions(doc), lambda r: (r.mark, r.evidence.quote)),
    )
