"""Bodies of people by rule: who attended and who spoke, with stated counts.

``来自全市各地的18名优秀乡镇(街道)党(工)委书记、10名…和22名…出席会议`` gives
one group per list item, ``{group, count}``; ``等11名镇村党组织书记作了发言``
a speaking group. Items that name a person are left to ``rag.meeting.people``.

A total that covers a whole list (``…共120余人参加``, ``参会人员:…共32人``) is a group of
its own: the list, with the total and whether it is approximate (``head_counts``).

Left out on purpose: any count not written as a figure (``*、*、*乡镇`` stays uncounted).
"""

from __future__ import annotations

import re

from rag.evidence import span
from rag.meeting.people import ATTEND, Mention
from rag.rules_text import sentences
from rag.summary_schema import Group
from rag.types import Document
from rag.zh.numerals import counts

_TOTAL = re.compile(r"(?:共|等|计|合计)?\d+(?:余|多)?(?:人|名)$")
_COUNTED = re.compile(r"(?P<count>\d+)名(?P<group>[^、,，。；;和及]+?)(?=、|和|及|出席|参加|作了?|$)")
_SEPARATOR = re.compile(r"[、,，]|和(?=\d)")
_BODY = re.compile(r"负责人|领导|书记|干部|代表|同志|委员|成员")
_ORGANISED = re.compile(r"组织(?P<list>[^到,，。]{2,40}?)到[^,，。]{2,40}?(?:参观|考察|观摩|调研)")


