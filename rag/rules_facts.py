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
    "联席会议|常务会议|工作会议|全体会议|例会|大会|会议|"
    # meetings named by what is done there: 集体学习会, 务虚会, 会商会, 开班仪式, 签约仪式, 主题党日活动
    "学习会|务虚会|会商会|恳谈会|见面会|推介会|评议会|议事会|培训班|开班式|开幕式|仪式|典礼|论坛|活动|"
    "工作会|总结会|表彰会|誓师会|约谈会|分析会|协调会|通报会|讲评会|点评会|办公会|碰头会|报告会|宣讲会|评审会|论证会|"
    # events held rather than sat (drills); the village's own meetings (院坝会, 坝坝会)
    "演练|发布会|启动会|听证会|院坝会|坝坝会|板凳会|夜话会|屋场会"
)
_NAME = rf"[\w“”\"、·()（）—\-－+＋]{{2,40}}?(?:{MEETING_KINDS})"  # 2021—2022年度…部署会
# The name ends at punctuation, 在/上, or anything a name is not written with ("召开春耕备耕工作会🌾").
_AFTER_CONVENE = re.compile(rf"(?:召开|举行|举办)(?P<name>{_NAME})(?=[,，。；;在上]|[^\w“”\"、·()（）—\-－+＋]|$)")
_BEFORE_CONVENE = re.compile(
    # "…会议在县委党校召开", "…会议于县委党校报告厅召开", "…会议于3月5日在县委党校召开"
    rf"(?:^|[,，])(?P<name>{_NAME})(?:于[^,，。在]{{1,20}})?(?:在[^,，。]{{1,20}}|以[^,，。]{{1,12}}(?:形式|方式))?"
    r"(?:召开|举行|举办)"
)
_AT_MEETING = re.compile(rf"(?:在|(?:^|(?<=[,，。；;]))(?=[^,，。；;]{{2,40}}上[,，]))(?P<name>{_NAME})上")
_CARRIED_OUT = re.compile(r"(?:组织)?开展了?(?P<name>[\w“”\"、·()（）—\-－]{2,40}?(?:活动|专题培训))(?=[,，。；;]|$)")
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


# Lines that are not the document's heading: a web page's navigation and stamps, an
# issuing body alone on its line, a document number, a bare date.
_FURNITURE = re.compile(
    r"[|｜>»]|^(?:首页|当前位置|您现在的位置|发布时间|发布日期|来源|作者|浏览|点击|字号|【)"
    r"|^(?:中共)?[\u4e00-\u9fff]{2,20}(?:委员会|办公室|组织部|人民政府|政府|党委|党工委|局|领导小组)$"
    r"|^[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号$|^[(（]?\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?[)）]?"
    # A site's or an account's name, a bulletin's masthead and issue, a post's time stamp.
    r"|^[\u4e00-\u9fff]{2,20}(?:网|网站|门户|门户网站|客户端)$|(?:简报|快讯|动态|工作通讯)$|^第\s*[\d一二三四五六七八九十]+\s*期"
    r"|\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}"
    # Layout and navigation: columns set apart by runs of spaces, log-in links, today's date.
    r"|\S\s{3,}\S|登录|注册|^今天是"
    # A minutes field: "时间:5月6日上午", "会址:镇政府二楼".
    r"|^(?:会议)?(?:时间|地点|会址|主持人?|记录人?|参会人员|出席|列席|缺席)[:：]"
    # A section's label: "会议议程", "讨论发言", "与会人员讨论情况".
    r"|^(?:会议|与会人员)?(?:议程|内容|议题|讨论发言|讨论情况|发言摘要)[:：]?$"
    # An item of a list or a line that goes on: "一、镇党委书记章海作动员讲话;"
    r"|^(?:[一二三四五六七八九十]+、|\d{1,2}[.、．](?!\d))|[；;，,：:]$"
)
_NOTICE = re.compile(r"^关于(?:召开|举办|举行|开展)?(?P<name>.{2,60}?)(?:的|有关事项的)?(?:通知|通报|报告|情况报告)$")
_MINUTES = re.compile(r"^(?P<name>.{2,60}?)(?:纪要|记录)$")  # 会议纪要, 会议记录
# A minutes or notice field naming the meeting: "会议名称:全镇春季植树造林工作调度会".
_NAME_FIELD = re.compile(r"^[ \t]*(?:会议|活动)名称[:：][ \t]*(?P<name>[^\n]{2,60}?)[ \t]*$", re.M)
_GENERIC = re.compile(rf"^(?:{MEETING_KINDS})$")
# What a name picks up from the sentence around it: 召开了X, 此次X, X在白沙乡举行, X精神.
_NAME_HEAD = re.compile(r"^(?:了|的|此次|本次|这次|该次|该)+")
_NAME_TAIL = re.compile(r"(?:在[^,，。]{1,20}?)?(?:隆重)?(?:召开|举行|举办|开班|开幕)$|精神$")


