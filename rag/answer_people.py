"""Answers about the people a document names: how many hold a role ("参加座谈会的
市领导一共几位"), how many are quoted by name, how many of a stated number are not
named, and which groups of a level attended the meeting.

Separate from ``rag.extractive`` because these count or collect names over a whole
document (or a list in one sentence) and show the count with its names, which the
guard must accept; they are not a span of one best sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.chunking import split_sentences
from rag.extract_core import MIN_COVERAGE, Part, Sentence, _compose, _sentence_at
from rag.question import _PERSON_UNITS, CJK, Intent, PeopleCount, numbers, people, role_before
from rag.render import answered
from rag.spans import Found
from rag.types import Answer, Citation, Cited, Document, Layout, Passage, Shown
from rag.zh.names import POST

# An enumeration of names right after a role: 李军、王波、吕国平、邵兵参加会议.
_NAME_LIST = re.compile(
    rf"((?:[{CJK}]{{2,3}}(?:、|和|及|与))+)([{CJK}]{{2,3}}?)(?=参加|出席|列席|陪同|主持|等|在|分别|也|[,，。；;])"
)
# Characters of groups and titles, not of given names: 班子成员、各县区委书记 is no list of people.
_NOT_NAME = re.compile("[们各]|成员|代表|单位|同志|领导|干部|群众|班子|书记|主任|委员|部门|[委办会部局长员区县市镇乡村组]$")


def _listed_names(text: str, start: int) -> list[tuple[int, str]]:
    """The names enumerated right at ``start``, as (offset, name): 2 or more, and
    not a list cut short with 等, whose length the text does not give."""
    m = _NAME_LIST.match(text, start)
    if not m or text.startswith("等", m.end()):
        return []
    out, pos = [], start
    for item in re.split("、|和|及|与", m.group(0)):
        if _NOT_NAME.search(item):
            return []
        out.append((pos, item))
        pos += len(item) + 1
    return out


def count_people(question: str, intent: Intent, passages: Sequence[Passage],
                 get_doc: Callable[[str], Document]) -> Answer | None:
    """"参加座谈会的市领导一共几位": count the people a document names under a role.

    Either an enumeration right after the role (市领导李军、王波、吕国平、邵兵) or,
    when the question asks for those named (具名/提到的镇委书记), every person the
    document writes with exactly that role. "包括主持会议的市委书记在内" adds the one
    person of that role (who did that) the document names. The answer lists the
    names after the count, each cited; when ``rag.guard`` does not accept a count
    shown with its names, nothing is answered (None)."""

    asked: PeopleCount = intent.extra["count_people"]
    meeting = intent.extra.get("meeting")
    docs = [d for d in (get_doc(i) for i in dict.fromkeys(p.doc_id for p in sorted(passages, key=lambda p: p.rank)))
            if not meeting or meeting in d.text]
    doc: Document | None = None
    found: list[tuple[int, str]] = []  # (offset of the name in the document, name)
    for doc in docs:
        if asked.named:
            found = [(a, n) for a, _, n in people(doc.text) if _role_fits(doc.text, a, asked.roles)]
        else:
            # Every role asked about has its enumeration in this document.
            lists = [next((listed for m in re.finditer(re.escape(role), doc.text)
                           if (listed := _listed_names(doc.text, m.end()))), []) for role in asked.roles]
            found = [name for listed in lists for name in listed] if all(lists) else []
        if found:
            break
    if doc is None or not found:
        return None
    if asked.include_role:
        chair: dict[str, int] = {}
        for a, _, n in people(doc.text):
            if role_before(doc.text, a) == asked.include_role and asked.include_verb in doc.text[slice(*_sentence_at(doc, a))]:
                chair.setdefault(n, a)
        if len(chair) != 1:
            return None  # nobody, or several people, of that role: who is meant is unclear
        found = [(a, n) for n, a in chair.items()] + found
    return _counted_answer(question, intent, doc, found)


def _listed_before(text: str, at: int) -> list[str]:
    """The people listed right before the figure at ``at``, cut short with 等
    (青石乡护林员王立、白岭镇护林员赵明远等9名): each item's name, or the item itself
    when no name is found in it; [] when the figure follows no such list."""
    head = text[:at]
    if not head.endswith("等"):
        return []
    start = max(head.rfind(c) for c in "，,：:；;。\n") + 1
    items = [i for i in re.split("、|和|及|与", head[start:-1]) if i]
    out = []
    for item in items:
        found = people(item)
        out.append(found[-1][2] if found else item)
    return list(dict.fromkeys(out)) if len(set(out)) == len(out) else []


def count_unnamed(question: str, intent: Intent, sentences: Sequence[Sentence]) -> Answer | None:
    """"一共11名…发言,还有几位没写名字": the sentence writing the question's figure after
    the names it lists (李强、许奕、赵子银等11名…), answered as the figure minus the names,
    shown with both (``还有8位（11-3），点了名的3位（李强、许奕、赵子银）``). The sentence
    with the figure that holds most of the question's words (a meeting the question names
    must be its document's); None when no sentence writes the figure after 2+ names."""
    value, unit = intent.extra["unnamed"]
    meeting = intent.extra.get("meeting")
    best: tuple[float, Sentence, list[str], int] | None = None
    for s in sentences:
        if meeting and meeting not in s.doc.text:
            continue
        for at, _, v, u in numbers(s.text):
            if v != value or u not in _PERSON_UNITS:
                continue
            names = _listed_before(s.text, at)
            if len(names) >= 2 and len(names) < int(value) and (best is None or s.coverage > best[0]):
                best = (s.coverage, s, names, at)
    if best is None or best[0] < MIN_COVERAGE / 2:
        return None
    _, s, names, at = best
    asked = intent.unit or unit
    k = len(names)
    direct = f"还有{int(value) - k}{asked}（{value}-{k}），点了名的{k}{asked}（{'、'.join(names)}）"
    end = at + len(value) + 1
    return _compose(question, [Part(s, direct, Found(s.text[at:end], at, end))])


