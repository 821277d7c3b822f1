"""Typed answer spans inside one sentence: who, how many, when, where, which role,
which clause. Pure functions over simplified text; ``rag.extractive`` picks the
sentence, this module finds the span in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.cleaning import REDACTION
from rag.meeting.venue import BUILDING
from rag.question import (
    ADDRESSED,
    CJK,
    DURATION,
    LENGTH,
    PLACE_AT,
    ROLE,
    UNITS,
    Intent,
    dates,
    figure_text,
    numbers,
    people,
    places,
    posts_before,
    role_before,
    small_number,
    times,
)
from rag.zh.days import RANGE, range_days
from rag.zh.kinds import BODY_ENDINGS

TYPED = ("person", "number", "total", "date", "time", "place", "role")

@dataclass
class Found:
    """A typed answer span inside a sentence (offsets relative to the sentence)."""

    text: str
    start: int
    end: int



_SEGMENT = re.compile(r"[、，,；;。：:！？]|和|及")


def _segment(text: str, start: int, end: int) -> str:
    """The enumeration item or clause around a span: 22名软弱涣散村党组织书记."""
    left = max((m.end() for m in _SEGMENT.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _SEGMENT.finditer(text, end)), len(text))
    return text[left:right]


PLACE_WEIGHT = 4  # a named place outweighs the words its figure shares with the others (of 83处, xx处)
_ADMIN = r"(?:镇|乡|村|县|区|市|街道|社区)"


def _names_place(word: str, text: str) -> bool:
    """``word`` names a place in ``text``: 茶园镇, or 茶园 written as 茶园镇."""
    if len(word) < 2 or word[0] in "全我本该各每":  # 全区, 各乡镇: no place named
        return False
    return re.search(re.escape(word) + ("" if re.search(f"{_ADMIN}$", word) else _ADMIN), text) is not None


def _nearest(cands: list[Found], anchors: list[int], text: str = "", words: Sequence[str] = ()) -> Found | None:
    """The candidate whose own clause item shares most keyword characters with the
    question (ties: nearest to a keyword)."""
    if not cands:
        return None

    def key(f: Found) -> tuple[float, float]:
        seg = _segment(text, f.start, f.end) if text else ""
        # A place the question names (茶园镇) says which figure of a list it asks for.
        held = [w for w in words if w in seg and w not in f.text]
        held = [w for w in held if not any(w != o and w in o for o in held)]  # 地质灾害, not also 地质
        share = sum(len(w) * (PLACE_WEIGHT if _names_place(w, seg) else 1) for w in held)
        dist = min((abs(f.start - a) for a in anchors), default=0)
        return (-share, dist)

    return min(cands, key=key)


_HIDDEN_FIGURE = re.compile(rf"(?:{REDACTION.pattern})\s*((?:余|多)?(?:{UNITS}))")
COUNTED_REACH = 8  # characters after a figure that name what it counts (18名|新乡贤代表)


def _counts_asked(text: str, end: int, words: Sequence[str]) -> bool:
    """The figure ending at ``end`` counts a noun the question names: a keyword starts
    within a few characters after it."""
    after = text[end : end + COUNTED_REACH]
    return any(len(w) >= 2 and w in after for w in words)


# Counters of things (not measures: 元, 亩, 天, % are amounts of something else).
COUNTERS = frozenset("个处家座起项条所台套支件批户名人位次场轮期组队间栋张份本株棵头只辆艘架门类种部")


def _counted_at(text: str, start: int, end: int, words: Sequence[str]) -> bool:
    """The figure at ``start:end`` counts a noun the question names: written right before
    it (进山卡点四十二处) or right after it (18名新乡贤代表)."""
    before, after = text[max(0, start - 12) : start], text[end : end + 12]
    return any(len(w) >= 2 and (re.search(re.escape(w) + r"[共计有达为]{0,2}$", before) or after.startswith(w))
               for w in words)


EVERY = re.compile(r"每(?:个|一)?(?:季度|半年|月|周|星期|年|天|日|旬)|每(?:[两三四五六七八九十\d]+)(?:个月|天|周|年|小时)")
_BEFORE = re.compile(r"\s*(?:前|之前|以前|底前)")


_BODY_END = rf"(?:{BODY_ENDINGS})"
# The body a sentence hands something to: "报镇党建办备案", "交乡应急办", "报送至县扶贫局综合股".
_HANDED_TO_BODY = re.compile(
    rf"(?:报送|上报|报|交|送|提交|反馈)(?:给|至|到)?([{CJK}（）()]{{2,18}}?{_BODY_END})(?=备案|审核|审定|汇总|[，,。；;、]|$)")


_AGE_SAID = re.compile(r"(?<=今年|年已|年过|年近|已经)(?:[二三四五六七八九]十[一二三四五六七八九]?|[1-9]\d)(?=了|岁|周岁|[，,。])")
_CLAUSE_MARK = re.compile(r"[，,。；;：:、]")


def body_asked(intent: Intent, text: str) -> Found | None:
    """"由哪个部门牵头", "哪个单位负责", "交给哪个部门": the body named as the subject of the
    question's act in its clause (县人力资源和社会保障局牵头), or, for a hand-in, the body it
    goes to (报镇党建办备案). None when the clause names no body right there."""
    verbs = [v for v in intent.extra.get("predicate", ()) if len(v) >= 2]
    for v in verbs:
        for m in re.finditer(re.escape(v), text):
            start = max((x.end() for x in _CLAUSE_MARK.finditer(text, 0, m.start())), default=0)
            head = re.sub(r"^(?:会议)?(?:要求|明确|决定|议定)?(?:由|请)?", "", text[start : m.start()])
            if 2 <= len(head) <= 20 and re.search(f"{_BODY_END}$", head):
                at = m.start() - len(head)
                return Found(head, at, m.start())
    if handed := _HANDED_TO_BODY.search(text):
        return Found(handed.group(1), handed.start(1), handed.end(1))
    return None


# A part of a month, as deadlines are often written (8月底前, 11月中旬前).
MONTH_PART = re.compile(r"(?:(?:19|20)\d{2}年)?\d{1,2}月(?:底|初|末|上旬|中旬|下旬)")


def by_date(intent: Intent, text: str, end: int) -> bool:
    """The date ending at ``end`` is a deadline (11月22日前完成) and the question asks no
    deadline ("哪天来"): it is when something must be done by, not when it happens."""
    return not intent.extra.get("deadline") and _BEFORE.match(text, end) is not None


def act_clauses(text: str, acts: Sequence[str]) -> list[tuple[int, int]] | None:
    """The clauses of ``text`` that write one of the question's acts (说明, 点评); None when
    the question asks no act or the text writes none (then any clause may hold the person)."""
    if not acts:
        return None
    # A field's label and its value are one clause here (主持：乡党委书记邱德明).
    bounds = [0, *(m.end() for m in re.finditer(r"[，,；;。]", text)), len(text)]
    spans = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        at = min((text.find(v, a, b) for v in acts if text.find(v, a, b) >= 0), default=-1)
        if at < 0:
            continue
        # "X在会上发言，介绍了经验": a clause that opens with its act goes on with the subject of
        # the clauses before it; one with a subject of its own (县气象局分别作了说明) does not.
        own = _OWN_SUBJECT.search(text[a:at]) or people(text[a:at])
        spans.append((a if own else 0, b))
    return spans or None


# A subject that is no person: a body (县气象局, 各乡镇, 镇党政办) acting in its own clause.
_OWN_SUBJECT = re.compile(rf"[{CJK}](?:局|办|委|部|站|所|中心|单位|部门|乡镇|乡|镇|村|社区|公司)(?:、|和|及|分别|先后|也|均|都|[{CJK}]{{0,2}}作)")


def _anchors(text: str, words: Sequence[str]) -> list[int]:
    return [m.start() for w in words if w for m in re.finditer(re.escape(w), text)]


# What ends a clause: a comma, a semicolon, a colon (but not the colon of a time, 10:00).
CLAUSE_MARK = re.compile(r"[，,；;]|(?<!\d)[：:]|[：:](?!\d)")


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in CLAUSE_MARK.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def full_name_of(addressed: Sequence[str], text: str, at: int, name: str) -> bool:
    """The person named ``name`` at ``at`` of ``text`` is one the question addresses by surname
    and post (吴股长: 吴, with a post ending in 股长 before the name, or none written)."""
    post = role_before(text, at)
    return any(name.startswith(a[0]) and (not post or post.endswith(a[1:])) for a in addressed)


# A telephone number: 0797-6822345, 68223456, 13907970001 (no longer than a mobile number).
_PHONE = re.compile(r"(?<![\d.])(?:0\d{2,3}[-—－]?)?\d{7,8}(?![\d.])|(?<!\d)1[3-9]\d{9}(?!\d)")


def find_typed(intent: Intent, text: str) -> Found | None:
    """The span of ``text`` that answers an intent of a typed kind, if any."""
    anchors = _anchors(text, [intent.focus or ""] + list(intent.keywords))
    if intent.kind == "person":
        found = people(text)
        if asked := intent.extra.get("full_name_of"):
            found = [(s, e, n) for s, e, n in found if full_name_of(asked, text, s, n)]  # 吴股长's full name
        cands = [Found(role_before(text, s) + n, s - len(role_before(text, s)), e) for s, e, n in found]
        asked_about = {n for _, _, n in found if n in intent.keywords}
        if intent.focus and intent.focus in text:
            anchors = _anchors(text, [intent.focus])
            # A name is written before its verb: 刘玉杰主持会议.
            before = [f for f in cands if f.end <= min(anchors) + 1]
            cands = before or cands
        # The person the question is about (刘玉杰是…) is not the answer to "who".
        cands = [f for f in cands if not any(f.text.endswith(n) for n in asked_about)]
        if (acts := act_clauses(text, intent.extra.get("predicate", ()))) is not None:
            # "县林业局、县气象局分别作了情况说明": who did the act is named in its clause, or
            # nobody is (the name of another clause did something else).
            anyone = cands
            cands = [f for f in cands if any(a <= f.start < b for a, b in acts)]
            if anyone and not cands:
                return None
        if not found and (addressed := [Found(m.group(0), m.start(), m.end()) for m in ADDRESSED.finditer(text)
                                         if m.group(0) not in intent.keywords]):
            # "王局长要牵头……": a person named by surname and post answers "who" too.
            cands = [f for f in addressed if acts is None or any(a <= f.start < b for a, b in acts)]
        if not cands and (m := re.search(rf"经([{CJK}]{{2,8}}?)(?:同意|批准|研究决定|研究)", text)):
            cands = [Found(m.group(1), m.start(1), m.end(1))]  # 经县委同意: who agreed is a body
        if not cands and not intent.extra.get("name"):
            # No name, but a role answers "who": 首先是乡镇党委书记的责任.
            cands = []
            for m in re.finditer(rf"[{CJK}]{{0,4}}?{ROLE}", text):
                role = re.sub(r"^.*?[是为由的对在]", "", m.group(0))
                if len(role) >= 4 and role not in intent.keywords and not any(role in k for k in intent.keywords):
                    cands.append(Found(role, m.end() - len(role), m.end()))
            if acts is not None:
                cands = [f for f in cands if any(a <= f.start < b for a, b in acts)]
        return _nearest(cands, anchors, text, intent.keywords)
    if intent.kind in ("number", "total") and intent.extra.get("phone"):
        # "联系电话是多少": a telephone number answers, never another figure (附件1); a masked
        # one (68xxxxx) is left to the clause check, which says it is hidden.
        phones = [Found(m.group(0), m.start(), m.end()) for m in _PHONE.finditer(text)]
        return _nearest(phones, anchors, text, intent.keywords) if phones else None
    if intent.kind in ("number", "total") and intent.extra.get("frequency"):
        # "多久汇报一次": how often, as documents write it (每季度, 每月, 每两周).
        return _nearest([Found(m.group(0), m.start(), m.end()) for m in EVERY.finditer(text)], anchors, text, intent.keywords)
    if intent.kind in ("number", "total"):
        # A year (2019年) is when, not how much: it answers only a question asking for years.
        nums = [n for n in numbers(text) if not is_year(n) or intent.unit == "年"]
        cands = [Found(figure_text(text, s, e, v, u), s, e) for s, e, v, u in nums if u and unit_matches(u, intent.unit)]
        if not cands and intent.unit == "个":
            # "多少个新乡贤代表": 个 counts people too, where the figure (18名) is followed by
            # the noun the question counts.
            cands = [Found(figure_text(text, s, e, v, u), s, e) for s, e, v, u in nums
                     if u and unit_matches(u, "名") and _counts_asked(text, e, intent.keywords)]
        if not cands and intent.unit == "个":
            # "多少个进山卡点": 个 is the general counter; a document counts the noun with its
            # own (进山卡点四十二处, 违规用火142起) where the noun is written right at the figure.
            cands = [Found(figure_text(text, s, e, v, u), s, e) for s, e, v, u in nums
                     if u.strip("余多") in COUNTERS and _counted_at(text, s, e, intent.keywords)]
        if not cands and intent.unit == "岁":
            # An age said without 岁: "老周今年六十八了", "年过七十".
            cands = [Found(m.group(0), m.start(), m.end()) for m in _AGE_SAID.finditer(text)]
        if not cands and intent.unit in (DURATION, "天"):
            # "巡察了多少天" of "于9月9日至10月25日开展巡察": the days the range spans.
            cands = [Found(m.group(0), m.start(), m.end()) for m in RANGE.finditer(text) if range_days(m.group(0))]
        if not cands and not intent.unit:
            cands = [Found(figure_text(text, s, e, v, u), s, e) for s, e, v, u in nums]
        # A hidden figure (投资xx万元) of the unit asked competes too: when it is the one the
        # question's words are around, the answer is that it is hidden, not another figure.
        cands += [Found(m.group(0), m.start(), m.end()) for m in _HIDDEN_FIGURE.finditer(text)
                  if unit_matches(m.group(1), intent.unit) and (intent.unit or cands)]
        return _nearest(cands, anchors, text, intent.keywords)
    if intent.kind == "date":
        days = [Found(d, s, e) for s, e, d in dates(text) if not by_date(intent, text, e)]
        if intent.extra.get("deadline"):
            days += [Found(m.group(0), m.start(), m.end()) for m in MONTH_PART.finditer(text)]  # 4月底前报
        return _nearest(days, anchors)
    if intent.kind == "time":
        return _nearest([Found(t, s, e) for s, e, t in times(text)], anchors)
    if intent.kind == "role":
        # The post of a person the question names, written before the name (县委副书记叶崧,
        # 副县长、县森林防火指挥部总指挥邱立群) or after it (陈光耀（镇党委书记）, a minutes
        # field "主持：郭振林村党支部书记、村委会主任").
        named = [k for k in intent.keywords if len(k) >= 2]
        spans = [(s, e, name) for s, e, name in people(text)]
        addressed = intent.extra.get("addressed", ())
        named += list(addressed)
        spans += [(m.start(), m.end(), k) for k in addressed for m in re.finditer(re.escape(k), text)]  # 许书记（乡党委书记）
        for s, e, name in spans:
            if not any(name in k or k in name for k in named):
                continue
            role = posts_before(text, s) or _generic_post_before(text, s)
            if role:
                return Found(role, s - len(role), s)
            if after := _post_after(text, e):
                return after
        return None
    if intent.kind == "place":
        admin = intent.extra.get("admin")
        spans = places(text)
        if intent.extra.get("venue"):
            # The venue of a meeting is where it was held (我县在凤埔乡召开), not a place it talks about.
            spans = [(m.start(1), m.end(1), m.group(1)) for m in PLACE_AT.finditer(text)
                     if re.search("召开|举行|举办", m.group(0))]
        # "旁听庭审在什么地方": where the asked act was done, written 在X(集中)旁听.
        if not intent.extra.get("venue"):
            spans = spans + [(m.start(1), m.end(1), m.group(1)) for m in _acted_at(intent, text)]
        cands = [
            Found(p, s, e)
            for s, e, p in spans
            if not any(p == k for k in intent.keywords) and (not admin or p.endswith(admin)) and not _kind_of_place(text, s)
        ]
        if intent.extra.get("room"):
            # "在哪个会议室开的": only a room or building answers, never the town it is in.
            cands = [f for f in cands if re.search(rf"(?:{BUILDING})$", f.text)]
        # "李强是哪里的": the place written in the same item as the person the question names.
        named = intent.extra.get("people", ())
        own = [f for f in cands if any(n in _segment(text, f.start, f.end) for n in named)]
        return _nearest(own or cands, anchors, text, intent.keywords)
    return None


_PLACE_END = rf"(?:{BUILDING}|镇|乡|村|县|市|区|社区|街道)$"
_HOW = "集中|统一|分组|分别|一起|共同|实地|现场|进行|开展|组织"


def _acted_at(intent: Intent, text: str) -> list[re.Match[str]]:
    """Places written as where one of the question's own acts was done: 在X(集中)旁听 for
    "旁听庭审在什么地方". The act must be a word of two characters or more the question writes."""
    # A word naming a place (会议室 of "在哪个会议室召开") is what is asked, not the act.
    named = [k for k in intent.keywords if re.search(_PLACE_END, k)]
    acts = [k for k in intent.keywords if len(k) >= 2 and re.fullmatch(f"[{CJK}]+", k) and not any(k in n for n in named)]
    if not acts:
        return []
    pattern = re.compile(rf"在([{CJK}]{{2,16}}?)(?:{_HOW})*(?:{'|'.join(map(re.escape, acts))})")
    # X names a place only when it ends as a room, building or place does (在全县范围内召开 does not).
    return [m for m in pattern.finditer(text) if re.search(_PLACE_END, m.group(1))]


def _kind_of_place(text: str, start: int) -> bool:
    """"部分示范点、示范村", "各贫困村": a place after a quantifier (or in a list after one)
    is a kind of place, not the name of one."""
    return bool(re.search(rf"(?:部分|各|一批|所有|这些|若干|全部|[\d一二两三四五六七八九十几多]个)(?:[{CJK}]{{1,6}}、)*$", text[:start]))


# Counters that count the same thing: 多少人 is answered by 43名.
# The last word of a post: 书记, 主任, 县长/局长/总指挥/指挥长, 委员, 文书…
_TITLE_END = r"(?:书记|主任|主席|委员|[长]|总指挥|指挥|专干|文书|会计|顾问|干事|教授|研究员|馆员|调研员|组员|成员|队员)"
_GENERIC_POST = re.compile(
    rf"(?:^|(?<=[，,。；;：:\s（(]))((?:[{CJK}]{{1,14}}?{_TITLE_END}、)*[{CJK}]{{1,14}}?{_TITLE_END})$"
)
_POST_IN_BRACKETS = re.compile(rf"[（(]([{CJK}、，,]{{2,30}}?{_TITLE_END})[）)]")
_POST_RIGHT_AFTER = re.compile(rf"(?:[村镇乡县市区省党][{CJK}]{{0,12}}?{_TITLE_END}、?)+(?=[，,。；;\s）)]|$)")


def _generic_post_before(text: str, start: int) -> str:
    """A post ending in a title word right before a name, from the last punctuation mark
    on: "副县长、县森林防火指挥部总指挥" before 邱立群 (posts the post list does not know)."""
    m = _GENERIC_POST.search(text[max(0, start - 40) : start])
    return m.group(1) if m else ""


def _post_after(text: str, end: int) -> Found | None:
    """A post written right after a name: in brackets (陈光耀（镇党委书记）) or, in a field,
    straight after it (郭振林村党支部书记、村委会主任)."""
    if m := _POST_IN_BRACKETS.match(text, end):
        return Found(m.group(1), m.start(1), m.end(1))
    if m := _POST_RIGHT_AFTER.match(text, end):
        post = m.group(0).rstrip("、")
        return Found(post, m.start(), m.start() + len(post))
    return None


LENGTH_UNITS = frozenset(("公里", "千米", "米", "里"))
DURATION_UNITS = frozenset(("分钟", "小时", "天", "日", "个工作日", "工作日", "个月", "年"))
_SAME_UNIT = {"人": "名", "位": "名", "名": "名"}


def shown_unit(asked: str) -> str:
    """A question's unit as an answer writes it: 台|套 (asked as 多少台（套）) -> 台（套）."""
    first, *others = asked.split("|")
    return first + "".join(f"（{u}）" for u in others)


