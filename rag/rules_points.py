"""What was said, by rule: requirements, key points, topics, action items.

* Requirements (部署要求): ``X指出/强调/要求,…`` and the sentences of the same
  paragraph that carry on X's instructions (``要突出…``); ``对X作了具体部署``;
  ``提到“要…”``; in a speech, its ``一要/二要`` points.
* Key points: the outline (``一、``, ``(一)``, ``一是``), what happened
  (``作了发言``, ``参观``), what quoted participants said, and X's statements
  that are not instructions.
* Topics: the meeting's stated purposes (``研究部署…``), the outline's top
  headings, or in a report without one the gist of each instruction.

Action items live in ``rules_actions``. Left out on purpose: quotes whose
speaker is only implied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.evidence import maybe_span, text_item
from rag.meeting.people import REPORTING, Mention, subject
from rag.rules_text import Sentence, has_modal, outline_level, sentences
from rag.summary_schema import KeyPoint, Requirement, TextItem
from rag.types import Document

_TRIGGER = re.compile(r"指出|强调|要求|提到")
_DEPLOYED = re.compile(r"对(?P<what>[^,，。]{2,30}?)作了(?:具体|全面|详细)?部署")
_EVENT = re.compile(r"作了?(?:交流|表态|典型)?发言|书面交流|分析了|参观|考察|观摩")
_CONCLUSION = re.compile(r"^(?:总之|总的来说|综上)")
_PURPOSE_VERB = re.compile(
    r"^(?:研究部署|研究破解|研究|细化部署|部署|交流|总结|动员|听取|通报|学习贯彻|全面落实|进一步|扎实推动|推动|推进)"
)
_LEAD_REQ = re.compile(r"^(?:我们)?要(?P<gist>[^,，;；。]{4,16})[,，;；]")
_ADVERBS = re.compile(r"(?:同志)?(?:也|还|再次|进一步|最后|特别|同时|又|在讲话中|在会上)*$")



@dataclass
class Said:
    requirements: list[Requirement] = field(default_factory=list)
    key_points: list[KeyPoint] = field(default_factory=list)


def _requirement(doc: Document, a: int, b: int, who: str | None) -> list[Requirement]:
    """A requirement whose text is exactly what its evidence quotes; none if only punctuation."""
    ev = maybe_span(doc, a, b)
    return [Requirement(text=doc.text[ev.start : ev.end], who=who, evidence=ev)] if ev else []


def _key_point(doc: Document, a: int, b: int, who: str | None, level: int | None = None) -> list[KeyPoint]:
    ev = maybe_span(doc, a, b)
    return [KeyPoint(text=doc.text[ev.start : ev.end], who=who, level=level, evidence=ev)] if ev else []


def _before_adverbs(text: str) -> str:
    """``王明同志也`` -> ``王明``: the words before trailing adverbs and ``同志``."""
    m = _ADVERBS.search(text)
    return text[: m.start()] if m else text


def _is_trigger(s: Sentence, m: re.Match[str], found: list[Mention]) -> bool:
    """A speech verb used as a verb, followed by content.

    It must follow a name (``刘玉杰指出``, ``王明同志也强调``), ``会议``
    (``会议要求``), a comma (``…并讲话,强调``) or a redaction (``XX强调``);
    ``部署要求`` and ``提出了明确的要求。`` are nouns.
    """
    after = s.text[m.end() : m.end() + 1]
    if m.group(0) == "提到":
        return re.match(r"[,，:：]?“", s.text[m.end() :]) is not None
    if after in ("", "。", "了", "的"):
        return False
    bare = _before_adverbs(s.text[: m.start()])
    if bare.endswith((",", "，", "X", "x", "*", "会议")):
        return True
    return any(f.end == s.start + len(bare) for f in found)


def _content(doc: Document, s: Sentence, trigger: re.Match[str]) -> tuple[int, int]:
    """The words after a trigger: the quotation if it opens one, else the rest of the sentence.

    ``要求市直有关部门…`` keeps its verb (the content names who is asked);
    ``强调,要…`` and ``强调要…`` start at the content.
    """
    pos = trigger.end()
    if trigger.group(0) == "要求" and s.text[pos : pos + 1] not in ("要", ",", "，", ":", "：", "“"):
        return s.start + trigger.start(), s.end
    rest = s.text[pos:]
    lead = re.match(r"[,，:：]?", rest)
    start = pos + (lead.end() if lead else 0)
    if s.text[start : start + 1] == "“":
        close = s.text.find("”", start)
        if close > start:
            return s.start + start + 1, s.start + close
    return s.start + start, s.end


def _who(s: Sentence, trigger_at: int, found: list[Mention]) -> str | None:
    lead = subject(s, found)
    if lead is None or lead.end - s.start > trigger_at:
        marks = re.search(r"[X*]+$|会议$", _before_adverbs(s.text[:trigger_at]))
        return marks.group(0) if marks else None
    if REPORTING.search(s.text[lead.end - s.start : trigger_at]):
        return None  # "伊江林表示,推进会上的讲话提到…": not 伊江林's instruction
    return lead.name or lead.role


def statements(doc: Document, found: list[Mention]) -> Said:
    """Requirements and key points, in document order."""
    out = Said()
    all_sentences = sentences(doc.text)
    who: str | None = None
    mode = ""
    for i, s in enumerate(all_sentences):
        if s.index == 0:
            who, mode = None, ""
        level = outline_level(s.text)
        if level is not None:
            who, mode = None, ""
            _outline(doc, s, level, out)
            continue
        trigger = next((m for m in _TRIGGER.finditer(s.text) if _is_trigger(s, m, found)), None)
        deployed = _DEPLOYED.search(s.text)
        lead = subject(s, found)
        if trigger is not None:
            said_by = _who(s, trigger.start(), found)
            a, b = _content(doc, s, trigger)
            out.requirements.extend(_requirement(doc, a, b, said_by))
            who, mode = said_by, trigger.group(0)
        elif deployed is not None:
            said_by = lead.name or lead.role if lead is not None else None
            a, b = s.start + deployed.start(), s.start + deployed.end()
            out.requirements.extend(_requirement(doc, a, b, said_by))
        elif who is not None and (lead is None or (lead.name or lead.role) == who) and not _pure_quote(s):
            if mode in ("强调", "要求") or has_modal(s.text):
                out.requirements.extend(_requirement(doc, s.start, s.end, who))
            else:
                out.key_points.extend(_key_point(doc, s.start, s.end, who))
            continue
        else:
            who, mode = None, ""
        if trigger is None and _is_event(s, lead):
            out.key_points.extend(_key_point(doc, s.start, s.end, _actor(s, found)))
        _quoted(doc, all_sentences, i, found, out)
    return out


def _pure_quote(s: Sentence) -> bool:
    return s.text.startswith("“") and s.text.endswith("”") and s.text.count("“") == 1


def _reported(s: Sentence, lead: Mention | None) -> bool:
    """``X说,…``: a participant's words, which :func:`_quoted` keeps with their speaker."""
    return lead is not None and lead.start == s.start and REPORTING.match(s.text[lead.end - s.start :]) is not None


