"""Presenting summaries: a 会议纪要 in Markdown or Word, and one table row per meeting.

:func:`layout` turns a :class:`MeetingSummary` into sections of lines, each line
citing footnotes; Markdown and Word both render that one layout, so they
cannot drift apart. Values are shown in simplified Chinese; each footnote
quotes the source in its original script with its character offsets.

Left out on purpose: styling beyond headings and lists, and any text that is
not in the summary (no "未提及" placeholders: an empty field is not shown).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rag.summary_schema import Evidence, MeetingSummary, Person

_KINDS = {"name": "隐去名称", "figure": "隐去数字", "place": "隐去地名", "text": "隐去内容"}
LONG_QUOTE = 60


@dataclass(frozen=True)
class Line:
    text: str
    refs: tuple[int, ...] = ()
    level: int = 0


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[Line, ...]


@dataclass
class Minutes:
    """A rendered-to-be 会议纪要: title, sections, and numbered sources."""

    title: str
    byline: str
    sections: list[Section] = field(default_factory=list)
    sources: list[tuple[int, Evidence]] = field(default_factory=list)

    def cite(self, ev: Evidence) -> int:
        """The footnote number for ``ev`` (one number per distinct span)."""
        for n, seen in self.sources:
            if (seen.start, seen.end) == (ev.start, ev.end):
                return n
        n = len(self.sources) + 1
        self.sources.append((n, ev))
        return n


def person(p: Person) -> str:
    """``李强（临泉县长官镇党委书记）``; an office alone when no name is given."""
    office = (p.organisation or "") + (p.role or "")
    if p.name is None:
        return office
    return f"{p.name}（{office}）" if office else p.name


def _count(group: str, count: int | None, approx: bool = False) -> str:
    return f"{group} {count}{'余' if approx else ''}名" if count is not None else group


def layout(s: MeetingSummary) -> Minutes:
    """The sections of a 会议纪要 for ``s``, empty ones left out."""
    m = Minutes(title=f"{s.title.value if s.title else s.source}会议纪要",
                byline=f"来源：{s.source}（文档 {s.doc_id}，{s.engine} 引擎）")

    def add(heading: str, lines: list[Line]) -> None:
        if lines:
            m.sections.append(Section(heading, tuple(lines)))

    basics = []
    for label, item in (("会议名称", s.title), ("会议类型", s.meeting_type)):
        if item is not None:
            basics.append(Line(f"{label}：{item.value}", (m.cite(item.evidence),)))
    for d in s.dates:
        label = "时间" if d.kind == "meeting" else "发布日期"
        basics.append(Line(f"{label}：{d.value}", (m.cite(d.evidence),)))
    for label, item in (("地点", s.location), ("会场", s.venue), ("主办", s.organiser)):
        if item is not None:
            basics.append(Line(f"{label}：{item.value}", (m.cite(item.evidence),)))
    if s.chair is not None:
        basics.append(Line(f"主持：{person(s.chair)}", (m.cite(s.chair.evidence),)))
    add("基本情况", basics)
    add("出席人员", [Line(person(p), (m.cite(p.evidence),)) for p in s.participants]
        + [Line(_count(g.group, g.count, g.approx), (m.cite(g.evidence),)) for g in s.attendees])
    add("发言", [Line(person(p) + (f"：{p.act}" if p.act and p.act != "主持" else ""), (m.cite(p.evidence),))
                 for p in s.speakers if p.act != "主持"]
        + [Line(_count(g.group, g.count), (m.cite(g.evidence),)) for g in s.speaker_groups])
    add("现场参观", [Line(v.value, (m.cite(v.evidence),)) for v in s.visits])
    add("会议议程", [Line(a.value, (m.cite(a.evidence),)) for a in s.agenda])
    add("会议主题", [Line(t.value, (m.cite(t.evidence),)) for t in s.topics])
    add("主要内容", [Line(f"{k.who}：{k.text}" if k.who else k.text, (m.cite(k.evidence),),
                       max(0, (k.level or 1) - 1)) for k in s.key_points])
    add("部署要求", [Line(f"{r.who}：{r.text}" if r.who else r.text, (m.cite(r.evidence),))
                     for r in s.requirements])
    add("工作任务", [Line(f"{a.who}：{a.what}" + (f"（{a.when}）" if a.when else ""), (m.cite(a.evidence),))
                     for a in s.action_items])
    add("重要数据", [Line(f"{f.value}{f.unit}" + (f"：{f.about}" if f.about else ""), (m.cite(f.evidence),))
                     for f in s.figures])
    add("隐去信息", [Line(f"{_KINDS[r.kind]}：{r.evidence.quote}", (m.cite(r.evidence),)) for r in s.redactions])
    return m


def source_note(ev: Evidence) -> str:
    """``「市委書記劉玉杰主持會議」（第26–36字）``; a long quote keeps its two ends."""
    q = ev.quote if len(ev.quote) <= LONG_QUOTE else f"{ev.quote[:40]}……{ev.quote[-12:]}"
    return f"「{q}」（第{ev.start + 1}–{ev.end}字）"


def to_markdown(summary: MeetingSummary) -> str:
    """A 会议纪要 in Markdown with footnote sources (``[^n]``)."""
    m = layout(summary)
    out = [f"# {m.title}", "", m.byline, ""]
    for section in m.sections:
        out += [f"## {section.heading}", ""]
        for line in section.lines:
            refs = "".join(f"[^{n}]" for n in line.refs)
            out.append(f"{'  ' * line.level}- {line.text}{refs}")
        out.append("")
    if m.sources:
        out += ["## 来源", ""] + [f"[^{n}]: {source_note(ev)}" for n, ev in m.sources] + [""]
    return "\n".join(out)


def to_docx(summaries: MeetingSummary | Sequence[MeetingSummary], path: Path) -> Path:
    """Write a Word document laid out as a 会议纪要 (one per summary, each on its own pages)."""
    import docx  # lazy: python-docx loads lxml
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn

    items = [summaries] if isinstance(summaries, MeetingSummary) else list(summaries)
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    for i, summary in enumerate(items):
        m = layout(summary)
        if i:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(m.title, level=0)
        document.add_paragraph(m.byline)
        for section in m.sections:
            document.add_heading(section.heading, level=1)
            for line in section.lines:
                p = document.add_paragraph(style="List Bullet 2" if line.level else "List Bullet")
                p.add_run(line.text)
                for n in line.refs:
                    p.add_run(f"[{n}]").font.superscript = True
        if m.sources:
            document.add_heading("来源", level=1)
            for n, ev in m.sources:
                document.add_paragraph(f"[{n}] {source_note(ev)}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


# --- one row per meeting -------------------------------------------------------

TABLE_HEADERS = ("日期", "会议", "地点", "主持", "参会人数")


@dataclass(frozen=True)
class TableRow:
    doc_id: str
    source: str
    date: str
    title: str
    place: str
    chair: str
    attendees: str  # "84"; "84+" when some groups have no stated count; "" when none has
    attendee_total: int | None

    def cells(self) -> list[str]:
        """The visible columns, in :data:`TABLE_HEADERS` order."""
        return [self.date, self.title, self.place, self.chair, self.attendees]


def table_row(s: MeetingSummary) -> TableRow:
    """Date (a posting date is marked 发布), title, place, chair and stated head count of one meeting."""
    meeting = [d.value for d in s.dates if d.kind == "meeting"]
    published = [f"{d.value}（发布）" for d in s.dates if d.kind == "published"]
    counts = [g.count for g in s.attendees if g.count is not None]
    total = sum(counts) if counts else None
    partial = total is not None and len(counts) < len(s.attendees)
    return TableRow(
        doc_id=s.doc_id,
        source=s.source,
        date=(meeting or published or [""])[0],
        title=s.title.value if s.title else s.source,
        place=place.value if (place := s.venue or s.location) else "",
        chair=person(s.chair) if s.chair else "",
        attendees="" if total is None else f"{total}{'+' if partial else ''}",
        attendee_total=total,
    )


def table_rows(summaries: Sequence[MeetingSummary]) -> list[TableRow]:
    """One :class:`TableRow` per summary, in the order given."""
    return [table_row(s) for s in summaries]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render_table(rows: Sequence[TableRow]) -> str:
    """A plain-text table aligned for a terminal (CJK characters count double)."""
    grid = [list(TABLE_HEADERS)] + [r.cells() for r in rows]
    widths = [max(_width(row[i]) for row in grid) for i in range(len(TABLE_HEADERS))]

    def fmt(row: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()

    lines = [fmt(grid[0]), "  ".join("-" * w for w in widths)]
    return "\n".join(lines + [fmt(r) for r in grid[1:]])