def unit_matches(unit: str, asked: str | None) -> bool:
    """Does a figure's unit (余名, 个) answer a question's unit (人, 个; 台|套 for either)?"""
    if not asked:
        return True
    if "|" in asked:
        return any(unit_matches(unit, a) for a in asked.split("|"))
    if asked == "元":
        return unit.endswith("元")  # 万元, 亿元, 元: money in any magnitude
    if asked == DURATION:
        return unit in DURATION_UNITS
    if asked == LENGTH:  # 多长 is a distance or a time (准备多长的发言: 5分钟)
        return unit.strip("余多") in LENGTH_UNITS | DURATION_UNITS
    core = unit.lstrip("余多").rstrip("余多")
    if core[:1] in "万亿" and len(core) > 1 and asked[:1] not in "万亿":
        core = core[1:]  # 12.6万亩 answers 多少亩; 3万人 answers 多少人
    return core == asked or _SAME_UNIT.get(core, core) == _SAME_UNIT.get(asked, asked)


@dataclass(frozen=True)
class Total:
    """A sum of figures of one sentence: ``共62名（18+10+34）``, optionally without one item."""

    value: str  # 62名
    parts: str  # 18+10+34
    left_out: str = ""  # the item excluded by the question: 22名软弱涣散村党组织书记

    def render(self) -> str:
        """The total with its parts (``rag.guard`` checks the arithmetic) and what was left out."""
        return f"共{self.value}（{self.parts}）" + (f"，不含{self.left_out}" if self.left_out else "")


