"""Verbs that mean the same thing in meeting reports, so a question's verb finds its sentence.

A user asks "谁参加了座谈会" of a report that writes "…出席会议"; "哪天开的" of one that
writes "召开"/"举行"; "他讲了什么" of one that writes "强调"/"指出". Each class below
is one meaning; a word of a class is "written" in a text when any word of its class is.

Left out on purpose: classes wider than one act (讲话 and 部署 stay apart from 主持), and
verbs that are as often nouns (安排: 午餐安排 is no 部署).
"""

from __future__ import annotations

import re

CLASSES: tuple[frozenset[str], ...] = (
    frozenset({"开", "召开", "举行", "举办", "开会", "开班", "开幕"}),
    frozenset({"参加", "出席", "参会", "与会", "到会", "列席", "参与"}),
    frozenset({"主持", "主持人"}),
    frozenset({"观摩", "参观", "考察", "察看", "实地察看", "调研"}),
)
# What a leader said: one meaning when a question asks it ("讲话里要求了什么" is answered by
# "…强调"), but too wide to pick a document by (交流发言 is a genre, not 讲话).
SPEECH: frozenset[str] = frozenset({"讲话", "强调", "指出", "要求", "发言", "讲", "说", "表示"})
# Acts by which a speaker reports facts ("范丽娟通报了全县村级班子运行情况。目前全县共有村
# 246个"): the sentences after such an act, in its paragraph, are what was reported.
REPORTING: frozenset[str] = SPEECH | frozenset({"通报", "介绍", "汇报", "解读", "宣读", "说明", "总结", "回顾", "提到", "提出", "通告"})
_OF: dict[str, frozenset[str]] = {w: c for c in CLASSES for w in c}


def same_meaning(word: str, speech: bool = False) -> frozenset[str]:
    """The words that mean what ``word`` means (itself included); ``speech`` adds the
    verbs of saying as one class."""
    if speech and word in SPEECH:
        return SPEECH
    return _OF.get(word, frozenset({word}))


def written(word: str, text: str, speech: bool = False) -> bool:
    """``word`` or a word of the same meaning occurs in ``text``.

    Single-character members (开, 讲, 说) only stand for themselves: too common inside
    other words to stand for their class.
    """
    if word in text:
        return True
    return any(len(w) >= 2 and w in text for w in same_meaning(word, speech))


def written_close(word: str, text: str, min_chars: int = 2) -> bool:
    """``word`` is in ``text``, or its characters are, in order and at most 4 apart
    (部署会 ~ 部署工作会议); words shorter than ``min_chars`` only as written."""
    return word in text or (
        len(word) >= min_chars and re.search(".{0,4}".join(map(re.escape, word)), text) is not None
    )


COINED_REACH = 16  # characters from a meeting's topic to its 会 in the document's own name for it
ABRIDGED_GAP = 3  # characters a user's short name for a topic skips between two it keeps (森[林]防[灭火]…)


def written_meeting(word: str, text: str) -> bool:
    """``word`` (a meeting as a user names it) is written in ``text``: as it is, its characters
    close together (部署会 ~ 部署工作会议), or coined from its topic (禁烧会 of 秸秆禁烧和综合
    利用工作部署会: the topic, then a 会 within a phrase)."""
    if written_close(word, text):
        return True
    if len(word) < 3 or not word.endswith("会"):
        return False
    stem = word[:-1]
    # Within one phrase: no punctuation between the topic and its 会. The topic may be
    # shortened to some of its characters, in order (森防会 of 森林防灭火工作调度会议).
    phrase = r"[^，,。；;：:、\s]"
    abridged = f"{phrase}{{0,{ABRIDGED_GAP}}}?".join(map(re.escape, stem))
    return any(re.match(rf"{phrase}{{0,{COINED_REACH}}}?会", text[m.end() :]) for m in re.finditer(abridged, text))
