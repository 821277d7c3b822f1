"""List answers: the items of one list, each cited where it is written.

"通过哪几个“联”来推进" (items holding the question's markers), "哪二十个字" (a
quoted slogan split at 、), "小标题(建强、锻造、激发)分别是什么" (the items the cues
open), "一是二是三是分别讲了哪几条" (the points of a section) and "哪三项工程" (the
numbered headings of a document).

Separate from ``rag.extractive`` because a list is answered from several places of
a document (a run of sentences, a paragraph, a run of headings), not from the one
best sentence the core engine picks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.chunking import split_sentences
from rag.extract_core import (
    MIN_COVERAGE,
    Part,
    Sentence,
    _clause_spans,
    _compose,
    _sentence_at,
    _weight,
    coverage,
    section_heading,
)
from rag.question import CJK, SECTION_CLASSES, Intent, people, posts_before
from rag.render import answered
from rag.spans import Found, Heading, enumerations, heading_runs, quoted_terms
from rag.types import Answer, Citation, Cited, Document, Layout, Passage, Shown
from rag.zh.numbering import LINE_MARKER
from rag.zh.numerals import cn_to_int
from rag.zh.predicates import same_meaning, written


def _chars_asked(intent: Intent) -> int:
    """N of "是哪二十个字": a quoted slogan of N characters is asked for."""
    count, noun = intent.extra.get("items", (0, ""))
    return count if noun == "字" else 0


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+(?:要|是|则|、)|^第[一二三四五六七八九十]+|^首先|^其次|^最后")


def _sentences_from(s: Sentence) -> list[tuple[int, int]]:
    """``s`` and the sentences after it in its paragraph (document offsets)."""
    start, end = s.start, s.doc.text.find("\n", s.end)
    end = end if end >= 0 else len(s.doc.text)
    return [(start + a, start + b) for a, b in split_sentences(s.doc.text[start:end])]


def _marked_items(intent: Intent, doc: Document, spans: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Items (text, document offset) every one of which holds the question's markers:
    the quoted terms (“粮头食尾”“畜头肉尾”) or the 、-list of one sentence, else quoted
    terms that each open an enumerated point of the paragraph (一要出“实招”。二要出“狠招”…)."""
    markers = intent.extra.get("markers", ())
    count = intent.extra.get("items", (0, ""))[0]

    def marked(item: str) -> bool:
        return all(m in item for m in markers) and len(item) > len("".join(markers)) and item not in intent.quoted

    def fits(items: list[tuple[str, int]]) -> bool:
        return len(items) >= 2 and (not count or len(items) == count)

    for a, b in spans:
        quoted = list({f.text: (f.text, a + f.start) for f in reversed(quoted_terms(doc.text[a:b])) if marked(f.text)}.values())
        if fits(quoted):
            return sorted(quoted, key=lambda q: q[1])
        for e in enumerations(doc.text[a:b]):
            items = [(f.text, a + f.start) for f in e.items]
            if all(marked(t) for t, _ in items) and fits(items):
                return items
        if fits(heads := _marked_heads(doc.text, a, b, marked)):
            return heads
    points: dict[str, int] = {}
    for a, b in spans:
        if _ORDINAL.match(doc.text[a:b]):
            for f in quoted_terms(doc.text[a:b]):
                if marked(f.text):
                    points.setdefault(f.text, a + f.start)
    return list(points.items()) if fits(list(points.items())) else []


HEAD_CHARS = 6  # a clause opening this short, before its 、, names the clause's point


def _marked_heads(text: str, a: int, b: int, marked: Callable[[str], bool]) -> list[tuple[str, int]]:
    """Parallel clauses of one sentence, each opened by a short phrase holding the
    markers (擦亮底色、坚决……，打造特色、大力……，增添亮色、……): the longest run of
    consecutive such openings, as (text, document offset)."""
    best: list[tuple[str, int]] = []
    run: list[tuple[str, int]] = []
    for cs, ce in _clause_spans(text[a:b]):
        clause = text[a + cs : a + min(ce, b - a)]
        head = re.split(r"[、，,；;：:。]", clause, maxsplit=1)[0].strip()
        if len(head) <= HEAD_CHARS and "、" in clause and marked(head):
            run.append((head, a + cs + clause.index(head)))
            best = max(best, run, key=len)
        else:
            run = []
    return list(best)