def total_of(intent: Intent, text: str) -> Total | None:
    """Sum the figures of the asked-for unit listed in one sentence.

    With ``intent.extra["exclude"]`` (不含/除…外 X) the one item that names X
    best is left out of the sum. When no item clearly names X the result is
    None: a total that may still include X would be a guess.
    """
    found = [(s, e, v, u) for s, e, v, u in numbers(text) if u and unit_matches(u, intent.unit)]
    if len(found) < 2:
        return None
    left_out = ""
    if exclude := intent.extra.get("exclude"):
        runs = [_common_run(exclude, _segment(text, s, e)) for s, e, _, _ in found]
        best = max(len(r) for r in runs)
        if best < min(4, len(exclude)) or [len(r) for r in runs].count(best) != 1:
            return None
        i = [len(r) for r in runs].index(best)
        # 22名软弱涣散村党组织书记: the figure and the words naming X, whichever comes first.
        start, end = found[i][0], found[i][1]
        at = min((m.start() for m in re.finditer(re.escape(runs[i]), text)), key=lambda a: abs(a - start))
        left_out = text[min(start, at) : max(end, at + best)]
        found = found[:i] + found[i + 1 :]
    if (parts := intent.extra.get("parts")) and not exclude:
        chosen = _matching(parts, intent.extra.get("head", ""), text, found)
        if chosen is None:
            return None  # a part the question names has no one figure of its own: no sum to trust
        found = chosen
    if not exclude and not intent.extra.get("parts") and (kept := _qualified(intent, text, found)) is not None:
        found = kept  # "请假没来的党员一共几个": only the figures whose item writes 请假
        if len(found) < 2:
            return None
    if intent.unit == DURATION and len({u for _, _, _, u in found}) > 1:
        return None  # 3天 and 2个月 do not add up
    magnitudes = {_magnitude(u) for _, _, _, u in found}
    if len(magnitudes) > 1:
        return None  # 18.6万元 and 500元 do not add up as written
    kinds = {_SAME_UNIT.get(c := u.strip("余多")[len(_magnitude(u)):], c) for _, _, _, u in found}
    if len(kinds) > 1 and not (intent.unit and "|" in intent.unit and kinds <= set(intent.unit.split("|"))):
        return None  # 14个村 and 31人 count different things (unless asked as 多少台（套）)
    values = [v for _, _, v, _ in found]
    total = sum(float(v) for v in values)
    shown = int(total) if float(total).is_integer() else round(total, 2)
    cores = {u.strip("余多") for _, _, _, u in found}
    if intent.unit in (None, DURATION):
        unit = found[0][3]
    elif len(cores) == 1:
        unit = cores.pop()  # as the document counts them: 二名 + 三名 -> 5名, asked 几个
    else:
        unit = magnitudes.pop() + shown_unit(intent.unit)
    if any(re.search("[余多]", u) for _, _, _, u in found) and not re.search("[余多]", unit):
        unit = "余" + unit  # 158名 + 320余名: 478余人, as approximate as its least exact part
    return Total(f"{shown}{unit}", "+".join(values), left_out)