def _items(text: str, offset: int) -> list[tuple[int, int]]:
    """``[start, end)`` of each item of a list written ``A、B,以及C和22名D``."""
    out, pos = [], 0
    for m in list(_SEPARATOR.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        lead = re.match(r"(?:以及|及|和)", text[pos:end])
        start = pos + (lead.end() if lead else 0)
        if end > start:
            out.append((offset + start, offset + end))
        pos = m.end() if m else len(text)
    return out


def _group(doc: Document, a: int, b: int) -> Group | None:
    total = _TOTAL.search(doc.text[a:b])
    if total and total.start() > 0:
        b = a + total.start()  # "县直各单位主要负责人共120余人": the total covers the whole list
    part = doc.text[a:b]
    counted = _COUNTED.fullmatch(part)
    if counted:
        g0, g1 = a + counted.start("group"), a + counted.end("group")
        return Group(group=doc.text[g0:g1], count=int(counted.group("count")), evidence=span(doc, a, g1))
    if _BODY.search(part) and len(part) <= 30 and not re.search(r"\d", part):
        return Group(group=part, count=None, evidence=span(doc, a, b))
    return None


_ATTENDED = re.compile(r"(?:出席|参加|参会|列席|与会|到会|参训|参与)")
_HEAD_COUNT = re.compile(r"(?:共计|合计|总计|共有|共|计|等|约|近)?$")


# "参会人员:X共32人", "参训对象为X,共计90余人", "参加今天会议的有X,共计110余人": the
# attending word comes first and the figure closes the list.
_ROSTER = re.compile(
    r"(?:参会|参训|与会|出席|列席|参加)(?:人员|对象|范围|会议的|今天会议的|本次会议的)?(?:有|为|是|[:：])"
)


def head_counts(doc: Document) -> list[Group]:
    """Bodies whose size is written as one figure before an attending verb:
    ``…、部分党员和群众代表共计160余人参加会议`` -> {…群众代表, 160, approx},
    ``一百二十余人参加``, ``全镇120多名党员干部参加`` (the group is what the figure counts
    when it follows the figure: 党员干部)."""
    out: list[Group] = []
    for s in sentences(doc.text):
        roster = _ROSTER.search(s.text)
        if roster is not None:
            tail = list(counts(s.text[roster.end() :]))
            if tail and tail[-1].unit in ("人", "名", "位") and s.text[roster.end() + tail[-1].end :].strip("。.;；") == "":
                c = tail[-1]
                body = s.text[roster.end() : roster.end() + c.start]
                body = re.sub(r"[,，]?(?:共计|合计|总计|共有|共|计|等|约|近)$", "", body).strip("，, ")
                if body:
                    out.append(Group(group=body, count=c.value, approx=c.approx,
                                     evidence=span(doc, s.start + roster.start(), s.start + roster.end() + c.end)))
                    continue
        verb = _ATTENDED.search(s.text)
        if verb is None:
            continue
        figures = [c for c in counts(s.text[: verb.start()]) if c.unit in ("人", "名", "位")]
        if not figures:
            continue
        c = figures[-1]  # the figure right before the verb
        clause_start = max((m.end() for m in re.finditer(r"[,，；;。：:]", s.text[: c.start])), default=0)
        before = s.text[clause_start : c.start]
        after = s.text[c.end : verb.start()]
        lead = _HEAD_COUNT.search(before)
        total = bool(lead and lead.group(0))
        if len(figures) > 1 and not total:
            continue  # "18名…、10名…和22名…出席": a list of counted groups (``attendees``)
        noun = re.fullmatch(r"[^,，、；;。]{1,12}", after.strip("的 ")) if after.strip("的 ") else None
        if noun and not total:
            group, g0 = noun.group(0), s.start + c.start  # 全镇120多名党员干部参加: what is counted
        elif (body := before[: lead.start()] if lead else before).strip():
            group, g0 = body.strip(), s.start + clause_start
        else:
            continue
        out.append(Group(group=group, count=c.value, approx=c.approx,
                         evidence=span(doc, g0, s.start + verb.end())))
    return out


def attendees(doc: Document, found: list[Mention]) -> list[Group]:
    """Bodies before ``出席/参加会议``: ``18名优秀乡镇(街道)党(工)委书记``, ``县直有关单位主要负责人``.

    Also the bodies the meeting sentence says were organised to visit
    (``召开…,组织X、Y到…参观``); a later ``组织…到先进村观摩`` is other work.
    Items naming a person are left to ``people.participants``.
    """
    out: list[Group] = []
    all_sentences = sentences(doc.text)
    meeting = next((s for s in all_sentences if re.search(r"召开|举行", s.text)), None)
    for s in all_sentences:
        spans: list[tuple[int, int]] = []
        m = ATTEND.search(s.text)
        if m is not None:
            head = s.text[: m.start()]
            lead = re.search(r"来自[^,，。]*?的(?=\d+名)", head)
            cut = lead.end() if lead else 0
            spans += _items(head[cut:], s.start + cut)
        o = _ORGANISED.search(s.text) if s is meeting else None
        if o is not None:
            spans += _items(o.group("list"), s.start + o.start("list"))
        for a, b in spans:
            if not any(a <= f.start < b or f.start <= a < f.end for f in found):
                g = _group(doc, a, b)
                if g is not None:
                    out.append(g)
    return out


_SPEAKING_GROUP = re.compile(
    r"(?:(?P<count>\d+)(?:名|个|位|家)(?P<group>[^,，。、]{1,20}?)|(?P<marks>[*＊XＸ]+(?:、[*＊XＸ]+)+)(?P<noun>[^,，。、]{1,6}?))"
    r"(?:分别|也|先后|依次)?作了?(?P<kind>交流发言|表态发言|典型发言|书面交流|发言)"
)


# A counted body that took the floor, the figure in words or digits: "三位代表作了发言",
# "6名村党组织书记现场述职", "3个村(社区)作了交流发言", "两名党组织书记作了交流发言".
_SPOKE = re.compile(r"(?:分别|先后|依次|逐一|现场|围绕[^,，。]{1,20})?(?:作了?(?:交流|表态|典型)?发言|发言|述职|作交流)")


def counted_speakers(doc: Document) -> list[Group]:
    """Bodies that spoke, with the figure as written (digits or words, 余 kept as approx)."""
    out: list[Group] = []
    for s in sentences(doc.text):
        for verb in _SPOKE.finditer(s.text):
            clause_start = max((m.end() for m in re.finditer(r"[,，；;。：:]", s.text[: verb.start()])), default=0)
            clause = s.text[clause_start : verb.start()]
            found = [c for c in counts(clause) if c.unit in ("名", "位", "个", "人", "家", "村")]
            if not found:
                continue
            c = found[-1]
            noun = clause[c.end :].strip()
            if not 1 <= len(noun) <= 16 and c.unit not in ("村",):
                continue
            start = s.start + clause_start + c.start
            group = noun or c.unit
            out.append(Group(group=group, count=c.value, approx=c.approx, evidence=span(doc, start, s.start + verb.end())))
    return out


def speaker_groups(doc: Document) -> list[Group]:
    """``等11名镇村党组织书记作了发言`` -> {镇村党组织书记, 11}; ``*、*、*乡镇分别作了表态发言``."""
    out = []
    for m in _SPEAKING_GROUP.finditer(doc.text):
        if m.group("count"):
            out.append(Group(group=m.group("group"), count=int(m.group("count")),
                             evidence=span(doc, m.start("count"), m.end())))
        else:
            out.append(Group(group=m.group("marks") + m.group("noun"), count=None,
                             evidence=span(doc, m.start("marks"), m.end())))
    return out