CUE_REACH = 12  # characters from a cue to the end of the quoted term it opens


def _cued_item(text: str, cue: str) -> tuple[str, int] | None:
    """The item ``cue`` opens in ``text``, as (text, offset): up to the quoted term
    closing soon after it (建强乡村振兴“主心骨”), else its short phrase (擦亮底色、)."""
    for m in re.finditer(re.escape(cue), text):
        rest = re.split(r"[、，,；;。：:\n]", text[m.start() :], maxsplit=1)[0]
        if q := re.match(rf"[^“”]{{0,{CUE_REACH}}}“[^“”]{{1,10}}”", rest):
            return q.group(0), m.start()
        if len(cue) < len(rest) <= HEAD_CHARS:
            return rest, m.start()
    return None


def answer_cues(question: str, intent: Intent, sentences: Sequence[Sentence]) -> Answer | None:
    """"小标题(建强、锻造、激发)分别是什么": in one retrieved document, the item each cue
    the question lists opens, all of them, each cited where it is written. None when
    no document has an item for every cue."""
    cues = intent.extra["cues"]
    meeting = intent.extra.get("meeting")
    docs = list({s.doc.doc_id: s.doc for s in sorted(sentences, key=lambda s: s.rank)}.values())
    for doc in docs:
        if meeting and meeting not in doc.text:
            continue
        items = [_cued_item(doc.text, c) for c in cues]
        if all(items):
            found = sorted((i for i in items if i), key=lambda i: i[1])
            return _items_answer(question, doc, found, "、".join(t for t, _ in found))
    return None


_NUMERALS = "一二三四五六七八九十"
POINT_CANDIDATES = 5  # best sentences tried as the opening of a section of points


# A point opened by an ordinal at a clause boundary, in any of the usual styles:
# 一是/一要/一则/一来, 第一,/第一是, （一）, 1. / 1、 ; its numeral and its style.
_POINT = re.compile(
    r"(?:^|(?<=[：:；;。.！!？?\n，,]))[ \t]*"
    r"(?:第(?P<nth>[一二三四五六七八九十])(?:[，,、是要]|条|点)"
    r"|(?P<cn>[一二三四五六七八九十])(?P<verb>[是要则来])"
    r"|[（(](?P<par>[一二三四五六七八九十])[)）]"
    r"|(?P<dig>[1-9])[.、．](?!\d))"
)
POINT_REACH = 1200  # characters after the opening that its points may take


def _ordinal(m: re.Match[str]) -> tuple[int, str]:
    """(1-based number, style) of a point marker."""
    if m.group("nth"):
        return _NUMERALS.index(m.group("nth")) + 1, "第"
    if m.group("cn"):
        return _NUMERALS.index(m.group("cn")) + 1, m.group("verb")
    if m.group("par"):
        return _NUMERALS.index(m.group("par")) + 1, "()"
    return int(m.group("dig")), "1."


# A sentence that says how many points follow: 重点抓好以下五项工作。 / 抓好四个方面的工作。
_ANNOUNCED = re.compile(r"(?:以下|如下|下列|下面)?([一二两三四五六七八九十\d]+)(?:个方面|项|点|条|件)[^，,；;。]{0,6}[。.：:]?$")