_COUNTED_NOUN = re.compile(r"群众|党员|干部|代表|村民|居民|人员|同志|学员|职工|游客|书记|村|镇|乡|单位|部门")


def _qualified(intent: Intent, text: str, found: list[tuple[int, int, str, str]]
               ) -> list[tuple[int, int, str, str]] | None:
    """The figures a total is over when the question qualifies them with a word only some
    of the sentence's items write (请假 of "请假没来的党员一共几个" over 全支部党员三十六名，因病
    请假二名，外出务工请假三名); None when no word does; [] when two words pick different items."""
    segments = [_segment(text, s, e) for s, e, _, _ in found]
    picks = set()
    for k in intent.extra.get("item_words", intent.keywords):
        if len(k) < 2 or _COUNTED_NOUN.search(k):
            continue  # the noun counted is no qualifier: every item counts it
        holding = tuple(i for i, seg in enumerate(segments) if k in seg)
        if 2 <= len(holding) < len(segments):
            picks.add(holding)
    if len(picks) > 1:
        return []  # 请假 and 出差 pick different items: which ones are meant is unknown
    if not picks:
        return None
    chosen = picks.pop()
    return [found[i] for i in chosen]


def is_year(n: tuple[int, int, str, str]) -> bool:
    _, _, value, unit = n
    return unit == "年" and re.fullmatch(r"(?:19|20)\d\d", value) is not None