def _role_fits(text: str, at: int, roles: Sequence[str]) -> bool:
    """The person named at ``at`` holds one of ``roles``: the role written right before
    the name, or, for the leaders of a level (县领导), any role of that level
    (县委书记, 县政协主席, 副县长: the level is in the role or just before it)."""
    role = role_before(text, at)
    if not role:
        return False
    if role in roles:
        return True
    start = at - len(role)
    lead = re.split(r"[，,。；;：:、\s]", text[max(0, start - 3) : start])[-1]
    return any(r.endswith("领导") and len(r) == 3 and r[0] in lead + role for r in roles)


def _counted_answer(question: str, intent: Intent, doc: Document, found: list[tuple[int, str]]) -> Answer | None:
    """``共N位（A、B、…）`` over the names ``found`` (offset, name), each sentence cited;
    None when ``rag.guard`` does not accept the count shown with its names."""
    from rag.guard import support

    names = list(dict.fromkeys(n for _, n in found))
    spans: dict[tuple[int, int], int] = {}  # sentence -> offset of its first name in it
    for a, _ in found:
        s, e = _sentence_at(doc, a)
        spans.setdefault((s, e), a - s)
    citations = [Citation(k, doc.doc_id, doc.title, s, e, doc.quote(s, e)) for k, (s, e) in enumerate(spans, start=1)]
    head = f"共{len(names)}{intent.unit}（{'、'.join(names)}）"
    if not support(head, "\n".join(c.quote for c in citations))[0]:
        return None
    shown = tuple(Shown(c.n, c.quote, at, at + 4) for c, at in zip(citations, spans.values(), strict=True))
    return answered(question, Layout((Cited(head, tuple(c.n for c in citations)),), shown), citations)


# The verb that closes a list of attendees: "……、各乡镇村党支部书记参加会议".
_ATTENDED = re.compile(r"(?:参加|出席|列席)了?(?:[^，,。；;]{0,6}?(?:会议|会))?(?=[，,。；;]|$)")
_LEVEL_CHARS = re.compile("[村镇乡县市区省]")


def _group_level(group: str) -> str:
    """The level (村, 镇, 县 …) of a group of attendees: the last level named in it
    (各乡镇首批村级…村党支部书记 is of the 村 level); "" when it names none."""
    bare = re.sub(r"[（(][^)）]*[)）]", "", group)
    found = _LEVEL_CHARS.findall(bare)
    return {"乡": "镇"}.get(found[-1], found[-1]) if found else ""


def attendee_groups(question: str, intent: Intent, passages: Sequence[Passage],
                    get_doc: Callable[[str], Document]) -> Answer | None:
    """"村一级是请的哪些人来参会": the groups of the attendance sentence ("A,B,C参加会议")
    that belong to the asked level, cited. None unless such a sentence lists at least
    two groups and one of them is of that level."""
    level = intent.extra["level_attendees"]
    meeting = intent.extra.get("meeting")
    for doc_id in dict.fromkeys(p.doc_id for p in sorted(passages, key=lambda p: p.rank)):
        doc = get_doc(doc_id)
        if meeting and meeting not in doc.text:
            continue
        for s, e in split_sentences(doc.text):
            text = doc.text[s:e]
            m = _ATTENDED.search(text)
            if not m:
                continue
            groups, pos = [], 0
            for g in re.split(r"[，,；;]", text[: m.start()]):
                lead = re.match(r"\s*(?:以及|及|和|还有)?", g)
                start = pos + (lead.end() if lead else 0)
                if g[lead.end() if lead else 0 :].strip():
                    groups.append((start, text[start : pos + len(g)].strip()))
                pos += len(g) + 1
            chosen = [(a, g) for a, g in groups if _group_level(g) == level]
            if len(groups) < 2 or not chosen:
                continue
            quote = doc.quote(s, e)
            citations = [Citation(1, doc.doc_id, doc.title, s, e, quote)]
            head = "、".join(g for _, g in chosen)
            at = chosen[0][0]
            return answered(question, Layout((Cited(head, (1,)),), (Shown(1, quote, at, at + len(chosen[0][1])),)),
                            citations)
    return None


