"""Text helpers shared by the rule-based summary extractor.

Sentences with their offsets, the outline markers of Chinese reports (``一、``,
``(一)``, ``一是``/``一要``), the modal ``要`` that marks an instruction, and a
lazy wrapper around ``jieba.posseg``. Everything works on ``doc.text`` (the
simplified script), so every offset found here also addresses ``doc.display``.

Left out on purpose: any knowledge of the summary schema; the field extractors
(``rules_facts``, ``rules_people``, ``rules_points``, ``rules_figures``) own that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CN_NUM = "一二三四五六七八九十"
PUNCT = ",，、。；;：:！!？?“”\"‘’（）()《》…—\n"
CLAUSE_END = ",，。；;：:！!？?\n"


@dataclass(frozen=True)
class Sentence:
    """``text == doc.text[start:end]``; ``para`` numbers the paragraph, ``index`` the sentence in it."""

    start: int
    end: int
    text: str
    para: int
    index: int


# A sentence ends at 。！？!? or at an ASCII "." used as a full stop (between Chinese text:
# pages typed with half-width punctuation), not at 1.2 or www.gov.cn.
_ASCII_STOP = r"(?<=[\u4e00-\u9fff”’」』)）])\.(?=[\u4e00-\u9fff“「『(（\"]|$)"
_SENT_SPLIT = re.compile(rf"(?:(?!{_ASCII_STOP})[^。！？!?])*(?:(?:[。！？!?]|{_ASCII_STOP})+[”’」』]*|$)", re.M)


def sentences(text: str) -> list[Sentence]:
    """Split into sentences at ``。！？`` (a closing quote stays with its sentence).

    ``“值得学习。”8日上午,…`` gives ``“值得学习。”`` and ``8日上午,…``.
    """
    out: list[Sentence] = []
    pos = 0
    for para, line in enumerate(text.split("\n")):
        index = 0
        for m in _SENT_SPLIT.finditer(line):
            if not m.group(0).strip():
                continue
            start, end = pos + m.start(), pos + m.end()
            out.append(Sentence(start, end, text[start:end], para, index))
            index += 1
        pos += len(line) + 1
    return out


# --- outline ---------------------------------------------------------------------

_OUTLINE = (
    (1, re.compile(rf"^[{CN_NUM}]{{1,3}}、")),
    (2, re.compile(rf"^[(（][{CN_NUM}]{{1,3}}[)）]")),
    (3, re.compile(rf"^(?:[{CN_NUM}]{{1,3}}(?=是|要)|第[{CN_NUM}]{{1,3}}(?=[,，、]))")),
)


def outline_level(sentence: str) -> tuple[int, int] | None:
    """``(level, marker length)`` when a sentence opens with an outline marker.

    ``一、筑先锋堡垒`` -> (1, 2); ``(一)推进强基固本工程`` -> (2, 3);
    ``一是提升农村治理水平`` -> (3, 1) (the ``是`` stays with the text);
    ``一要出“实招”`` -> (3, 1). ``一线`` or ``一张网`` are not markers.
    """
    for level, pattern in _OUTLINE:
        m = pattern.match(sentence)
        if m:
            return level, m.end()
    return None


# --- modal 要 ----------------------------------------------------------------------

_MODAL = re.compile(r"(?<![主重需必首紧纲摘只想不])要(?![求点素害闻务])")


def has_modal(text: str) -> bool:
    """Whether ``要`` is used as "must" (``要突出产业带动``), not in ``重要``/``要求``."""
    return bool(_MODAL.search(text))


# --- jieba -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _posseg() -> object:
    import logging

    import jieba  # lazy: builds its dictionary on first use
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


@lru_cache(maxsize=4096)
def pos_tags(text: str) -> tuple[tuple[str, str], ...]:
    """``(word, flag)`` pairs from ``jieba.posseg`` (nr person, ns place, nt organisation, t time, m numeral)."""
    return tuple((p.word, p.flag) for p in _posseg().cut(text))  # type: ignore[attr-defined]


def looks_like_name(candidate: str) -> bool:
    """Reject a would-be name that jieba knows as an ordinary word (``长期``, ``高度``).

    A real name is tagged ``nr*`` or is unknown to the dictionary (split into
    pieces: ``叶崧`` -> ``叶/v 崧/zg``).
    """
    tags = pos_tags(candidate)
    if len(tags) > 1:
        return True
    return tags[0][1].startswith("nr")


def strip_leading_filler(text: str) -> int:
    """How many leading characters are time words, adverbs or pronouns (``目前``, ``这些``)."""
    n = 0
    for word, flag in pos_tags(text):
        if flag[:1] in ("t", "d", "r", "c") and n + len(word) < len(text):
            n += len(word)
        else:
            break
    return n