def _magnitude(unit: str) -> str:
    """万 of 18.6万元 / 12余万亩: the magnitude a figure's unit carries ("" for none)."""
    core = unit.strip("余多")
    return core[0] if len(core) > 1 and core[0] in "万亿" else ""


def _part_words(part: str) -> list[str]:
    from rag.lexical import tokenize

    return [w for w in dict.fromkeys(tokenize(part)) if len(w) >= 2]


def _matching(parts: Sequence[str], head: str, text: str,
              found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]] | None:
    """For each part the question names, the one figure whose enumeration item names it
    best (its words; then the longest run of ``head``, the noun counted). None when a
    part matches no item, or two items equally, or two parts the same item."""
    out: list[tuple[int, int, str, str]] = []
    for part in parts:
        words = _part_words(part) or [part]
        # A part written as a quoted term ("好"等次4名) names its item exactly: "好" is not "较好".
        as_term = re.compile(rf"[“\"「『]{re.escape(part)}[”\"」』]")
        scores = []
        for s, e, _, _ in found:
            seg = _segment(text, s, e)
            scores.append((int(bool(as_term.search(seg))), sum(len(w) for w in words if w in seg),
                           len(_common_run(head, seg)) if head else 0))
        best = max(scores)
        if best[1] == 0 or scores.count(best) != 1:
            return None
        pick = found[scores.index(best)]
        if pick in out:
            return None
        out.append(pick)
    return sorted(out)