# A person speaks right after being named: "……。”高要区大湾镇委书记吴少荣说".
_SPEAKS = re.compile(r"\s*(?:说|表示|认为|介绍|指出|谈到|坦言|感慨|有感而发|赞叹|告诉|强调)")
_QUOTE = re.compile(r"“[^”]{6,}”")


def _holds_role(text: str, at: int, role: str, qualifier: str, asked: str) -> bool:
    """The person named at ``at`` (written after ``role``) holds the role asked: the role
    ends with it, and the words before it hold the qualifier's characters in order
    (驻村第一书记 ~ 驻德庆县九市镇洞寮村第一书记)."""
    if not role.endswith(asked):
        return False
    start = at - len(role)
    lead = re.split(r"[，,。；;：:、\s“”]", text[max(0, start - 16) : start])[-1]
    return not qualifier or bool(re.search(".*".join(map(re.escape, qualifier)), lead + role[: -len(asked)]))


def count_speakers(question: str, intent: Intent, passages: Sequence[Passage],
                   get_doc: Callable[[str], Document]) -> Answer | None:
    """"有几位干部是点了名字谈体会的": the people a report quotes under their post and
    name (a role before the name, a verb of saying right after it, a quotation in the
    paragraph), counted and shown with their names. The first retrieved document (of
    the meeting asked about) that quotes two or more people answers; else None."""
    meeting = intent.extra.get("meeting")
    for doc_id in dict.fromkeys(p.doc_id for p in sorted(passages, key=lambda p: p.rank)):
        doc = get_doc(doc_id)
        if meeting and meeting not in doc.text:
            continue
        found: list[tuple[int, str]] = []
        for a, b, name in people(doc.text):
            role = role_before(doc.text, a)
            if not role or role == "记者" or not _SPEAKS.match(doc.text, b):
                continue
            if (asked := intent.extra.get("speaker_role")) and not _holds_role(doc.text, a, role, *asked):
                continue
            start = doc.text.rfind("\n", 0, a) + 1
            end = doc.text.find("\n", b)
            if _QUOTE.search(doc.text[start : end if end >= 0 else len(doc.text)]):
                found.append((a, name))
        if len({n for _, n in found}) >= 2:
            return _counted_answer(question, intent, doc, found)
    return None


# An office, bureau or other body by how its name ends (县交通运输局, 省农科院, 龙潭分局). Narrower
# than ``rag.zh.kinds.BODY_ENDINGS``: read without a list around it, 科 / 会 / 处 would cut a name
# short (省农科|院).
_BODY_NAME = re.compile(rf"(?:[{CJK}]{{1,10}}?(?:分局|支行|局|院|办公室|办|中心|委员会|委|部|公司|银行|站|所|队|学校|医院|社))")
_SENT_BY = re.compile(r"派驻|选派|下派|派出|委派")


def answer_org(question: str, intent: Intent, sentences: Sequence[Sentence]) -> Answer | None:
    """"范志远是哪个单位派下来的", "许局长是哪个单位的": the body written right before the person
    (县交通运输局派驻石桥村第一书记范志远, 县生态环境局龙潭分局许局长) in the sentence naming them
    that holds most of the question's words. None when no such sentence writes a body there."""
    who = intent.extra["org_of"]
    best: tuple[float, Sentence, int, int] | None = None
    for s in sentences:
        for name in who:
            at = s.text.find(name)
            if at < 0:
                continue
            lead_at = max((s.text.rfind(c, 0, at) for c in "，,。；;：:、"), default=-1) + 1
            lead = s.text[lead_at:at]
            sent = _SENT_BY.search(lead)
            # The body opens the lead (its subject) or is the one that sent the person (…派驻).
            scope = lead[: sent.start()] if sent else lead
            run = [m for m in _BODY_NAME.finditer(scope)]
            if not run or run[0].start() != 0:
                continue
            end = run[0].end()
            for m in run[1:]:  # 县生态环境局龙潭分局: contiguous names are one body
                if m.start() != end:
                    break
                end = m.end()
            if not sent and end != len(scope) and not re.match(rf"{POST}", scope[end:]):
                continue  # the body must be the person's own: right before the person or their post
            if best is None or s.coverage > best[0]:
                best = (s.coverage, s, lead_at, lead_at + end)
    if best is None or best[0] < MIN_COVERAGE / 2:
        return None
    _, s, a, b = best
    return _compose(question, [Part(s, s.text[a:b], Found(s.text[a:b], a, b))])
