"""Side meetings: what a report tells of before or after the main meeting.

``会后,X在…召开了座谈会。5个薄弱村的党组织书记…逐一发言。``, ``会前,…近两百名护林员参加了
宣誓活动``: a paragraph opened by ``会前,``/``会后,`` reports another event; the bodies and
counts in it are not the main meeting's. ``会上,…``, ``随后召开的推进会上`` (no comma after the opener: what
follows is the main meeting) or a paragraph without a meeting verb is the main one.

Left out on purpose: side meetings told in the middle of a paragraph (the rest of that
paragraph is usually the main meeting again).
"""

from __future__ import annotations

import re

from rag.rules_text import Sentence, sentences

OPENER = re.compile(r"^(?:会前|会后|会议结束后|结束后|当天下午|当天晚上|此前|开班式后|开幕式后)[,，]")
# "随后,…" is most often the next item of the same meeting; it opens another one only
# when a meeting is held in that sentence ("随后,X在二楼召开了座谈会").
_THEN = re.compile(r"^(?:随后|之后)[,，]")
_HELD = re.compile(r"召开|举行|座谈")


# A later item of a report of several events, headed by its own event: "二、柳溪镇开展安全生产大检查。"
_LATER_ITEM = re.compile(r"^(?:[二三四五六七八九十]{1,2}[、.．]|(?:[2-9]|1\d)[.、．](?!\d))[^。,，；;]{2,30}?(?:召开|举行|举办|开展)")


# "会前,…与会人员一行32人来到…陈列馆": the meeting's own party on a visit that is part of it.
# (Only a party counted as such: "与会人员…查看了…，近两百名护林员参加了宣誓活动" tells of others too.)
_OWN_PARTY_VISIT = re.compile(r"一行\d+(?:余|多)?人[^。；;]{0,12}?(?:来到|前往|走进|观摩|参观|察看|实地)")


def side_paragraphs(sentences: list[Sentence]) -> set[int]:
    """The paragraphs (``Sentence.para``) that report an event other than the main meeting
    (but not the meeting's own party on a visit before or after its session)."""
    out: set[int] = set()
    for s in sentences:
        opening = s.text.strip()
        if s.index == 0 and (OPENER.match(opening) or (_THEN.match(opening) and _HELD.search(opening))
                             or _LATER_ITEM.match(opening)) and not _OWN_PARTY_VISIT.search(opening):
            out.add(s.para)
    return out


def main_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` outside the paragraphs that report another event."""
    every = sentences(text)
    side = side_paragraphs(every)
    return [s for s in every if s.para not in side]