_STATED_CHANGE = re.compile(r"(?:比|较|同比|相比).{0,12}?(?:多|增加|增长|提高|减少|少|下降|降低)")


def stated_change(intent: Intent, text: str) -> Found | None:
    """"比去年增加30名": a figure the text itself writes as a difference."""
    for s, e, v, u in numbers(text):
        if u and unit_matches(u, intent.unit) and _STATED_CHANGE.search(_segment(text, s, e)):
            return Found(figure_text(text, s, e, v, u), s, e)
    return None


@dataclass(frozen=True)
class Difference:
    """How much one figure of a sentence exceeds another: ``多60家（210-150）``."""

    value: str
    more: str
    less: str
    word: str  # 多 or 少, as the question asks

    def render(self) -> str:
        return f"{self.word}{self.value}（{self.more}-{self.less}）"


def difference_of(intent: Intent, text: str) -> Difference | None:
    """"A比B多多少家": the figures of one sentence that name A and B (each the one
    item that names it best) and their difference; None unless both are found and
    the difference has the sign the question asks for."""
    first, second, word = intent.extra["difference"]
    found = [(s, e, v, u) for s, e, v, u in numbers(text) if u and unit_matches(u, intent.unit)]
    if len(found) < 2 or any(_STATED_CHANGE.search(_segment(text, s, e)) for s, e, _, _ in found):
        return None  # "比去年增加30名": the text states the difference itself (see stated_change)
    chosen = []
    for part in (first, second):
        pick = _matching([part], "", text, found)
        if pick is None:
            return None
        chosen.append(pick[0])
    (_, _, a, unit), (_, _, b, _) = chosen
    if chosen[0] == chosen[1]:
        return None
    diff = float(a) - float(b) if word == "多" else float(b) - float(a)
    if diff <= 0:
        return None  # the question says A has more (less), the text says otherwise
    shown = int(diff) if float(diff).is_integer() else round(diff, 2)
    more, less = (a, b) if word == "多" else (b, a)
    return Difference(f"{shown}{unit if intent.unit in (None, DURATION) else shown_unit(intent.unit)}", more, less, word)


# A task's whole (任务860户, 共排查出87处) and what of it is done (完成了210户, 已整改68处),
# each written right before its figure; and a remainder the text states itself (还有650户).
_WHOLE = re.compile(r"(?:任务|计划|目标|下达|安排|共|总|排查出|发现|反映|签约|涉及)[^，,。；;：:]{0,8}$")
_DONE = re.compile(r"(?:完成|已|解决|整改|落实|到位|办结|完工|建成)[^，,。；;：:]{0,6}$")
_LEFT = re.compile(r"(?:还有|还剩|剩余|剩下|尚有|其余|尚未|未)[^，,。；;：:]{0,6}$")


