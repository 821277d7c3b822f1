"""HTML and chat-Markdown for the web app, as pure functions of plain data.

Every string that came from a document (titles, quotes, passages, answers that
quote them) goes through :func:`esc` before any markup is added, so a document
containing ``<script>alert(1)</script>`` is shown as those characters. Markup is
only ever added around escaped text (``<mark>``, ``<details>``), never inside it.

Chat messages are Markdown (Gradio's Chatbot renders Markdown): :func:`md_text`
escapes both HTML and Markdown punctuation, so ``*`` redaction marks and ``#``
stay literal.

Titles are shown in simplified script (:func:`title_text`, the original in quotes
where it differs); passages and quotes stay in the document's own script.
:data:`CSS` also carries the phone layout (below 768 px): the 问答 tab's parts are
reordered so an answer's 来源 come right under the chat.

Left out on purpose: any JavaScript, and colours beyond a few CSS classes
(:data:`CSS`, passed to ``launch``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from rag.cleaning import to_simplified
from rag.types import Answer, Citation, Document

# Characters around a cited span shown in the sources panel (within its passage).
CONTEXT_CHARS = 120
ENGINE_LABELS = {"extractive": "抽取式(原文摘录)", "llm": "大模型(LLM)"}
SUMMARY_ENGINES = {"rules": "规则抽取", "llm": "大模型"}
_MARKER = re.compile(r"\[(\d{1,3})\]")
# ASCII punctuation Markdown gives meaning to; '&', '<', '>' are left to html.escape.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")

CSS = """
.mr-sources { font-size: 0.95em; }
.mr-source { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 8px 10px; margin: 0 0 10px 0; }
.mr-source-head { font-weight: 600; margin-bottom: 4px; }
.mr-num { color: var(--color-accent); margin-right: 4px; }
.mr-date { font-weight: normal; color: var(--body-text-color-subdued); margin-left: 6px; }
.mr-passage { white-space: pre-wrap; line-height: 1.6; }
.mr-passage mark { background: #fde68a; color: inherit; padding: 0 1px; }
.mr-refusal { border-left: 4px solid #d97706; background: #fffbeb; color: #78350f; padding: 8px 12px; margin-bottom: 10px; border-radius: 4px; }
.mr-related .mr-source { border-style: dashed; opacity: 0.9; }
.mr-removed { color: var(--body-text-color-subdued); font-size: 0.9em; }
.mr-engine { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #e0e7ff; color: #3730a3; font-size: 0.85em; }
.mr-empty { color: var(--body-text-color-subdued); }
.mr-summary details { margin: 2px 0 2px 0; }
.mr-summary summary { cursor: pointer; }
.mr-summary blockquote { margin: 4px 0 8px 16px; padding: 4px 8px; border-left: 3px solid #cbd5e1; white-space: pre-wrap; }
.mr-summary h3 { margin: 14px 0 4px 0; }
.mr-byline { color: var(--body-text-color-subdued); font-size: 0.9em; }
.mr-original { display: block; font-weight: normal; font-size: 0.85em; color: var(--body-text-color-subdued); }
/* 评测 chart (ui/chart.py): a label, then one bar per system, as wide as the page allows. */
.mr-chart { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px; }
.mr-chart-title { font-weight: 600; margin-bottom: 4px; }
.mr-legend { font-size: 0.85em; margin-bottom: 8px; }
.mr-key { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin: 0 4px 0 12px; vertical-align: -1px; }
.mr-key:first-child { margin-left: 0; }
.mr-chart-row { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 12px; margin: 6px 0; }
.mr-chart-label { flex: 0 0 11em; font-size: 0.9em; }
.mr-chart-bars { flex: 1 1 240px; min-width: 0; }
.mr-bar-line { display: flex; align-items: center; gap: 6px; height: 16px; margin: 1px 0; }
.mr-bar { height: 12px; border-radius: 2px; min-width: 1px; }
.mr-ours { background: #2b6cb0; }
.mr-base { background: #a0aec0; }
.mr-bar-value { font-size: 0.8em; font-variant-numeric: tabular-nums; }
.mr-warning { border-left: 4px solid #d97706; background: #fffbeb; color: #78350f; padding: 6px 10px; border-radius: 4px; white-space: pre-line; }
/* Read-only tables (render.table_html): as tall as their rows, text wrapped, headers on one line. */
.mr-table-title { font-size: var(--block-label-text-size); color: var(--block-label-text-color); margin: 4px 0; }
.mr-table { width: 100%; border-collapse: collapse; font-size: 0.95em; }
.mr-table th { white-space: nowrap; text-align: left; font-weight: 600; }
.mr-table th, .mr-table td { padding: 6px 8px; border-bottom: 1px solid var(--border-color-primary); vertical-align: top; overflow-wrap: anywhere; }
/* The chat's own trash icon covered the first question on a phone; "新对话" clears the chat. */
#chatbot .top-panel { display: none; }
#engine .info-text { overflow-wrap: anywhere; }
/* A phone: the 来源 of an answer come right under the chat, before the input, instead of
   after everything else (a wrapped row puts the second column last). The columns dissolve
   (display: contents) so their children can be ordered as one list. */
@media (max-width: 767px) {
  #chat-layout { flex-direction: column; flex-wrap: nowrap; align-items: stretch; }
  #chat-main, #chat-side { display: contents; }
  #chat-options { order: 1; }
  #chat-options > .form { flex-direction: column; }
  #chatbot { order: 2; height: min(460px, 60vh) !important; }
  #sources-heading { order: 3; }
  #sources { order: 4; }
  #ask-row { order: 5; }
  #chat-status { order: 6; }
  #examples { order: 7; }
  .mr-chart-label { flex-basis: 100%; }
  .mr-table .mr-wide { display: none; }
}
"""


def esc(text: str) -> str:
    """HTML-escape document text (quotes too, so it is safe inside attributes)."""
    return html.escape(text, quote=True)


def md_text(text: str) -> str:
    """Text for a Markdown message: HTML-escaped, Markdown punctuation backslash-escaped."""
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text), quote=False)


def engine_label(engine: str) -> str:
    return ENGINE_LABELS.get(engine, engine)


def duration(ms: float) -> str:
    """``54 毫秒`` below a second, ``1.3 秒`` above."""
    return f"{ms:.0f} 毫秒" if ms < 1000 else f"{ms / 1000:.1f} 秒"


def title_text(title: str) -> str:
    """A document title in simplified script, the original in quotes where it differs:
    ``全市優秀基層黨組織書記座談會`` -> ``全市优秀基层党组织书记座谈会（原题“全市優秀基層黨組織書記座談會”）``."""
    simple = to_simplified(title)
    return simple if simple == title else f"{simple}（原题“{title}”）"


def date_text(dates: Sequence[tuple[str, str]]) -> str:
    """A document's dates for a listing, ``(value, kind)`` with kind "meeting" or "published":
    a meeting date as written, a date line under the headline marked as such.

    ``[("2022-09-23", "published")]`` -> ``2022-09-23（发布）``, as in the 会议纪要 table: it is
    not the meeting's date.
    """
    held = [v for v, kind in dates if kind == "meeting"]
    published = [f"{v}（发布）" for v, kind in dates if kind != "meeting"]
    return "、".join(held + published)


# --- chat ---------------------------------------------------------------------


def answer_markdown(answer: Answer, dates: dict[str, str] | None = None) -> str:
    """The assistant's chat message: answer with [n] markers, numbered sources, engine badge.

    ``dates`` maps doc_id to a date string for the source lines.
    """
    dates = dates or {}
    badge = (f'<span class="mr-engine">回答引擎:{md_text(engine_label(answer.engine))} · '
             f'{duration(answer.timings_ms.get("total", 0.0))}</span>')
    # A follow-up is read in the light of the previous turn: say how.
    note = f"*(按“{md_text(answer.standalone_question)}”理解)*" if answer.standalone_question else ""
    if answer.refused:
        # An HTML block (Markdown is not parsed inside it, so plain HTML escaping is right here).
        # Valid wherever the layout puts the panel: beside the chat, or under it on a phone.
        hint = "<br>“来源”栏列出了可能相关的段落,供参考。" if answer.related else ""
        box = f'<div class="mr-refusal"><b>⚠ 未找到依据</b> — {esc(answer.answer)}{hint}</div>'
        return "\n\n".join(([note] if note else []) + [box, badge])
    parts = []
    pos = 0
    for m in _MARKER.finditer(answer.answer):
        parts.append(md_text(answer.answer[pos : m.start()]))
        parts.append(f"<sup>[{m.group(1)}]</sup>")
        pos = m.end()
    parts.append(md_text(answer.answer[pos:]))
    body = "".join(parts)
    sources = [
        f"[{c.n}] {md_text(to_simplified(c.title))}"
        + (f" · {md_text(dates[c.doc_id])}" if dates.get(c.doc_id) else "")
        for c in answer.citations
    ]
    out = [note, body] if note else [body]
    if sources:
        out.append("**来源**:" + ";".join(sources))
    if answer.removed:
        out.append(f"(已删除 {len(answer.removed)} 句资料中找不到依据的内容)")
    out.append(badge)
    return "\n\n".join(out)


def partial_markdown(text: str, engine: str) -> str:
    """A streaming answer so far."""
    return f"{md_text(text)} ▌\n\n<span class=\"mr-engine\">回答引擎:{md_text(engine_label(engine))} · 生成中…</span>"


# --- sources panel --------------------------------------------------------------


def highlighted(display: str, start: int, end: int, lo: int, hi: int) -> str:
    """``display[lo:hi]`` escaped, with ``[start, end)`` wrapped in <mark>; ellipses where cut."""
    lo, hi = max(0, min(lo, start)), min(len(display), max(hi, end))
    head = "…" if lo > 0 else ""
    tail = "…" if hi < len(display) else ""
    return (
        f"{head}{esc(display[lo:start])}<mark>{esc(display[start:end])}</mark>"
        f"{esc(display[end:hi])}{tail}"
    )


def _window(c: Citation, doc: Document, passages: Sequence[Any]) -> tuple[int, int]:
    """The context to show around a citation: its passage, trimmed to CONTEXT_CHARS each side."""
    lo, hi = c.start - CONTEXT_CHARS, c.end + CONTEXT_CHARS
    for p in passages:
        if p.doc_id == c.doc_id and p.start <= c.start and c.end <= p.end:
            return max(lo, p.start), min(hi, p.end)
    return lo, hi


def source_card(c: Citation, doc: Document | None, passages: Sequence[Any] = (), date: str = "") -> str:
    """One cited passage: number, meeting title (simplified; the original beside it where it
    differs) and ``date``, then the passage in the document's own script with the span marked."""
    title = doc.title if doc else c.title
    simple = to_simplified(title)
    original = f'<span class="mr-original">原题“{esc(title)}”</span>' if simple != title else ""
    head = (
        f'<div class="mr-source-head"><span class="mr-num">[{c.n}]</span>{esc(simple)}'
        + (f'<span class="mr-date">{esc(date)}</span>' if date else "")
        + original
        + "</div>"
    )
    if doc is not None and doc.display[c.start : c.end] == c.quote:
        lo, hi = _window(c, doc, passages)
        body = highlighted(doc.display, c.start, c.end, lo, hi)
    else:  # the document changed or was removed since: show the quote alone
        body = f"<mark>{esc(c.quote)}</mark>"
    return f'<div class="mr-source" id="mr-source-{c.n}">{head}<div class="mr-passage">{body}</div></div>'


def sources_html(
    answer: Answer | None, docs: dict[str, Document | None], dates: dict[str, str] | None = None
) -> str:
    """The sources panel for one answer; ``docs`` maps doc_id to the Document (or None),
    ``dates`` doc_id to its :func:`date_text`."""
    if answer is None:
        return '<div class="mr-sources mr-empty">提问后,这里显示每条引用的原文段落,依据部分以黄色标出。</div>'
    dates = dates or {}

    def card(c: Citation) -> str:
        return source_card(c, docs.get(c.doc_id), answer.passages, dates.get(c.doc_id, ""))

    out = ['<div class="mr-sources">']
    if answer.refused:
        out.append(
            f'<div class="mr-refusal"><b>未找到依据:</b>{esc(answer.answer)}'
            + ("<br>以下段落可能相关,但不足以回答这个问题:" if answer.related else "")
            + "</div>"
        )
        out.append('<div class="mr-related">')
        out += [card(c) for c in answer.related]
        out.append("</div>")
    else:
        out += [card(c) for c in answer.citations]
        if not answer.citations:
            out.append('<div class="mr-empty">这个回答没有引用。</div>')
    if answer.removed:
        items = "".join(f"<li>{esc(s)}</li>" for s in answer.removed)
        out.append(f'<div class="mr-removed">已删除的无依据句子:<ul>{items}</ul></div>')
    out.append("</div>")
    return "".join(out)


# --- summaries ------------------------------------------------------------------


def summary_html(summary: Any, original_title: str = "") -> str:
    """A 会议纪要 as HTML: one line per item, its evidence quote on expand (<details>).

    The heading is simplified like every value; ``original_title`` (the document's own
    title) is shown in quotes under it when its script differs.
    """
    from rag.summary_render import layout, source_note

    m = layout(summary)
    evidence = dict(m.sources)
    engine = SUMMARY_ENGINES.get(summary.engine, summary.engine)
    byline = f"来源:{summary.source}(文档编号 {summary.doc_id},{engine})"
    simple = to_simplified(original_title)
    original = f'<div class="mr-byline">原题“{esc(original_title)}”</div>' if simple != original_title else ""
    out = [f'<div class="mr-summary"><h2>{esc(m.title)}</h2>{original}<div class="mr-byline">{esc(byline)}</div>']
    for section in m.sections:
        out.append(f"<h3>{esc(section.heading)}</h3>")
        for line in section.lines:
            refs = "".join(f"[{n}]" for n in line.refs)
            quotes = "".join(f"<blockquote>{esc(source_note(evidence[n]))}</blockquote>" for n in line.refs)
            indent = f' style="margin-left:{16 * line.level}px"' if line.level else ""
            out.append(
                f"<details{indent}><summary>{esc(line.text)} <sup>{refs}</sup></summary>{quotes}</details>"
            )
    if not m.sections:
        out.append('<p class="mr-empty">这份文档里没有找到可提取的会议要素。</p>')
    out.append("</div>")
    return "".join(out)


def table_html(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], empty: str = "",
               narrow_hidden: Sequence[int] = ()) -> str:
    """A read-only table under a small title; every cell escaped, long text wrapped.

    Columns whose index is in ``narrow_hidden`` are left out on a phone, where six
    columns would squeeze each to a character's width. No rows: ``empty`` (or nothing).
    """
    if not rows:
        return f'<div class="mr-table-title">{esc(title)}</div><div class="mr-empty">{esc(empty)}</div>' if empty else ""

    def cells(tag: str, values: Sequence[Any]) -> str:
        wide = ' class="mr-wide"'
        return "".join(
            f"<{tag}{wide if i in narrow_hidden else ''}>{esc(str(v))}</{tag}>" for i, v in enumerate(values)
        )

    body = "".join(f"<tr>{cells('td', r)}</tr>" for r in rows)
    return (f'<div class="mr-table-title">{esc(title)}</div>'
            f'<table class="mr-table"><thead><tr>{cells("th", headers)}</tr></thead><tbody>{body}</tbody></table>')


def status_html(text: str, error: bool = False) -> str:
    """A status line under a control: plain text, or an amber box with ⚠ for an error."""
    if not text:
        return ""
    if error:
        return f'<div class="mr-warning">⚠ {esc(text)}</div>'
    return "  \n".join(md_text(line) for line in text.split("\n"))  # each line its own (notes)


def message_html(text: str, kind: str = "info") -> str:
    """A short status message (already plain text) for an HTML panel."""
    cls = "mr-refusal" if kind == "warning" else "mr-empty"
    return f'<div class="{cls}">{esc(text)}</div>'
