"""The only code that writes an answer's text: its citation marks ``[n]``, its
``原文：`` lines with quotes trimmed to a window (``…``), and the refusals.

An extractive answer reads::

    claim[1]；claim[2]          the head: claims, each followed by the marks of what it
                                cites, joined by "；"
    原文：…the quote…[1]         a line per passage shown apart from its claim, trimmed to
                                a window around the span the claim came from

A claim that is the quoted sentence itself is the (trimmed) quote, and has no 原文
line. Strategies decide what to say and what it cites; this module decides how it is
written, so a change of wording is one edit here and the tests in ``tests/test_render``.

Left out on purpose: the LLM engine's own text (``rag.guard`` normalises its marks),
the summaries' views (``rag.summary_render``) and the UI's HTML (``ui.render``, which
links the marks written here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from rag.types import Answer, Citation

QUOTE_WIDTH = 90  # characters of a quote shown on its 原文 line, at most (plus the …)

REFUSAL = "资料中没有找到相关内容。"
_REDACTED = "资料中该信息已被隐去（原文以“{mark}”代替），无法给出。"
_CLARIFY = ("请问“{pronoun}”指的是{who}？这是本次对话的第一个问题，资料里有多位人员和多次会议。"
            "请写出姓名或会议名称再问，例如“（姓名）还强调了什么？”或“（地名）的现场会在哪开的？”")
_MARK = re.compile(r"\[(\d+)\]")


class Refusal(Enum):
    """Why an answer gives nothing: each kind has one sentence."""

    NOT_FOUND = "not_found"  # the documents do not say it
    REDACTED = "redacted"  # they say it, but the fact is hidden behind a mark (某某, ×××)
    CLARIFY = "clarify"  # the question points back (他, 这次会) with nothing before it


def marks(ns: Iterable[int]) -> str:
    """``[1][2]`` for passages 1 and 2."""
    return "".join(f"[{n}]" for n in ns)


def cite(claim: str, *ns: int) -> str:
    """A claim followed by the marks of the passages that support it: ``刘玉杰[1]``."""
    return claim + marks(ns)


def trim(text: str, start: int, end: int, width: int = QUOTE_WIDTH) -> str:
    """A window of ``text`` around [start, end), at most ``width`` characters, marked
    ``…`` where it is cut. The window opens 10 characters before ``start`` (or earlier,
    so that it stays ``width`` long near the end)."""
    if len(text) <= width:
        return text
    left = max(0, min(start, len(text) - width) - 10)
    right = left + width
    # Never cut a number or a Latin word in two ("…31”" out of “1331”).
    while 0 < left and text[left - 1].isascii() and text[left - 1].isalnum() and text[left].isalnum():
        left -= 1
    while right < len(text) and text[right - 1].isascii() and text[right - 1].isalnum() and text[right].isalnum():
        right += 1
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


@dataclass(frozen=True)
class Shown:
    """Passage ``n`` shown on a 原文 line: its quote, centred on [start, end) of it."""

    n: int
    quote: str
    start: int
    end: int

    def line(self) -> str:
        return f"原文：{trim(self.quote, self.start, self.end)}[{self.n}]"


def answer_text(claims: Sequence[str], lines: Sequence[Shown | str] = ()) -> str:
    """The head (``claims``, each already cited, joined by "；") and then one line per
    item of ``lines``: a 原文 line for a ``Shown``, a note (cited or not) for a string."""
    return "\n".join(["；".join(claims), *(x.line() if isinstance(x, Shown) else x for x in lines)])


def refusal(kind: Refusal, mark: str = "", pronoun: str = "") -> str:
    """The sentence of a refusal of ``kind``. ``REDACTED`` names the ``mark`` that stands
    for the hidden fact and cites the sentence holding it as [1]; ``CLARIFY`` quotes the
    ``pronoun`` the question could not resolve."""
    if kind is Refusal.REDACTED:
        return cite(_REDACTED.format(mark=mark), 1)
    if kind is Refusal.CLARIFY:
        who = "哪次会议" if "会" in pronoun else "哪位"
        return _CLARIFY.format(pronoun=pronoun, who=who)
    return REFUSAL


# Reading a rendered answer back. Follow-up (issue #14, typed hand-offs): an Answer should
# carry its claims and shown quotes, so that merging answers, replacing a head
# (``rag.answer_meetings``) and locating a finished answer's claim (``rag.candidates``)
# use them instead of these readers. Until then they live here, next to the writers.


def split_head(text: str) -> tuple[str, str]:
    """An answer's head (first line) and the lines after it ("" when there are none)."""
    head, _, rest = text.partition("\n")
    return head, rest


def strip_marks(text: str) -> str:
    """``text`` without its ``[n]`` marks."""
    return _MARK.sub("", text)


def shift_marks(text: str, by: int) -> str:
    """Every ``[n]`` of ``text`` renumbered ``[n + by]``."""
    return _MARK.sub(lambda m: f"[{int(m.group(1)) + by}]", text)


def merge_answers(question: str, answers: Sequence[Answer]) -> Answer:
    """Join answers (per meeting, per part of a question) into one: their heads joined
    by "；", their other lines after, citations renumbered in order."""
    texts: list[str] = []
    citations: list[Citation] = []
    for a in answers:
        offset = len(citations)
        texts.append(shift_marks(a.answer, offset))
        citations += [Citation(c.n + offset, c.doc_id, c.title, c.start, c.end, c.quote) for c in a.citations]
    heads = [split_head(t)[0] for t in texts]
    tails = [split_head(t)[1] for t in texts if "\n" in t]
    text = answer_text(heads, tails)
    return Answer(question=question, answer=text, refused=False, citations=citations, engine="extractive")