def remainder_of(intent: Intent, text: str) -> Found | Difference | None:
    """"还剩多少户没完成" of "任务860户，目前只完成了210户": the remainder the text states
    (还有650户未完成), else the whole less what is done; of "已经整改了多少处" (``done``),
    what is done, stated or the whole less what is left. None when neither is written."""
    found = [(s, e, v, u) for s, e, v, u in numbers(text) if u and unit_matches(u, intent.unit) and not is_year((s, e, v, u))]
    asked, other = (_DONE, _LEFT) if intent.extra.get("done") else (_LEFT, _DONE)
    for s, e, v, u in found:
        if asked.search(text[max(0, s - 8) : s]) and not _WHOLE.search(text[max(0, s - 10) : s]):
            return Found(figure_text(text, s, e, v, u), s, e)
    parts = [f for f in found if other.search(text[max(0, f[0] - 8) : f[0]])]
    wholes = [f for f in found if _WHOLE.search(text[max(0, f[0] - 10) : f[0]]) and f not in parts]
    if parts and not wholes:
        wholes = [f for f in found if f[0] < parts[0][0]][:1]  # 项目217个，目前已完工148个
    if not wholes or not parts:
        return None
    whole = wholes[0]
    part = next((f for f in parts if f[0] > whole[0]), None)
    if part is None or _magnitude(part[3]) != _magnitude(whole[3]):
        return None
    left = float(whole[2]) - float(part[2])
    if left <= 0:
        return None
    shown = int(left) if left.is_integer() else round(left, 2)
    unit = whole[3].strip("余多")
    return Difference(f"{shown}{unit}", whole[2], part[2], "")


def _common_run(a: str, b: str) -> str:
    """The longest run of characters of ``a`` that is also in ``b``."""
    best = ""
    for i in range(len(a)):
        j = i + len(best) + 1
        while j <= len(a) and a[i:j] in b:
            best = a[i:j]
            j += 1
    return best


CLOZE_MIN = 4  # characters of the question's own wording that must precede the answer


def cloze(intent: Intent, text: str) -> Found | None:
    """"…防止“一肩挑”变成什么?" in "…防止“一肩挑”变成“一言堂”。": the sentence repeats
    the words before 什么 (at least ``CLOZE_MIN`` characters of them), and the
    answer is what follows, up to the end of the clause or the words the
    question writes after 什么 (…暨什么计划 -> 肉牛振兴)."""
    if not (slot := intent.extra.get("cloze")):
        return None
    before, after = slot
    for size in range(len(before), CLOZE_MIN - 1, -1):
        pos = text.find(before[-size:])
        if pos >= 0:
            break
    else:
        return _cloze_after(after, text)
    start = pos + size
    if (quote := re.match(r"[“「\"]([^”」\"]{1,30})[”」\"]", text[start:])):
        # A quoted term right there is the answer: 变成“一言堂”, 实行“召回”制.
        return Found(quote.group(1), start + 1, start + 1 + len(quote.group(1)))
    stop = re.search(r"[，,。；;：:！？!?、]", text[start:])
    end = start + (stop.start() if stop else len(text) - start)
    # The words after 什么 close the answer: 暨肉牛振兴计划 with "暨什么计划".
    for k in range(len(after), 0, -1):
        if (cut := text.find(after[:k], start + 1, end)) > start:
            end = cut
            break
    if not 1 <= end - start <= 30:
        return None
    return Found(text[start:end], start, end)


def _cloze_after(after: str, text: str) -> Found | None:
    """"按什么“培训方式”来搞" in "按照“县级示范、乡镇兜底”的培训方式": the sentence
    repeats the words after 什么 (at least ``CLOZE_MIN`` characters of them) right
    after a quoted term, which is the answer."""
    words = re.sub(r"[“”「」\"]", "", after)
    for size in range(len(words), CLOZE_MIN - 1, -1):
        for m in re.finditer(re.escape(words[:size]), text):
            if quote := re.search(r"[“「\"]([^”」\"]{1,30})[”」\"]的?$", text[: m.start()]):
                return Found(quote.group(1), quote.start(1), quote.end(1))
    return None


def best_clause(intent: Intent, text: str, need: str = "", title: str = "") -> tuple[int, int]:
    """The clause holding most keywords (and ``need`` when given). Words of the
    title name the meeting, not the answer, so they do not count here."""
    best, best_score = (0, len(text)), -1.0
    words = [k for k in intent.keywords if k not in title]
    for s, e in _clauses(text):
        clause = text[s:e]
        if need and need not in clause:
            continue
        score = sum(len(k) for k in words if k in clause) + (5 if "、" in clause else 0) * (intent.kind == "list")
        if score > best_score:
            best, best_score = (s, e), score
    return best


# --- numbered headings: (一)…(二)…(三)… -------------------------------------------

