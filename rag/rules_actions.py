"""Action items by rule: who must do what, and by when.

A unit named as the subject of ``要``/``将`` is made responsible:
``县委党校要选派骨干教师…``, ``乡镇(街道)领导班子每季度要…``, and a leader's
``要求市直有关部门认真梳理…``. A deadline or frequency in the task's first
clause (``6月底前``, ``每年``) or a time opening the sentence (``今年,``) is
its ``when``.

Left out on purpose: pronoun subjects (``我们要``, ``大家要``), which name no
one, and tasks without a subject (``要加强…``), which are requirements.
"""

from __future__ import annotations

import re

from rag.evidence import span
from rag.meeting.people import REPORTING
from rag.rules_text import CN_NUM, sentences
from rag.summary_schema import ActionItem
from rag.types import Document

_ORG = (
    r"部门|单位|党委|党\(工\)委|党（工）委|党工委|党组织|党支部|党校|班子|层面|社区|\(街道\)|（街道）"
    r"|乡镇|县里|市里|书记|镇|办|局|纪委|中心|厅"
)
_ACTOR = re.compile(
    rf"(?:^|(?<=[,，;；:：]))(?P<who>[^,，。;；:：要将的]{{0,24}}?(?:{_ORG}))"
    r"(?P<when>每年|每季度|每月|每周|今年|年底前)?(?:至少|也|还)*(?:要|将)(?!求)"
)
_ASKED = re.compile(rf"要求(?P<who>[^,，。;；要]{{2,16}}?(?:{_ORG}))(?=[^,，。;；])")
_DEADLINE = r"每年|每季度|每月|每周|年底前|年内|\d{1,2}月底前|\d{1,2}月\d{1,2}日前"
_WHEN_LEAD = re.compile(rf"从今年开始|今年|明年|{_DEADLINE}|下一步|今后")
_WHEN_IN = re.compile(_DEADLINE)


def action_items(doc: Document) -> list[ActionItem]:
    """``县委党校要选派骨干教师…``, ``要求市直有关部门认真梳理…``: who must do what, and when."""
    out: list[ActionItem] = []
    for s in sentences(doc.text):
        if s.text.startswith("“") or REPORTING.search(s.text[:8]):
            continue
        hits = [(m.start("who"), m.end("who"), m.end(), m.group("when")) for m in _ACTOR.finditer(s.text)]
        hits += [(m.start("who"), m.end("who"), m.end("who"), None) for m in _ASKED.finditer(s.text)]
        hits.sort()
        for n, (a, b, what_at, when) in enumerate(hits):
            who = s.text[a:b]
            if len(who) < 2 or re.match(rf"^[{CN_NUM}]是|^我们|^大家|^你们|^他们", who):
                continue
            stop = re.search(r"[。;；]", s.text[what_at:])
            end = what_at + (stop.start() if stop else len(s.text) - what_at)
            if n + 1 < len(hits):
                end = min(end, hits[n + 1][0])
            what = s.text[what_at:end].rstrip(",，")
            if len(what) < 2:
                continue
            start = a
            if when is None:
                first_clause = re.split(r"[,，]", what, maxsplit=1)[0]
                inside = _WHEN_IN.search(first_clause)
                lead = _WHEN_LEAD.search(s.text[:a])
                when = inside.group(0) if inside else lead.group(0) if lead else None
                start = lead.start() if lead and not inside else a
            out.append(ActionItem(who=who, what=what, when=when,
                                  evidence=span(doc, s.start + start, s.start + what_at + len(what))))
    return out