def _named(doc: Document, start: int, end: int) -> TextItem | None:
    """A meeting's name at ``[start, end)`` without what the sentence wraps it in."""
    value = doc.text[start:end]
    if head := _NAME_HEAD.match(value):
        start += head.end()
    if tail := _NAME_TAIL.search(doc.text[start:end]):
        end = start + tail.start()
    return text_item(doc, start, end) if end - start >= 2 else None
_LATER = re.compile(r"^(?:会前|会后|会议结束后|结束后|随后|当天下午|当天晚上|此前|之后|开班式后)")


def heading(doc: Document) -> tuple[int, str] | None:
    """The document's heading line and its offset: the first of its opening lines that is
    not page furniture (navigation, stamps, the issuing body, a document number)."""
    pos = 0
    for n, line in enumerate(doc.text.split("\n")):
        text = line.strip()
        if n >= 8:
            break
        if text and not _FURNITURE.search(text) and len(text) <= 60 and not text.endswith(("。", ".")):
            return pos + line.index(text), text
        if text and len(text) > 60:
            break  # the body has begun: the document has no heading
        pos += len(line) + 1
    return None


def meeting_name(doc: Document) -> TextItem | None:
    """The meeting's name: ``在X会上的讲话``, ``关于召开X的通知``, ``X会议纪要``, else
    ``召开X会`` / ``X会召开`` in the first sentence about the meeting itself (not one
    about what happened before or after it: 会后,…召开了座谈会)."""
    if field := _NAME_FIELD.search(doc.text[:600]):
        return text_item(doc, field.start("name"), field.end("name"))
    head = heading(doc)
    if head is not None:
        at, line = head
        for pattern in (_SPEECH_TITLE, _NOTICE, _MINUTES):
            m = pattern.match(line)
            if m and _GENERIC.match(m.group("name")):
                continue  # a heading "会议纪要" names no meeting
            if m and _KIND.search(m.group("name")) or (m and pattern is not _SPEECH_TITLE):
                return _named(doc, at + m.start("name"), at + m.end("name"))
    headline: TextItem | None = None
    headline_at = 0
    for n, s in enumerate(sentences(doc.text)):
        if _LATER.match(s.text.strip()):
            continue
        named: TextItem | None = None
        if n < 3 and not has_modal(s.text) and (m := _CARRIED_OUT.search(s.text)):
            # "11月23日至24日,该县组织开展2017年度…观摩评比活动": an event carried out, not convened
            named = _named(doc, s.start + m.start("name"), s.start + m.end("name"))
        elif re.search(r"召开|举行|举办", s.text) and (m := _AFTER_CONVENE.search(s.text) or _BEFORE_CONVENE.search(s.text)):
            # "3月28日上午,全市…座谈会召开": the name is the clause, not the date before it.
            named = _named(doc, s.start + m.start("name"), s.start + m.end("name"))
        if named is None:
            if headline is not None and n > headline_at + 3:
                break
            continue
        if head is None or headline is not None or not (head[0] <= named.evidence.start < head[0] + len(head[1])):
            if headline is not None and not _fuller(named.value, headline.value):
                return headline
            return named
        # A news headline shortens the name ("石柱县召开驻村第一书记和新乡贤座谈会"); the report's
        # first sentences give it in full ("全县驻村第一书记工作交流会暨新乡贤助力乡村振兴座谈会在黄水镇召开").
        headline, headline_at = named, n
    return headline