def _is_event(s: Sentence, lead: Mention | None) -> bool:
    """What happened at the meeting (``作了发言``, ``参观``), or a conclusion (``总之,…``).

    Not a quotation, not someone's report of it, and not an instruction to visit later.
    """
    if s.text.startswith("“") or _reported(s, lead):
        return False
    if _CONCLUSION.match(s.text):
        return True
    return _EVENT.search(s.text) is not None and not (re.search(r"参观|考察|观摩", s.text) and has_modal(s.text))


def _actor(s: Sentence, found: list[Mention]) -> str | None:
    """The one person a sentence opens with (after ``会上,``); None for a list of people."""
    inside = [f for f in found if s.start <= f.start < s.end]
    if len(inside) != 1:
        return None
    head = s.text[: inside[0].start - s.start]
    if head and not re.fullmatch(r"[^,，。]{0,8}[上中后午][,，]", head):
        return None
    return inside[0].name or inside[0].role


def _outline(doc: Document, s: Sentence, level: tuple[int, int], out: Said) -> None:
    depth, marker = level
    body = s.text[marker:].rstrip("。")
    start = s.start + marker
    if depth == 3 and body.startswith("要"):
        out.requirements.extend(_requirement(doc, start, start + len(body), None))
        return
    if depth == 3 and len(body) > 30:
        body = re.split(r"[,，;；]", body, maxsplit=1)[0]
    if depth == 3:
        body = body[1:] if body.startswith("是") else body
        start += 1 if s.text[marker] == "是" else 0
    out.key_points.extend(_key_point(doc, start, start + len(body), None, depth))


def _quoted(doc: Document, all_sentences: list[Sentence], i: int, found: list[Mention], out: Said) -> None:
    """``“…”X说``, ``X表示,…`` and a quote next to a sentence where X speaks: X's words."""
    s = all_sentences[i]
    lead = subject(s, found)
    if lead is not None and lead.start == s.start and lead.name:
        m = re.match(rf"(?:{REPORTING.pattern})[,，:：](?P<rest>.+)$", s.text[lead.end - s.start :])
        if m:
            a = lead.end + m.start("rest")
            out.key_points.extend(_key_point(doc, a, s.end, lead.name))
    if not _pure_quote(s):
        return
    for j in (i + 1, i - 1):
        if not 0 <= j < len(all_sentences) or all_sentences[j].para != s.para:
            continue
        other = all_sentences[j]
        by = subject(other, found)
        if by is not None and by.name and by.start == other.start and REPORTING.match(other.text[by.end - other.start :]):
            out.key_points.extend(_key_point(doc, s.start + 1, s.end - 1, by.name))
            return


def topics(doc: Document, said: Said) -> list[TextItem]:
    """Stated purposes, then the outline's top headings, or else each instruction's gist."""
    out: list[TextItem] = []
    for s in sentences(doc.text):
        anchor = re.search(r"主要任务是|(?:召开|举行)[^,，。]*?会[,，]", s.text)
        if anchor is None:
            continue
        for a, b in _clause_spans(s.text, anchor.end()):
            lead = re.match(r"主要任务是|旨在|目的是", s.text[a:b])
            a += lead.end() if lead else 0
            if _PURPOSE_VERB.match(s.text[a:b]) and b - a <= 40:
                out += _topic(doc, s.start + a, s.start + b)
        break
    headings = [k for k in said.key_points if k.level in (1, 2)]
    for k in headings:
        first = re.split(r"[,，]", k.text, maxsplit=1)[0] if k.level == 1 else k.text
        start = k.evidence.start
        out += _topic(doc, start, start + len(first))
    if headings:
        return out
    for r in said.requirements:
        m = _LEAD_REQ.match(r.text)
        if r.who and m:
            a = r.evidence.start + m.start("gist")
            out += _topic(doc, a, a + len(m.group("gist")))
        d = _DEPLOYED.match(r.text)
        if d:
            a = r.evidence.start + d.start("what")
            out += _topic(doc, a, a + len(d.group("what")))
    return out


def _topic(doc: Document, a: int, b: int) -> list[TextItem]:
    item = text_item(doc, a, b)
    return [item] if item is not None else []


def _clause_spans(text: str, start: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in re.finditer(r"[,，;；。]|$", text[start:]):
        end = start + m.start()
        if end > pos:
            out.append((pos, end))
        pos = start + m.end()
        if m.group(0) == "。":
            break
    return out
