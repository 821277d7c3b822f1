"""Meeting facts by rule: title, meeting type, dates, place, organiser, site visits.

Reports open with a formula: ``3月30日,我县在凤埔乡召开“1331”基层党建现场会,…``;
a speech is headed ``在X推进会上的讲话``; an exchange paper ``交流发言:…``. The
sentence that holds ``召开``/``举行`` (the *meeting sentence*) anchors most facts.

Left out on purpose: places and organisers that are only implied (a newspaper's
city, a county known from its slogans).
"""

from __future__ import annotations

import re

from rag.evidence import span, text_item
from rag.metadata import DATE
from rag.rules_text import Sentence, has_modal, sentences
from rag.summary_schema import DateItem, TextItem
from rag.types import Document

MEETING_KINDS = (
    "座谈会|现场会|推进会|动员会|部署会|培训会|交流会|研讨会|汇报会|观摩会|调度会|"
    "联席会议|常务会议|工作会议|全体会议|例会|大会|会议"
)
_NAME = rf"[\w“”\"、·()（）]{{2,40}}?(?:{MEETING_KINDS})"
_AFTER_CONVENE = re.compile(rf"(?:召开|举行|举办)(?P<name>{_NAME})(?=[,，。；;在上]|$)")
_BEFORE_CONVENE = re.compile(rf"(?:^|[,，])(?P<name>{_NAME})(?:在[^,，。]{{1,20}})?(?:召开|举行)")
_SPEECH_TITLE = re.compile(rf"^在(?P<name>{_NAME})上的(?:讲话|发言|总结讲话|主持词)")
_GENRE_PREFIX = re.compile(r"^(?P<genre>交流发言|典型发言|表态发言|经验交流|讲话)[:：](?P<rest>.+)$")
_KIND = re.compile(rf"(?:{MEETING_KINDS})$")
_CONVENE = re.compile(r"召开|举行|举办|会议|会上")

_PLACE_SUFFIX = "乡|镇|村|县|市|区|街道|社区|会议室|礼堂|中心|大厦|宾馆|酒店|大厅|厅|馆|室|基地|园区|园"
_LOCATION = re.compile(rf"在(?P<place>[^\s,，。、在]{{2,20}}?(?:{_PLACE_SUFFIX}))(?:召开|举行|举办)")
_ORGANISER = re.compile(
    r"(?:^|[,，])(?:[^,，。]{0,12}?[日午],?)?(?P<org>(?:我|全)?[^\s,，。、]{0,10}?(?:县|市|区|省|乡|镇|党委|党工委|县委|市委|组织部|政府|办公室))"
    r"(?:在[^,，。]{1,20}?)?(?:召开|举行|举办)"
)
_VISIT_SUFFIX = "村|园|产业园|基地|示范点|示范村|中心|镇|乡|社区|企业|公司|合作社|厂|馆|站"
_VISITS = (
    re.compile(rf"到(?P<site>[^,，。；;到]{{2,40}}?(?:{_VISIT_SUFFIX}))进行(?:现场)?(?:参观|考察|观摩|调研)"),
    re.compile(rf"参观(?:首站)?(?:来到了?)?(?P<site>[^,，。；;]{{2,40}}?(?:{_VISIT_SUFFIX}))(?=时|[,，。；;])"),
)


def _meeting_sentence(doc: Document) -> Sentence | None:
    for s in sentences(doc.text):
        if re.search(r"召开|举行|举办", s.text) and (
            _AFTER_CONVENE.search(s.text) or _BEFORE_CONVENE.search(s.text)
        ):
            return s
    return None