_ISSUE = re.compile(r"^(?:(?:19|20)\d{2}年度?)?(?:第[\d一二三四五六七八九十]+(?:次|期|轮|届))?")


def _fuller(body: str, headline: str) -> bool:
    """Whether the body's name of the meeting says more than the headline's: the same kind of
    meeting, and more than a year or an issue number in front (``2019年第六次专题学习会议`` says
    no more than ``专题学习会议``)."""
    kb, kh = _KIND.search(body), _KIND.search(headline)
    if kb is None or kh is None or kb.group(0) != kh.group(0):
        return False
    core_body, core_head = _ISSUE.sub("", body), _ISSUE.sub("", headline)
    return core_body != core_head and len(core_body) > len(core_head)


def title(doc: Document) -> TextItem | None:
    """The meeting's name, else the heading without a genre prefix (``交流发言:``)."""
    head = heading(doc)
    named = meeting_name(doc)
    if named is not None:
        # A headline that names the same meeting more fully wins ("白鹭县2022年度…评比会" over
        # the sentence's "…评比会"); a headline about something else does not.
        if head is not None and named.value in head[1] and _KIND.search(head[1]) is None:
            return named
        return named
    if head is None:
        # An excerpt names its meeting only in passing: "签约仪式上,澄江镇与…", "在全县防汛工作会议上,…"
        for s in sentences(doc.text):
            if m := _AT_MEETING.search(s.text):
                return _named(doc, s.start + m.start("name"), s.start + m.end("name"))
        return None
    at, first = head
    m = _GENRE_PREFIX.match(first)
    if m:
        return text_item(doc, at + m.start("rest"), at + m.end("rest"))
    if (slogan := _SLOGAN.match(first)) and len(first) - slogan.end() >= 4:
        # "学党史 悟思想 办实事——白云镇开展党史学习教育专题培训", "【聚焦】…": the headline's subject
        return _named(doc, at + slogan.end(), at + len(first))
    return _named(doc, at, at + len(first))


# What a headline puts before its subject: a column tag (【聚焦】) and a slogan set off by a dash.
_SLOGAN = re.compile(r"^(?:【[^】]{1,10}】\s*)?(?:[^—－\n]{2,30}?(?:——|—|－－)\s*)?(?=\S)")


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


_TIME_FIELD = re.compile(r"^(?:[一二三四五六七八九十]+[、,，]\s*)?(?:会议|开会|活动|培训|开班)?时间[:：]?\s*", re.M)
_SPEECH_DATE = re.compile(r"^[(（]\s*(?P<d>[^()（）]{4,16})\s*[)）]$")
_DEADLINE = re.compile(r"^(?:前|之前|以前|底前|起|以来|至今|以后|后)")
_HELD = re.compile(r"召开|举行|举办|开班|开幕|开营|集中学习|进行|定于|会上|会议|开始")
_STAMP = re.compile(r"(?:发布时间|发布日期|发布于|时间)[:：]\s*$")


def _date_at(doc: Document, start: int, end: int, kind: str) -> DateItem | None:
    m = DATE.match(doc.text, start, end)
    if m is None:
        return None
    return DateItem(value=re.sub(r"\s+", "", m.group(0)), kind=kind,  # type: ignore[arg-type]
                    evidence=span(doc, m.start(), m.end()))


