"""HTML and chat-Markdown for the web app, as pure functions of plain data.

Every string that came from a document (titles, quotes, passages, answers that
quote them) goes through :func:`esc` before any markup is added, so a document
containing ``<script>alert(1)</script>`` is shown as those characters. Markup is
only ever added around escaped text (``<mark>``, ``<details>``), never inside it.

Chat messages are Markdown (Gradio's Chatbot renders Markdown): :func:`md_text`
escapes both HTML and Markdown punctuation, so ``*`` redaction marks and ``#``
stay literal.

Left out on purpose: any JavaScript, and colours beyond a few CSS classes
(:data:`CSS`, passed to ``launch``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from rag.types import Answer, Citation, Document

# Characters around a cited span shown in the sources panel (within its passage).
CONTEXT_CHARS = 120
ENGINE_LABELS = {"extractive": "抽取式(原文摘录)", "llm": "大模型(LLM)"}
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


def doc_date(doc: Document | None) -> str:
    return "、".join(doc.dates) if doc and doc.dates else ""


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
        hint = "<br>右侧“来源”栏列出了可能相关的段落,供参考。" if answer.related else ""
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
        f"[{c.n}] {md_text(c.title)}" + (f" · {md_text(dates[c.doc_id])}" if dates.get(c.doc_id) else "")
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


def source_card(c: Citation, doc: Document | None, passages: Sequence[Any] = ()) -> str:
    """One cited passage: number, meeting title and date, passage with the span marked."""
    title = doc.title if doc else c.title
    date = doc_date(doc)
    head = (
        f'<div class="mr-source-head"><span class="mr-num">[{c.n}]</span>{esc(title)}'
        + (f'<span class="mr-date">{esc(date)}</span>' if date else "")
        + "</div>"
    )
    if doc is not None and doc.display[c.start : c.end] == c.quote:
        lo, hi = _window(c, doc, passages)
        body = highlighted(doc.display, c.start, c.end, lo, hi)
    else:  # the document changed or was removed since: show the quote alone
        body = f"<mark>{esc(c.quote)}</mark>"
    return f'<div class="mr-source" id="mr-source-{c.n}">{head}<div class="mr-passage">{body}</div></div>'


def sources_html(answer: Answer | None, docs: dict[str, Document | None]) -> str:
    """The sources panel for one answer; ``docs`` maps doc_id to the Document (or None)."""
    if answer is None:
        return '<div class="mr-sources mr-empty">提问后,这里显示每条引用的原文段落,依据部分以黄色标出。</div>'
    out = ['<div class="mr-sources">']
    if answer.refused:
        out.append(
            f'<div class="mr-refusal"><b>未找到依据:</b>{esc(answer.answer)}'
            + ("<br>以下段落可能相关,但不足以回答这个问题:" if answer.related else "")
            + "</div>"
        )
        out.append('<div class="mr-related">')
        out += [source_card(c, docs.get(c.doc_id), answer.passages) for c in answer.related]
        out.append("</div>")
    else:
        out += [source_card(c, docs.get(c.doc_id), answer.passages) for c in answer.citations]
        if not answer.citations:
            out.append('<div class="mr-empty">这个回答没有引用。</div>')
    if answer.removed:
        items = "".join(f"<li>{esc(s)}</li>" for s in answer.removed)
        out.append(f'<div class="mr-removed">已删除的无依据句子:<ul>{items}</ul></div>')
    out.append("</div>")
    return "".join(out)


# --- summaries ------------------------------------------------------------------


def summary_html(summary: Any) -> str:
    """A 会议纪要 as HTML: one line per item, its evidence quote on expand (<details>)."""
    from rag.summary_render import layout, source_note

    m = layout(summary)
    evidence = dict(m.sources)
    out = [f'<div class="mr-summary"><h2>{esc(m.title)}</h2><div class="mr-byline">{esc(m.byline)}</div>']
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


def message_html(text: str, kind: str = "info") -> str:
    """A short status message (already plain text) for an HTML panel."""
    cls = "mr-refusal" if kind == "warning" else "mr-empty"
    return f'<div class="{cls}">{esc(text)}</div>'