def meeting_name(doc: Document) -> TextItem | None:
    """The meeting's name: ``召开X会``, ``X会召开``, or the heading ``在X会上的讲话``."""
    first = doc.text.split("\n", 1)[0]
    m = _SPEECH_TITLE.match(first)
    if m:
        return text_item(doc, m.start("name"), m.end("name"))
    s = _meeting_sentence(doc)
    if s is not None:
        m = _AFTER_CONVENE.search(s.text) or _BEFORE_CONVENE.search(s.text)
        assert m is not None  # _meeting_sentence only returns sentences that match
        # "3月28日上午,全市…座谈会召开": the name is the clause, not the date before it.
        start = s.start + m.start("name")
        return text_item(doc, start, s.start + m.end("name"))
    return None


def title(doc: Document) -> TextItem | None:
    """The meeting's name, else the headline without a genre prefix (``交流发言:``)."""
    named = meeting_name(doc)
    if named is not None:
        return named
    first = doc.text.split("\n", 1)[0]
    if not first or len(first) > 50 or first.endswith("。"):
        return None
    m = _GENRE_PREFIX.match(first)
    if m:
        return text_item(doc, m.start("rest"), m.end("rest"))
    return text_item(doc, 0, len(first))


def meeting_type(doc: Document) -> TextItem | None:
    """The kind of meeting (the name's last word), else the genre in the headline."""
    named = meeting_name(doc)
    if named is not None:
        m = _KIND.search(named.value)
        if m:
            end = named.evidence.end
            return TextItem(value=m.group(0), evidence=span(doc, end - len(m.group(0)), end))
    first = doc.text.split("\n", 1)[0]
    g = _GENRE_PREFIX.match(first)
    if g:
        return TextItem(value=g.group("genre"), evidence=span(doc, 0, g.end("genre")))
    return None


def dates(doc: Document) -> list[DateItem]:
    """Dates of the meeting (in a sentence about convening it) and a date line under the headline."""
    out: list[DateItem] = []
    lines = doc.text.split("\n")
    offset = 0
    for n, line in enumerate(lines[:3]):
        m = DATE.match(line)
        if n > 0 and m and len(line) <= 24:  # "2022-09-23 11": a web page's posting stamp
            out.append(DateItem(value=re.sub(r"\s+", "", m.group(0)), kind="published",
                                evidence=span(doc, offset + m.start(), offset + m.end())))
        offset += len(line) + 1
    for s in sentences(doc.text):
        if not _CONVENE.search(s.text):
            continue
        for m in DATE.finditer(s.text):
            value = re.sub(r"\s+", "", m.group(0))
            if all(d.value != value for d in out):
                out.append(DateItem(value=value, kind="meeting",
                                    evidence=span(doc, s.start + m.start(), s.start + m.end())))
    return out


def location(doc: Document) -> TextItem | None:
    """``在凤埔乡召开`` -> 凤埔乡."""
    m = _LOCATION.search(doc.text)
    if m is None:
        return None
    return text_item(doc, m.start("place"), m.end("place"))


def organiser(doc: Document) -> TextItem | None:
    """The subject of the first ``召开``: ``我县在凤埔乡召开`` -> 我县. Only a place or a party/government body."""
    for s in sentences(doc.text):
        m = _ORGANISER.search(s.text)
        if m is not None and not m.group("org").endswith(("会", "们")):
            return text_item(doc, s.start + m.start("org"), s.start + m.end("org"))
    return None


def visits(doc: Document) -> list[TextItem]:
    """Sites visited: ``到X进行现场参观考察``, ``参观X时``, ``参观首站来到了X``.

    Sentences that instruct (``要…到先进村观摩学习``) describe future work, not this meeting.
    """
    out: list[TextItem] = []
    for s in sentences(doc.text):
        if has_modal(s.text) or s.text.startswith("“"):
            continue
        for pattern in _VISITS:
            for m in pattern.finditer(s.text):
                start = s.start + m.start("site")
                for part in re.finditer(rf"[^和]+?(?:{_VISIT_SUFFIX})(?=和|$)", m.group("site")):
                    a, b = start + part.start(), start + part.end()
                    item = text_item(doc, a, b)
                    if item is not None:
                        out.append(item)
    return out