def dates(doc: Document) -> list[DateItem]:
    """The meeting's date, and the page's publication stamp, each once.

    The meeting date is the first of: a field ``时间:`` (minutes, notices), a date line under a
    speech's heading ``(6月30日)``, the first date of a sentence about holding the meeting
    (召开/举行/开班/会议/定于…) that is not about afterwards (会后) and is not a deadline
    (``12月10日前``). A range (``10月15日至16日``) is one date. Publication: a stamp
    (``发布时间:2024-05-17 09:32``), a short date line under the headline, or a date line
    closing a notice or minutes.
    """
    text = doc.text
    out: list[DateItem] = []
    lines = text.split("\n")
    offset = 0
    for n, line in enumerate(lines):
        for m in DATE.finditer(line):
            before = line[: m.start()]
            if _STAMP.search(before) and "会议" not in before and "开会" not in before:
                out.append(DateItem(value=re.sub(r"\s+", "", m.group(0)), kind="published",
                                    evidence=span(doc, offset + m.start(), offset + m.end())))
        if 0 < n < 3 and (top := DATE.match(line)) and len(line) <= 24 and not _SPEECH_DATE.match(line.strip()):
            out.append(DateItem(value=re.sub(r"\s+", "", top.group(0)), kind="published",
                                evidence=span(doc, offset + top.start(), offset + top.end())))
        offset += len(line) + 1
    tail = [ln for ln in lines if ln.strip()][-3:]
    for line in tail:
        if (closing := DATE.fullmatch(line.strip())) and len(lines) > 5:
            a = text.rfind(line) + line.index(closing.group(0))
            out.append(DateItem(value=re.sub(r"\s+", "", closing.group(0)), kind="published",
                                evidence=span(doc, a, a + len(closing.group(0)))))
    stamps = {d.evidence.start for d in out}
    meeting = _meeting_date(doc, stamps)
    if meeting is not None:
        out.insert(0, meeting)
    seen: set[tuple[str, str]] = set()
    return [d for d in out if not ((d.value, d.kind) in seen or seen.add((d.value, d.kind)))]  # type: ignore[func-returns-value]


# A meeting date whose day (or month and day) is masked: "2024年3月**日", "1月XX日".
_MASK = r"(?:\*{1,2}|＊{1,2}|X{1,2}|x{1,2}|Ｘ{1,2})"
_MEETING_DATE = re.compile(
    rf"{DATE.pattern}|(?:(?:19|20)\d{{2}}年)?(?:\d{{1,2}}|{_MASK})月{_MASK}日|(?:19|20)\d{{2}}年{_MASK}月\d{{1,2}}日"
)


def _meeting_date(doc: Document, stamps: set[int]) -> DateItem | None:
    text = doc.text
    for m in _TIME_FIELD.finditer(text):
        d = _MEETING_DATE.match(text, m.end())
        if d is not None:
            return DateItem(value=re.sub(r"\s+", "", d.group(0)), kind="meeting", evidence=span(doc, d.start(), d.end()))
    offset = 0
    for line in text.split("\n")[:6]:
        sm = _SPEECH_DATE.match(line.strip())
        if sm and (d := _MEETING_DATE.search(line)) and offset + d.start() not in stamps:  # not "(发布时间:…)"
            return DateItem(value=re.sub(r"\s+", "", d.group(0)), kind="meeting",
                            evidence=span(doc, offset + d.start(), offset + d.end()))
        offset += len(line) + 1
    for s in sentences(text):
        if _LATER.match(s.text.strip()) or not (_HELD.search(s.text) or _CARRIED_OUT.search(s.text)):
            continue  # (an event carried out: "5月20日,白云镇组织开展党史学习教育专题培训")
        for d in _MEETING_DATE.finditer(s.text):
            if s.start + d.start() in stamps or _DEADLINE.match(s.text[d.end() :]):
                continue
            return DateItem(value=re.sub(r"\s+", "", d.group(0)), kind="meeting",
                            evidence=span(doc, s.start + d.start(), s.start + d.end()))
    return None


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