_CN_DIGIT = "一二三四五六七八九十"
# A numbered item at the start of a line or right after a sentence: its style and number.
_ITEM = re.compile(
    rf"(?:^|(?<=\n)|(?<=[。；;]))[ \t\u3000]*"
    rf"(?P<item>[(（]([{_CN_DIGIT}]{{1,2}})[)）]|([{_CN_DIGIT}]{{1,2}})、|[(（](\d{{1,2}})[)）]|(\d{{1,2}})[、.](?!\d))"
)
_HEAD_END = re.compile(r"[。；;！？!?\n]")


@dataclass(frozen=True)
class Heading:
    """A numbered heading: ``(二)实施头雁锻造工程。`` at [start, end) of the text."""

    style: int  # which numbering: 0 (一), 1 一、, 2 (1), 3 1、
    number: int
    start: int
    end: int  # the heading sentence ends here (its end mark included)
    text: str


def headings(text: str) -> list[Heading]:
    """Every numbered heading of a document, in order; a heading is its first sentence."""
    out = []
    for m in _ITEM.finditer(text):
        style = next(i for i, g in enumerate(m.groups()[1:]) if g)
        stop = _HEAD_END.search(text, m.end())
        end = len(text) if stop is None else stop.start() if stop.group() == "\n" else stop.end()
        start = m.start("item")
        out.append(Heading(style, small_number(m.group(style + 2)), start, end, text[start:end]))
    return out


def heading_runs(text: str) -> list[tuple[Heading | None, list[Heading]]]:
    """Runs of sibling headings numbered 1, 2, 3 … with the heading of the section
    they sit in (the nearest earlier heading of another style, if any)."""
    runs: list[tuple[Heading | None, list[Heading]]] = []
    open_runs: dict[int, list[Heading]] = {}
    last_of_style: dict[int, Heading] = {}
    for h in headings(text):
        run = open_runs.get(h.style)
        if run and h.number == run[-1].number + 1:
            run.append(h)
        elif h.number == 1:
            parents = [p for s, p in last_of_style.items() if s != h.style]
            parent = max(parents, key=lambda p: p.start) if parents else None
            run = [h]
            open_runs[h.style] = run
            runs.append((parent, run))
        else:
            open_runs.pop(h.style, None)  # numbering broken: not a list
        last_of_style[h.style] = h
    return [(p, r) for p, r in runs if len(r) >= 2]


# --- enumerations: "以良田、良种和智慧农业工程为支撑" ------------------------------------------

# Words that lead into a list or close it; they are not part of its first or last item.
_LEAD_IN = re.compile(r"通过|包括|围绕|按照|坚持|实现|推进|推动|加强|实施|建立|开展|抓好|做好|聚焦|突出|即|集|以|有|是|如")
_TAIL = re.compile(r"等|为|作为|的|在|是|进行|方面|相结合|为一体|一体")


@dataclass(frozen=True)
class Enumeration:
    items: tuple[Found, ...]
    complete: bool  # False when the list ends with 等: more items than written


def enumerations(text: str) -> list[Enumeration]:
    """The 、-separated lists of each clause of ``text`` (offsets into ``text``): the first
    item loses its lead-in (通过, 以, 包括 …), the last one is split at 和/及/与 and cut
    before what closes the list (等, 为, 的 …)."""
    out = []
    for cs, ce in _clauses(text):
        clause = text[cs:ce].rstrip("，,；;：:。")
        if "、" not in clause:
            continue
        pieces, pos = [], cs
        for piece in clause.split("、"):
            pieces.append((pos, piece))
            pos += len(piece) + 1
        last_at, last = pieces[-1]
        tail: list[tuple[int, str]] = []
        if m := re.search(r"以及|和|及|与", last[1:]):
            cut = m.start() + 1
            tail = [(last_at, last[:cut]), (last_at + m.end() + 1, last[m.end() + 1 :])]
        else:
            tail = [(last_at, last)]
        end_at, end = tail[-1]
        complete = True
        if m := _TAIL.search(end, 1):
            complete = m.group() != "等"
            end = end[: m.start()]
        tail[-1] = (end_at, end)
        pieces = pieces[:-1] + tail
        first_at, first = pieces[0]
        usual = sorted(len(p) for _, p in pieces[1:])[(len(pieces) - 1) // 2]
        # "以良田", "通过支部联建", "形成一个集便民服务": longer than the other items, and led in.
        leads = [m.end() for m in _LEAD_IN.finditer(first) if len(first) - m.end() >= 2]
        if len(first) > usual and leads:
            cut = max((c for c in leads if len(first) - c >= usual - 1), default=min(leads))
            first_at, first = first_at + cut, first[cut:]
        pieces[0] = (first_at, first)
        items = tuple(_item(a, p) for a, p in pieces)
        if len(items) >= 2 and all(1 <= len(f.text) <= 16 for f in items):
            out.append(Enumeration(items, complete))
    return out


def _item(at: int, piece: str) -> Found:
    lead = len(piece) - len(piece.lstrip("“”\"「」 "))
    body = piece.strip("“”\"「」 ")
    return Found(body, at + lead, at + lead + len(body))


QUOTED = re.compile(r"[“「\"]([^”」\"]{1,40})[”」\"]")


def quoted_terms(text: str) -> list[Found]:
    return [Found(m.group(1), m.start(1), m.end(1)) for m in QUOTED.finditer(text)]