def _points_after(s: Sentence, count: int = 0) -> list[tuple[int, int]]:
    """The points detailing the section ``s`` opens, as spans of the document.

    Points open with ordinals in order and in one style (一是……二是……, 一要……二要……,
    第一,……第二,……, （一）……（二）……), inside the opening sentence after its colon
    ("提出三点要求：一要……；二要……；三要……") or in the sentences and paragraphs after
    it, up to the next point of the opening's own level. Each point runs to the end of
    its clause group (；。 or the line). Else, when there are no ordinals, the sentences
    after it that share one lead of two or more characters (要推行…… 要推广…… 要推动……)."""
    text = s.doc.text
    own = _ORDINAL.match(s.text.strip())
    level = own.group(0)[-1] if own else ""
    line_end = text.find("\n", s.end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[text.rfind("\n", 0, s.start) + 1 : line_end].strip()
    # Points continue into the next paragraphs only after an opening that announces them
    # (a line ending in a colon, or a short heading line); else they stay in its paragraph.
    # So does a paragraph's last sentence that says how many follow (重点抓好以下五项工作。,
    # 重点抓好四个方面的工作。), when the question asks that many (``count``): a speech
    # announces several sections, and without the count the wrong one may be taken.
    told = _ANNOUNCED.search(s.text.strip()) if count and s.end >= line_end - 1 else None
    announced = cn_to_int(told.group(1)) == count if told else False
    opens = (line.endswith(("：", ":")) or (len(line) <= 30 and not re.search(r"[。.!！?？]$", line))
             or announced)
    region_end = min(len(text), s.end + POINT_REACH) if opens else line_end
    ordered: list[tuple[int, int]] = []
    style = ""
    for m in _POINT.finditer(text, s.start, region_end):
        if m.start() == s.start and own:
            continue  # the opening's own ordinal (二、突出重点……)
        number, kind = _ordinal(m)
        if level and kind != style and text[m.start():m.end()].strip().endswith(level) and ordered:
            break  # 三、……: the next section of the opening's level
        if number == len(ordered) + 1 and (not ordered or kind == style):
            if not ordered:
                style = kind
            stop = re.search(r"[；;。!！?？\n]|(?<!\d)\.(?!\d)", text[m.end():region_end])
            ordered.append((m.start(), m.end() + (stop.start() if stop else region_end - m.end())))
        elif ordered and kind == style and number == 1:
            break  # a new list of the same style begins: this one is over
    if len(ordered) >= 2 and (not announced or len(ordered) == count):
        return ordered
    if announced:
        return []  # the points announced are not there as counted
    spans = _sentences_from(s)[1:]
    leads: dict[str, list[tuple[int, int]]] = {}
    for a, b in spans:
        if not _ORDINAL.match(text[a:b]):
            leads.setdefault(text[a : a + 2], []).append((a, b))
    shared = [v for k, v in leads.items() if re.fullmatch(f"[{CJK}]{{2}}", k) and len(v) >= 2]
    return shared[0] if len(shared) == 1 else []


# What a list of places, bodies or people is made of (哪几个村作了表态发言): numbered
# points (一是…二是…) never answer it.
_ENTITY = re.compile(r"家|户|所|村|社区|乡|镇|街道|县|区|市|单位|部门|企业|公司|合作社|基地|学校|医院|人|同志|领导|干部|书记|代表")


def answer_points(question: str, intent: Intent, sentences: Sequence[Sentence], titles: dict[str, str],
                  idf: Callable[[str], float]) -> Answer | None:
    """"作风建设那部分,一是二是三是分别讲了哪几条": the points of the section the question
    names, each shown by its first clause and cited. The section (its opening sentence
    and its points read together) must hold the question's words (``MIN_COVERAGE``) and
    have the asked number of points."""
    count, noun = intent.extra["items"]
    if re.search(r"[几两二三四五六七八九十\d]个点", question):
        return None  # 几个点 counts sites (观摩点), points of a speech are 几点 without 个
    if _ENTITY.match(noun):
        return None  # 哪几个村, 哪些单位: places, bodies or people, never the points of a text
    weight = _weight(intent, idf)
    ranked = sorted(sentences, key=lambda s: (-s.coverage, s.rank))
    if intent.quoted:
        # "“X”下面提了哪几种": X is written in the opening of the section asked about.
        ranked = [s for s in ranked if all(q in s.text for q in intent.quoted)]
    for s in ranked[:POINT_CANDIDATES]:
        points = _points_after(s, count)
        if len(points) < 2 or (count and len(points) != count):
            continue
        title = titles[s.doc.doc_id]
        info = [k for k in intent.keywords if k not in title] or list(intent.keywords)
        section = s.text + "\n" + "\n".join(s.doc.text[a:b] for a, b in points)
        # A quoted term names the section itself; else the section must hold the question's words.
        floor = MIN_COVERAGE / 2 if intent.quoted else MIN_COVERAGE
        if coverage(info, section, weight, intent.quoted, title) < floor:
            continue
        if not intent.quoted and coverage(info, s.text, weight, (), title) < MIN_COVERAGE / 2:
            continue  # the opening itself must say what is asked: points after another topic do not

        items = []
        for a, b in points:
            first = re.split(r"[，,；;。：:]", s.doc.text[a:b], maxsplit=1)[0]
            items.append((first, a))
        return _items_answer(question, s.doc, items, "；".join(t for t, _ in items))
    return None


def _chars_items(intent: Intent, s: Sentence) -> list[tuple[str, int]]:
    """"哪二十个字": the quoted slogan of exactly that many characters, split at 、."""
    n = _chars_asked(intent)
    if not all(q in s.text for q in intent.quoted):
        return []
    for f in quoted_terms(s.text):
        if f.text in intent.quoted or len(re.findall(f"[{CJK}]", f.text)) != n:
            continue
        out, pos = [], s.start + f.start
        for item in f.text.split("、"):
            out.append((item, pos))
            pos += len(item) + 1
        return out
    return []


def answer_items(question: str, intent: Intent, sentences: list[Sentence]) -> Answer | None:
    """"通过哪几个“联”来推进", "哪三招", "哪二十个字": the items of one list, each
    cited where it is written. The list is in the best sentences or, after a heading
    that names the subject, further on in its paragraph. None when no list fits."""
    ranked = sorted(sentences, key=lambda s: (-s.coverage, s.rank))
    for s in ranked:
        if _chars_asked(intent):
            if not intent.quoted:
                return None
            items = _chars_items(intent, s)
        elif s.coverage >= MIN_COVERAGE:
            items = _marked_items(intent, s.doc, _sentences_from(s))
        else:
            break
        if items:
            return _items_answer(question, s.doc, items, "、".join(t for t, _ in items))
    return None


def _items_answer(question: str, doc: Document, items: list[tuple[str, int]], head: str) -> Answer:
    """``head`` cited by the sentences that hold ``items``, each shown around its first item."""
    spans: dict[tuple[int, int], int] = {}
    for _, at in items:
        s, e = _sentence_at(doc, at)
        spans.setdefault((s, e), at - s)
    citations = [Citation(k, doc.doc_id, doc.title, s, e, doc.quote(s, e)) for k, (s, e) in enumerate(spans, start=1)]
    width = max(len(t) for t, _ in items)
    shown = tuple(Shown(c.n, c.quote, at, at + width) for c, at in zip(citations, spans.values(), strict=True))
    return answered(question, Layout((Cited(head, tuple(c.n for c in citations)),), shown), citations)


def answer_headings(question: str, intent: Intent, passages: Sequence[Passage],
                    get_doc: Callable[[str], Document]) -> Answer | None:
    """"哪三项工程": the numbered headings (一)(二)(三) of a retrieved document that
    list them, each heading cited. None when no run of headings clearly fits.

    A run fits when it has the asked number of items (any number for 几) and
    either every heading names the asked noun (…工程) or the heading of the
    section it sits in holds the question's quoted term (在“夯实基层基础”部分).
    """
    count, noun = intent.extra["items"]
    meeting = intent.extra.get("meeting")
    best: tuple[tuple[int, int, int], Document, list[Heading]] | None = None
    docs = list(dict.fromkeys(p.doc_id for p in sorted(passages, key=lambda p: p.rank)))
    for rank, doc_id in enumerate(docs):
        doc = get_doc(doc_id)
        if meeting and meeting not in doc.text:
            continue
        for parent, run in heading_runs(doc.text):
            if count and len(run) != count:
                continue
            named = len(noun) >= 2 and all(noun in h.text for h in run)
            section = parent.text if parent else ""
            # "在“X”部分": X names the section the headings sit in, not one of them.
            placed = bool(intent.quoted) and all(q in section for q in intent.quoted)
            context = section + "".join(h.text for h in run)
            if not (named or placed):
                continue
            score = (int(named) + int(placed), sum(len(k) for k in intent.keywords if k in context), -rank)
            if best is None or score > best[0]:
                best = (score, doc, run)
    if best is None:
        return None
    _, doc, run = best
    citations = [Citation(n, doc.doc_id, doc.title, h.start, h.end, doc.quote(h.start, h.end))
                 for n, h in enumerate(run, start=1)]
    return answered(question, Layout(tuple(Cited(c.quote.rstrip("。；;！？!?"), (c.n,)) for c in citations)), citations)


# Going somewhere to see it: "来到金山村、海潮坝村和北滩村，实地观摩了……" lists what was
#观摩-ed before the verb, after one of these.
_GOING = ("来到", "走进", "前往", "深入", "先后到", "赴")
# What stands between a verb and its first object: 观摩了该镇|标准化脐橙示范园.
_OBJECT_LEAD = re.compile(r"(?:了|过)?(?:该[镇乡村县区]|当地|全[县镇乡])?")
OBJECT_REACH = 12  # characters between the verb and the first item it takes


def _clause_start(seg: str, at: int) -> int:
    """Where the clause holding offset ``at`` of ``seg`` starts (a colon inside a time, 10:00,
    splits no clause)."""
    marks = [m.end() for m in re.finditer(r"[，,；;]|[：:](?!\d)", seg[:at])]
    return marks[-1] if marks else 0


def _object_list(text: str, verb_at: int, verb_end: int, going: bool) -> tuple[int, int] | None:
    """The span of the 、-list the verb at ``verb_at`` takes: right after it in its clause
    run (观摩了A、B和C), or for a verb of seeing, after a verb of going earlier in the
    sentence (来到A、B和C，实地观摩)."""
    stop = re.search(r"[。；;！!？?]", text[verb_end:])
    seg = text[verb_end : verb_end + stop.start()] if stop else text[verb_end:]
    for e in enumerations(seg):
        if e.items[0].start <= OBJECT_REACH:
            # From the start of the list's clause: the list reader cuts what looks like a
            # lead-in (有 of 有机茶示范园); only 了 / 该镇 before the first object are cut.
            return verb_end + _clause_start(seg, e.items[0].start), verb_end + e.items[-1].end
    if comma := _comma_list(seg):
        # "镇党政办负责会场布置,音响调试,横幅和奖牌制作": messy text lists with commas too.
        return verb_end + comma[0], verb_end + comma[1]
    if going:
        for g in _GOING:
            at = text.rfind(g, 0, verb_at)
            if at >= 0:
                going_seg = text[at + len(g) : verb_at]
                for e in enumerations(going_seg):
                    if e.items[0].start <= OBJECT_REACH:
                        # From the verb of going on: the list reader may cut a lead-in off the
                        # first place (村集体的300亩…采摘园), which is part of its name here.
                        base = at + len(g)
                        return base + _clause_start(going_seg, e.items[0].start), base + e.items[-1].end
    return None


COMMA_ITEM = 8  # characters of an item in a list written with commas
# What no item of a list holds: a verb's aspect or a clause of its own (随后召开座谈会).
_CLAUSE_WORDS = re.compile(r"[了着过要将并]|随后|然后|召开|进行|开展|强调|指出|要求")


def _comma_list(seg: str) -> tuple[int, int] | None:
    """The span of a list written with commas right at the start of ``seg`` (what a verb
    takes, up to the end of its sentence): two or more short items, none a clause."""
    run = re.split(r"[。；;！!？?]", seg, maxsplit=1)[0].rstrip("，, ")
    items = re.split(r"[，,、]", run)
    if len(items) < 2 or any(not 2 <= len(i) <= COMMA_ITEM or _CLAUSE_WORDS.search(i) for i in items):
        return None
    return 0, len(run)


NEAR_TOP = 0.15  # coverage below the best sentence's within which a list still competes


def answer_objects(question: str, intent: Intent, sentences: Sequence[Sentence]) -> Answer | None:
    """"观摩了哪几个点", "表彰了哪些集体": the list the question's verb (or a verb of the same
    meaning) takes in the best sentence that writes one. None when no sentence of enough
    coverage does."""
    from rag.extract_core import Part, _compose
    from rag.spans import Found

    verb = intent.extra["object_of"]
    noun = (intent.extra.get("items") or (0, ""))[1]
    # 哪几个村 / 哪些企业: each item is one (金山村); 哪几个点 / 哪些地方 may be anything.
    ends = ("乡", "镇") if noun == "乡镇" else (noun,) if noun and _ENTITY.fullmatch(noun) else ()
    verbs = sorted(same_meaning(verb), key=len, reverse=True)
    going = "观摩" in same_meaning(verb)
    found: list[tuple[float, int, Sentence, tuple[int, int]]] = []
    # Only sentences near the best one: a list far below it is another speaker's or meeting's.
    top = max((s.coverage for s in sentences), default=0.0)
    for s in sentences:
        if s.coverage < max(MIN_COVERAGE, top - NEAR_TOP):
            continue
        for v in verbs:
            for m in re.finditer(re.escape(v), s.text):
                span = _object_list(s.text, m.start(), m.end(), going)
                if span is None:
                    continue
                lead = _OBJECT_LEAD.match(s.text, span[0], span[1])
                span = (lead.end() if lead else span[0], span[1])
                items = re.split(r"、|和|及|与", s.text[span[0] : span[1]])
                if ends and sum(i.endswith(ends) for i in items) * 2 < len(items):
                    continue  # 哪几个村 is not answered by a list of things
                found.append((s.coverage, -s.rank, s, span))
                break
    if not found:
        return None
    _, _, s, (a, b) = max(found, key=lambda f: (f[0], f[1]))
    text = s.text[a:b]
    return _compose(question, [Part(s, text, Found(text, a, b))])


def _section_words(noun: str) -> frozenset[str]:
    return next((c for c in SECTION_CLASSES if noun in c), frozenset({noun}))


def count_headed(question: str, intent: Intent, passages: Sequence[Passage],
                 get_doc: Callable[[str], Document]) -> Answer | None:
    """"会议议程一共有几项", "一共安排了几项会议内容": the numbered items (一)(二)… under the section
    heading that names what is counted (三、会议内容), in the best-ranked document that has one
    such run; shown with them, ``5项：（一）……（二）……``, each cited. None when no document has
    exactly one."""
    words = _section_words(intent.extra["counted_section"])
    unit = intent.unit if intent.unit in ("项", "个", "条", "点") else "项"
    for doc_id in dict.fromkeys(p.doc_id for p in sorted(passages, key=lambda p: p.rank)):
        doc = get_doc(doc_id)
        runs = []
        for parent, run in heading_runs(doc.text):
            heading = section_heading(doc, run[0].start)[1] or (parent.text if parent else "")
            if any(w in heading for w in words):
                runs.append(run)
        if len(runs) > 1:
            return None  # two runs under such headings: which one is asked is unclear
        if runs:
            run = runs[0]
            citations = [Citation(n, doc.doc_id, doc.title, h.start, h.end, doc.quote(h.start, h.end))
                         for n, h in enumerate(run, start=1)]
            items = " ".join(h.text.strip().rstrip("。；;！!.") for h in run)  # no "；": the guard reads one claim
            claim = Cited(f"{len(run)}{unit}：{items}", tuple(c.n for c in citations))
            return answered(question, Layout((claim,)), citations)
    return None


def item_at_position(question: str, intent: Intent, passages: Sequence[Passage],
                     get_doc: Callable[[str], Document]) -> Answer | None:
    """"议程里最后讲话的是哪位县领导", "那第四项是什么", "首先发言的是哪个乡镇": the item at that
    place of the numbered agenda (三、会议内容 (一)…(五)), counted among the items that write
    the act asked when one is asked (最后讲话的: the last item with 讲话). A person asked is
    answered with the person the item names, with the post written before the name; anything
    else with the item as written. None unless the best-ranked document has exactly one
    numbered run under an agenda heading and the position is in it."""
    position, act = intent.extra["position"], intent.extra.get("position_act")
    words = SECTION_CLASSES[0]
    # The best-ranked document only: another meeting's agenda does not answer this one's order.
    for rank, doc_id in enumerate(dict.fromkeys(p.doc_id for p in sorted(passages, key=lambda p: p.rank)[:1]), start=1):
        doc = get_doc(doc_id)
        runs = [run for parent, run in heading_runs(doc.text)
                if any(w in (section_heading(doc, run[0].start)[1] or (parent.text if parent else "")) for w in words)]
        if len(runs) != 1:
            return None  # two agendas (a day's and an afternoon's): which is asked is unclear
        items = [h for h in runs[0] if not act or written(act, h.text)]
        if not items or not -len(items) <= (position if position < 0 else position - 1) < len(items):
            return None
        item = items[position if position < 0 else position - 1]
        body = LINE_MARKER.match(item.text)
        start = item.start + (body.end() if body else 0)
        text = doc.text[start:item.end].rstrip("。；;.！! ")
        if intent.kind == "person" or re.search("谁|哪位|哪个人", question):
            named = people(text)
            if len(named) != 1:
                return None  # no one or several named: the item does not answer who
            s, e, _ = named[0]
            s -= len(posts_before(text, s))
            start, text = start + s, text[s:e]
        sentence = Sentence(doc, item.start, item.end, rank)
        return _compose(question, [Part(sentence, text, Found(text, start - item.start, start - item.start + len(text)))])
    return None
