"""The only code that writes an answer's text: its citation marks ``[n]``, its
``原文：`` lines with quotes trimmed to a window (``…``), and the refusals.

An extractive answer reads::

    claim[1]；claim[2]          the head: claims, each followed by the marks of what it
                                cites, joined by "；"
    原文：…the quote…[1]         a line per passage shown apart from its claim, trimmed to
                                a window around the span the claim came from

A claim that is the quoted sentence itself is the (trimmed) quote, and has no 原文
line. Strategies decide what to say and what it cites, as a ``rag.types.Layout`` (cited
claims, shown quotes, notes); ``answered`` writes it, and the Answer keeps the layout, so
merging answers (``merge_answers``) or reading a finished answer's claim (``head_words``)
never parses the text back. A change of wording is one edit here and the tests in
``tests/test_render``.

Left out on purpose: the LLM engine's own text (``rag.guard`` normalises its marks),
the summaries' views (``rag.summary_render``) and the UI's HTML (``ui.render``, which
links the marks written here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from enum import Enum

from rag.types import Answer, Citation, Cited, Layout, Shown

QUOTE_WIDTH = 90  # characters of a quote shown on its 原文 line, at most (plus the …)

REFUSAL = "资料中没有找到相关内容。"
_REDACTED = "资料中该信息已被隐去（原文以“{mark}”代替），无法给出。"
_CLARIFY = ("请问“{pronoun}”指的是{who}？这是本次对话的第一个问题，资料里有多位人员和多次会议。"
            "请写出姓名或会议名称再问，例如“（姓名）还强调了什么？”或“（地名）的现场会在哪开的？”")


class Refusal(Enum):
    """Why an answer gives nothing: each kind has one sentence."""

    NOT_FOUND = "not_found"  # the documents do not say it
    REDACTED = "redacted"  # they say it, but the fact is hidden behind a mark (某某, ×××)
    CLARIFY = "clarify"  # the question points back (他, 这次会) with nothing before it


def marks(ns: Iterable[int | str]) -> str:
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
    left = max(0, min(start - 10, len(text) - width))  # near the end: the last ``width`` characters
    right = left + width
    # Never cut a number or a Latin word in two ("…31”" out of “1331”).
    while 0 < left and text[left - 1].isascii() and text[left - 1].isalnum() and text[left].isalnum():
        left -= 1
    while right < len(text) and text[right - 1].isascii() and text[right - 1].isalnum() and text[right].isalnum():
        right += 1
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def source_line(shown: Shown) -> str:
    """``原文：…the quote…[n]``: passage ``shown.n``, trimmed around its span."""
    return f"原文：{trim(shown.quote, shown.start, shown.end)}[{shown.n}]"


def answer_text(claims: Sequence[str], lines: Sequence[Shown | str] = ()) -> str:
    """The head (``claims``, each already cited, joined by "；") and then one line per
    item of ``lines``: a 原文 line for a ``Shown``, a note for a string."""
    return "\n".join(["；".join(claims), *(source_line(x) if isinstance(x, Shown) else x for x in lines)])


def head(layout: Layout) -> str:
    """The answer's first line: each claim followed by its marks, joined as the layout says."""
    return "".join((c.after if i else "") + cite(c.text, *c.cites) for i, c in enumerate(layout.claims))


def written(layout: Layout) -> str:
    """An answer's whole text: its head, then a line per shown passage or note."""
    return answer_text([head(layout)], layout.lines)


def answered(question: str, layout: Layout, citations: list[Citation], strategy: str | None = None) -> Answer:
    """The extractive answer that says ``layout``, citing ``citations`` ([n] is the n-th)."""
    return Answer(question=question, answer=written(layout), refused=False, citations=citations,
                  engine="extractive", strategy=strategy, layout=layout)


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


def refused(question: str, kind: Refusal, citations: Sequence[Citation] = (), related: Sequence[Citation] = (),
            mark: str = "", pronoun: str = "", strategy: str | None = None) -> Answer:
    """The extractive engine's refusal of ``kind`` (see ``refusal``): ``citations`` holds
    the sentence a redaction hides the fact in; ``related``, passages that may be related."""
    return Answer(question=question, answer=refusal(kind, mark=mark, pronoun=pronoun), refused=True,
                  citations=list(citations), engine="extractive", related=list(related), strategy=strategy)


def head_words(answer: Answer) -> str:
    """The words of an extractive answer's first line, without its marks."""
    return "".join((c.after if i else "") + c.text for i, c in enumerate(layout_of(answer).claims))


def layout_of(answer: Answer) -> Layout:
    """The claims and quotes an extractive answer was written from."""
    if answer.layout is None:  # a refusal or an LLM answer: nothing structured to join
        raise ValueError(f"answer {answer.answer[:40]!r} has no layout; only rag.render.answered ones do")
    return answer.layout


def merge_answers(question: str, answers: Sequence[Answer]) -> Answer:
    """Join answers (per meeting, per part of a question) into one: their first lines
    joined by "；", their other lines after, citations renumbered in order."""
    claims: list[Cited] = []
    lines: list[Shown | str] = []
    citations: list[Citation] = []
    numbered: dict[tuple[str, int, int], int] = {}  # a passage two parts cite is shown once
    for a in answers:
        renumber: dict[int, int] = {}
        for c in a.citations:
            key = (c.doc_id, c.start, c.end)
            if key not in numbered:
                numbered[key] = len(citations) + 1
                citations.append(Citation(numbered[key], c.doc_id, c.title, c.start, c.end, c.quote))
            renumber[c.n] = numbered[key]
        own = layout_of(a)
        claims += [replace(c, cites=tuple(renumber.get(n, n) for n in c.cites), after="；" if i == 0 else c.after)
                   for i, c in enumerate(own.claims)]
        shown = {x.n for x in lines if isinstance(x, Shown)}
        for x in own.lines:
            if isinstance(x, Shown):
                n = renumber.get(x.n, x.n)
                if n not in shown:
                    lines.append(replace(x, n=n))
                    shown.add(n)
            else:
                lines.append(x)
    return answered(question, Layout(tuple(claims), tuple(lines)), citations)
