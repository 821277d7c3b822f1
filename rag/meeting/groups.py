"""Bodies of people by rule: who attended and who spoke, with stated counts.

``来自全市各地的18名优秀乡镇(街道)党(工)委书记、10名…和22名…出席会议`` gives
one group per list item, ``{group, count}``; ``等11名镇村党组织书记作了发言``
a speaking group. Items that name a person are left to ``rag.meeting.people``.

A total that covers a whole list (``…共120余人参加``, ``参会人员:…共32人``) is a group of
its own: the list, with the total and whether it is approximate (``head_counts``).

Left out on purpose: any count not written as a figure (``*、*、*乡镇`` stays uncounted).
"""

from __future__ import annotations

import re

from rag.evidence import span
from rag.meeting.people import ATTEND, Mention
from rag.meeting.side import main_sentences, side_paragraphs
from rag.rules_text import Sentence, sentences
from rag.summary_schema import Group
from rag.types import Document
from rag.zh.names import POST
from rag.zh.numerals import counts

_TOTAL = re.compile(r"(?:共计|合计|总计|一共|共|等|计)?\d+(?:余|多)?(?:人|名)$")
_COUNTED = re.compile(r"(?P<count>\d+)名(?P<group>[^、,，。；;和及]+?)(?=、|和|及|出席|参加|作了?|$)")
_SEPARATOR = re.compile(r"[、,，]|和(?=[\d一二三四五六七八九十两百])")
_BODY = re.compile(r"负责人|领导|书记|干部|代表|同志|委员|成员")
_ORGANISED = re.compile(r"组织(?P<list>[^到,，。]{2,40}?)到[^,，。]{2,40}?(?:参观|考察|观摩|调研)")


def _items(text: str, offset: int) -> list[tuple[int, int]]:
    """``[start, end)`` of each item of a list written ``A、B,以及C和22名D``."""
    out, pos = [], 0
    for m in list(_SEPARATOR.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        lead = re.match(r"(?:以及|及|和)", text[pos:end])
        start = pos + (lead.end() if lead else 0)
        if end > start:
            out.append((offset + start, offset + end))
        pos = m.end() if m else len(text)
    return out


def _group(doc: Document, a: int, b: int) -> Group | None:
    total = _TOTAL.search(doc.text[a:b])
    if total and total.start() > 0:
        b = a + total.start()  # "县直各单位主要负责人共120余人": the total covers the whole list
    part = doc.text[a:b]
    counted = _COUNTED.fullmatch(part)
    first = counts(part, pairs=True)
    if not counted and first and first[0].start == 0 and first[0].unit in PEOPLE_UNITS and len(first) == 1 \
            and not re.search(r"[、,，]", part[first[0].end :]) and part[first[0].end :].strip():
        # the figure in words: "十八名村党组织书记", "一百二十余名基层武装干部"
        c = first[0]
        return Group(group=part[c.end :], count=c.value, approx=c.approx, evidence=span(doc, a, b))
    if counted:
        g0, g1 = a + counted.start("group"), a + counted.end("group")
        return Group(group=doc.text[g0:g1], count=int(counted.group("count")), evidence=span(doc, a, g1))
    if _BODY.search(part) and len(part) <= 30 and not re.search(r"\d", part):
        return Group(group=part, count=None, evidence=span(doc, a, b))
    return None


# 组成: "评委由…共15人组成" (a body made up for the meeting: a jury, an inspection team)
_ATTENDED = re.compile(r"(?:出席|参加|参会|列席|与会|到会|参训|参与|组成|收听收看|收看)")
_HEAD_COUNT = re.compile(r"(?:共计|合计|总计|共有|一共|总共|共|计|等|约|近)?$")
_TOTAL_LEAD = re.compile(r"[,，]?(?:共计|合计|总计|共有|一共|总共|共|计|等|约|近)$")
PEOPLE_UNITS = ("人", "名", "位")


# "参会人员:X共32人", "参训对象为X,共计90余人", "参加今天会议的有X,共计110余人", "今天参会的,
# 除了X,还有Y,一共一百八十余人": the attending word comes first and the figure closes the list.
_ROSTER = re.compile(
    r"(?:参会|参训|与会|出席|列席|参加)(?:人员|对象|范围|会议的|今天会议的|本次会议的|的)?(?:有|为|是|[:：]|(?<=的)[,，]?)"
    r"|(?:参加|出席|列席|参与)了?[^,，。；;的]{1,8}的(?:还|也)?有[:：]?"  # "参加此次培训的有…120余人"
)


def _roster_total(doc: Document, s: Sentence) -> Group | None:
    """The figure closing a roster sentence, when it counts the whole list: written after
    共/共计/一共…, or the only figure of the list (``出席:X7人,Y40余名`` are items, not a total)."""
    roster = _ROSTER.search(s.text)
    if roster is None:
        return None
    tail = [c for c in counts(s.text[roster.end() :]) if c.unit in PEOPLE_UNITS]
    for i in range(len(tail) - 1, -1, -1):
        c = tail[i]
        body = s.text[roster.end() : roster.end() + c.start]
        lead = _TOTAL_LEAD.search(body)
        led = bool(lead and lead.group(0))
        rest = s.text[roster.end() + c.end :]
        # "…,一共一百八十余人,规模是…": a total led by 共/一共 may close its clause, not only its sentence
        if rest.strip("。.;；") == "" or (led and re.match(r"[,，]", rest)):
            break
    else:
        return None
    if len(tail) > 1 and not led:
        return None
    body = _TOTAL_LEAD.sub("", body).strip("，, ")
    if not body:
        return None
    return Group(group=body, count=c.value, approx=c.approx,
                 evidence=span(doc, s.start + roster.start(), s.start + roster.end() + c.end))


def head_counts(doc: Document) -> list[Group]:
    """Bodies whose size is written as one figure before an attending verb:
    ``…、部分党员和群众代表共计160余人参加会议`` -> {…群众代表, 160, approx},
    ``一百二十余人参加``, ``全镇120多名党员干部参加`` (the group is what the figure counts
    when it follows the figure: 党员干部). Side meetings' bodies are left out."""
    out: list[Group] = []
    for s in main_sentences(doc.text):
        total = _roster_total(doc, s)
        if total is not None:
            out.append(total)
            continue
        seg = 0  # each attending verb counts what is written since the one before it
        for verb in _ATTENDED.finditer(s.text):
            group = _counted_before(doc, s, seg, verb.start(), verb.end())
            seg = verb.end()
            if group is not None:
                out.append(group)
                break
        else:
            if (listed := _listed_total(doc, s)) is not None:
                out.append(listed)
    return out


# "…单位负责同志,乡党政班子成员,…14个村的党组织书记、村委会主任,共计一百一十余人,分乘车辆前往…":
# bodies listed as a sentence's subject and totalled, whatever they went on to do.
_BODY_TOTAL = re.compile(
    r"(?:负责人|负责同志|领导|书记|干部|代表|同志|委员|成员|主任|队员)[,，]?(?P<lead>共计|一共|合计|总计|共|一行)"
)


def _listed_total(doc: Document, s: Sentence) -> Group | None:
    for m in _BODY_TOTAL.finditer(s.text):
        found = counts(s.text[m.end("lead") : m.end("lead") + 10])
        if not found or found[0].start != 0 or found[0].unit not in PEOPLE_UNITS:
            continue
        c = found[0]
        if m.group("lead") != "一行" and not re.match(r"[,，]", s.text[m.end("lead") + c.end :]):
            continue  # the total closes its clause (一行32人 names a party, whatever follows: 来到…)
        head = s.text[: m.start("lead")].rstrip(",，")
        if not re.search(r"[、和及]", head):
            continue  # a list of bodies, not one
        start = re.match(r"(?:[^,，]{0,14}(?:日|时许?|时\d+分|上午|下午)[^,，]{0,4}[,，])?", head)
        a = start.end() if start else 0
        value_end = m.end("lead") + c.end
        return Group(group=head[a:], count=c.value, approx=c.approx,
                     evidence=span(doc, s.start + a, s.start + value_end))
    return None


# One person per village counted: "全县28个村党组织书记参加培训" (the post alone before the verb;
# "11个村党组织书记、村委会主任参加" counts two posts per village and is left uncounted).
ONE_PER_VILLAGE = re.compile(
    r"(?:行政)?(?:村|社区|村[(（]社区[)）]|村[(（]居[)）])的?(?:党组织|党支部|党总支|驻村)?(?:第一)?书记$"
)


def _counted_before(doc: Document, s: Sentence, seg: int, at: int, verb_end: int) -> Group | None:
    figures = [c for c in counts(s.text[seg:at]) if c.unit in PEOPLE_UNITS
               or (c.unit == "个" and ONE_PER_VILLAGE.match(s.text[seg + c.end : at]))]
    if not figures:
        return None
    c = figures[-1]  # the figure right before the verb
    c_start, c_end = seg + c.start, seg + c.end
    clause_start = max((m.end() for m in re.finditer(r"[,，；;。：:]", s.text[:c_start])), default=0)
    clause_start = max(clause_start, seg)
    before = s.text[clause_start:c_start]
    after = s.text[c_end:at]
    if re.search(r"[,，；;]", after) or re.search(r"(?:不少于|不超过|不低于|至少|最多|每[^,，]{0,6})$", before):
        return None  # the verb has its own subject, or the figure is a bound (每个点邀请…不少于10名参加)
    lead = _HEAD_COUNT.search(before)
    total = bool(lead and lead.group(0))
    if len(figures) > 1 and not total:
        return None  # "18名…、10名…和22名…出席": a list of counted groups (``attendees``)
    noun = re.fullmatch(r"[^,，、；;。]{1,12}", after.strip("的 ")) if after.strip("的 ") else None
    if noun and not total:
        return Group(group=noun.group(0), count=c.value, approx=c.approx,
                     evidence=span(doc, s.start + c_start, s.start + verb_end))  # 全镇120多名党员干部参加
    body = (before[: lead.start()] if lead else before).strip()
    g0 = s.start + clause_start
    if not body and total:
        # "…,重点企业负责人,共计70余人参加会议": the total covers the list before it
        body = s.text[seg:clause_start].strip("，,；; ")
        g0 = s.start + seg
    if not body:
        # "…召开动员大会,约80人参加会议": the figure alone is the body
        body, g0 = s.text[c_start:c_end], s.start + c_start
    return Group(group=body, count=c.value, approx=c.approx, evidence=span(doc, g0, s.start + verb_end))


# An item of a minutes roster line with its own figure: "村“两委”成员7人", "村民代表40余名",
# "镇驻村工作组成员2名", "全镇19个村党组织书记".
_ROSTER_FIELD = re.compile(
    r"^(?:[一二三四五六七八九十]+[、,，]\s*)?(?:出席|列席|参加|参会|与会|参训)(?:人员|领导|对象|学员)?[:：]", re.M
)


_ASIDE = re.compile(r"[（(][^()（）\n]*[)）]")
_FIELD_LABEL = re.compile(r"^[^\n:：]{1,8}[:：]")


def _roster_end(text: str, start: int) -> int:
    """Where a roster line's list ends: its line, and the lines after it while each one
    ends in a list separator (``列席:…负责人;`` / ``全镇19个村党组织书记``) and the next is no
    new field (``记录:``) or blank."""
    end = text.find("\n", start)
    while end >= 0 and text[end - 1 : end] in ("；", ";", "、", "，", ","):
        nxt = text.find("\n", end + 1)
        line = text[end + 1 : len(text) if nxt < 0 else nxt]
        if not line.strip() or _FIELD_LABEL.match(line) or _ROSTER_FIELD.match(line):
            break
        end = nxt
    return len(text) if end < 0 else end


def roster_items(doc: Document) -> list[Group]:
    """Counted items of a roster line (``出席:…``, ``列席:…``), one group each."""
    out: list[Group] = []
    text = doc.text
    for line in _ROSTER_FIELD.finditer(text):
        end = _roster_end(text, line.end())
        body = _ASIDE.sub(lambda m: re.sub(r"[、,，;；]", "\u3000", m.group(0)), text[line.end() : end])
        for a, b in _items(body.replace(";", "、").replace("；", "、").replace("\n", "、"), line.end()):
            raw = text[a:b].rstrip("。. ")
            item = _ASIDE.sub("", raw)
            found = [c for c in counts(item, pairs=True) if c.unit in (*PEOPLE_UNITS, "个")]
            if len(found) != 1 or re.search(r"(?:共计|合计|总计|共有|一共|总共|共|计)$", item[: found[0].start]):
                continue  # "…及各村支部书记共32人": the line's total (``head_counts``)
            c = found[0]
            if c.end == len(item):  # the figure closes the item: 村民代表40余名
                group = item[: c.start]
            elif c.unit == "个" and not re.search(r"[人名位]", item[c.end :][:1]):
                group = item  # 全镇19个村党组织书记: one person per village counted
            else:
                continue
            if group.strip():
                out.append(Group(group=group.strip(), count=c.value, approx=c.approx,
                                 evidence=span(doc, a, a + len(raw))))
    return out


_POST_ONLY = re.compile(rf"[^各全有关部分等诸\d]{{0,14}}?{POST}")


def attendees(doc: Document, found: list[Mention]) -> list[Group]:
    """Bodies before ``出席/参加会议``: ``18名优秀乡镇(街道)党(工)委书记``, ``县直有关单位主要负责人``.

    Also the bodies the meeting sentence says were organised to visit
    (``召开…,组织X、Y到…参观``); a later ``组织…到先进村观摩`` is other work.
    Items naming a person are left to ``people.participants``.
    """
    out: list[Group] = []
    all_sentences = sentences(doc.text)
    meeting = next((s for s in all_sentences if re.search(r"召开|举行", s.text)), None)
    side = side_paragraphs(all_sentences)
    for s in all_sentences:
        spans: list[tuple[int, int]] = []
        # who attended another event (当天下午,…召开学员座谈会,10名…代表参加座谈) is not listed
        m = ATTEND.search(s.text) if s.para not in side else None
        if m is not None:
            head = s.text[: m.start()]
            lead = re.search(r"来自[^,，。]*?的(?=[\d一二三四五六七八九十两百]+余?名)", head)
            cut = lead.end() if lead else 0
            spans += _items(head[cut:], s.start + cut)
        o = _ORGANISED.search(s.text) if s is meeting else None
        if o is not None:
            spans += _items(o.group("list"), s.start + o.start("list"))
        for i, (a, b) in enumerate(spans):
            if not any(a <= f.start < b or f.start <= a < f.end for f in found):
                nxt = spans[i + 1] if i + 1 < len(spans) else None
                if nxt and _POST_ONLY.fullmatch(doc.text[a:b]) and doc.text[b : nxt[0]].strip() == "、" \
                        and any(nxt[0] <= f.start < nxt[1] for f in found):
                    continue  # "县委常委、县纪委书记、县监委主任X": the posts of the person named next
                g = _group(doc, a, b)
                if g is not None:
                    out.append(g)
    return out


_SPEAKING_GROUP = re.compile(
    r"(?:(?P<count>\d+)(?:名|个|位|家)(?P<group>[^,，。、]{1,20}?)|(?P<marks>[*＊XＸ]+(?:、[*＊XＸ]+)+)(?P<noun>[^,，。、]{1,6}?))"
    r"(?:分别|也|先后|依次)?作了?(?P<kind>交流发言|表态发言|典型发言|书面交流|发言)"
)


# A counted body that took the floor, the figure in words or digits: "三位代表作了发言",
# "6名村党组织书记现场述职", "3个村(社区)作了交流发言", "两名党组织书记作了交流发言",
# "全镇23个村(社区)党组织书记逐一登台".
_SPOKE = re.compile(
    r"(?:分别|先后|依次|逐一|现场|围绕[^,，。]{1,20})?(?:作了?(?:交流|表态|典型)?发言|发言|述职|作交流)"
    r"|(?:逐一|依次|先后|轮流)(?:登台|上台|走上[^,，。]{0,6}台)"  # "14名村党组织书记依次登台,…脱稿陈述"
    r"|(?:逐一|依次|先后|分别|轮流)(?:进行了?|作了?)?(?:汇报|述职|表态)"  # "6个村党支部书记依次汇报"
    r"|(?:围绕[^,，。]{1,20})?(?:畅所欲言|踊跃发言|各抒己见)"  # "18名乡贤代表围绕…畅所欲言"
)


def counted_speakers(doc: Document) -> list[Group]:
    """Bodies that spoke, with the figure as written (digits or words, 余 kept as approx)."""
    out: list[Group] = []
    # Not 会后…召开座谈会。5个薄弱村的党组织书记…逐一发言: another meeting's speakers.
    for s in main_sentences(doc.text):
        for verb in _SPOKE.finditer(s.text):
            clause_start = max((m.end() for m in re.finditer(r"[,，；;。：:]", s.text[: verb.start()])), default=0)
            clause = s.text[clause_start : verb.start()]
            found = [c for c in counts(clause, pairs=True) if c.unit in ("名", "位", "个", "人", "家", "村")]
            if not found:
                continue
            c = found[-1]
            items = re.split(r"、|和|及|以及", clause)
            if len(items) > 1 and all(counts(item, pairs=True) for item in items):
                # "3名驻村第一书记、2名村党组织书记分别作了交流发言": every item counted, a body each
                pos = 0
                for item in items:
                    at = clause.index(item, pos)
                    pos = at + len(item)
                    ic = counts(item, pairs=True)[-1]
                    noun = item[ic.end :].strip()
                    if noun:
                        out.append(Group(group=noun, count=ic.value, approx=ic.approx, evidence=span(
                            doc, s.start + clause_start + at + ic.start, s.start + clause_start + pos)))
                continue
            if re.search(r"(?:、|和|及|以及)$", clause[: c.start]):
                # "派出所、供电所和三个片区的负责同志分别汇报": the figure counts one item of a list,
                # the body that spoke is the whole list, uncounted
                a = s.start + clause_start + len(clause) - len(clause.lstrip())
                out.append(Group(group=clause.strip(), count=None, evidence=span(doc, a, s.start + verb.end())))
                continue
            noun = re.sub(r"(?:进行了?|作了?)[^,，。]{0,4}$", "", clause[c.end :].strip())  # 6名书记进行了现场述职
            noun = re.sub(r"(?:逐一|依次|先后|分别|轮流|现场)+$", "", noun)  # 12名书记逐一进行述职
            noun = re.sub(r"(?:围绕|结合|就|针对)[^,，。]{1,16}$", "", noun)  # 7个乡镇党委书记围绕各自工作
            if (not 1 <= len(noun) <= 30 and c.unit not in ("村",)) or noun.endswith("的"):
                continue  # "听取了11名书记的述职": whose report, not who spoke
            start = s.start + clause_start + c.start
            group = noun or c.unit
            out.append(Group(group=group, count=c.value, approx=c.approx, evidence=span(doc, start, s.start + verb.end())))
    return out


def speaker_groups(doc: Document) -> list[Group]:
    """``等11名镇村党组织书记作了发言`` -> {镇村党组织书记, 11}; ``*、*、*乡镇分别作了表态发言``."""
    out = []
    for m in _SPEAKING_GROUP.finditer(doc.text):
        if m.group("count"):
            # "7个乡镇党委书记围绕各自工作作了交流发言": the body, without what they spoke about
            group = re.sub(r"(?:(?:围绕|结合|就|针对)[^,，。]{1,16}|逐一|轮流|现场)$", "", m.group("group")) or m.group("group")
            out.append(Group(group=group, count=int(m.group("count")),
                             evidence=span(doc, m.start("count"), m.end())))
        else:
            out.append(Group(group=m.group("marks") + m.group("noun"), count=None,
                             evidence=span(doc, m.start("marks"), m.end())))
    return out


# Units listed before a speaking verb, counted by the list: "竹溪乡、石门镇、桐坑乡作交流发言",
# "竹溪乡,松林镇,桐坪镇,县工业园区管委会分别作交流发言" (pages typed with half-width commas).
_UNIT = re.compile(
    r"[\u4e00-\u9fff()（）X*＊x]{1,14}?(?:乡|镇|村|社区|街道|局|办|委|中心|公司|管委会|党支部|党总支|党委|站|所|单位)"
)
# What the listed units sent to speak: "…的同志", "下湾村、桃园村党支部书记" (one post, every unit).
_THEIR_PEOPLE = re.compile(
    r"(?:的?(?:同志|负责同志|主要负责同志|负责人|主要负责人|代表|党组织书记|党支部书记|党总支书记|支部书记|党委书记|书记))?$"
)
_UNIT_POST = re.compile(rf"{_UNIT.pattern}{POST}")
_UNITS_SPOKE = re.compile(
    r"(?:分别|先后|依次)?作了?(?:交流|表态|典型)发言"
    r"|(?:分别|先后|依次|逐一)(?:作了?)?(?:发言|交流)"  # "县公安局、县市场监管局负责人分别发言"
    r"|(?P<report>(?:分别|先后|依次|逐一)(?:作了?)?汇报)"
)


_ITEM_MARK = re.compile(r"\s*(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．](?!\d))\s*")


def listed_units(doc: Document) -> list[Group]:
    """Two or more units named before ``作交流发言``/``作表态发言``, counted by their list."""
    out: list[Group] = []
    for s in main_sentences(doc.text):
        for verb in _UNITS_SPOKE.finditer(s.text):
            start = max((m.end() for m in re.finditer(r"[；;。：:\n]|\.(?=[\u4e00-\u9fff])", s.text[: verb.start()])),
                        default=0)
            if marker := _ITEM_MARK.match(s.text, start, verb.start()):
                start = marker.end()  # "(二)龙口镇、柳塘乡作表态发言": an agenda item's number
            head = s.text[start : verb.start()]
            people = _THEIR_PEOPLE.search(head).group(0)  # type: ignore[union-attr]
            if verb.group("report") and not people:
                continue  # units that report in turn are listed one by one ("区农林局、…渔港街道分别汇报了…")
            head = head[: len(head) - len(people)]
            # the units right before the verb, back to the first thing that is not a unit
            pieces = re.split(r"([、,，]|和|及)", head)
            run: list[str] = []
            for item in reversed(pieces[::2]):
                # a unit, or a unit and its post ("石门镇党委书记、龙口乡乡长和县林业局局长")
                if not (_UNIT.fullmatch(item) or _UNIT_POST.fullmatch(item)) or counts(item):
                    break
                run.append(item)
            if len(run) < 2:
                continue
            listed = "".join(pieces[len(pieces) - 2 * len(run) + 1 :])
            a = s.start + start + len(head) - len(listed)
            # "县发改局、县财政局、县自然资源局等单位": 等 leaves the list open, uncounted
            n = None if "等" in listed else len(run)
            out.append(Group(group=listed, count=n, evidence=span(doc, a, s.start + verb.end())))
    return out


# The figure after the attending word: "应到村民代表41人,实到39人", "开班式预计到会约50人",
# "参会人数共86人". 应到 (expected) is not who came, so it is left out.
_PRESENT = re.compile(
    # who attended, then their figure: "到会党员45名" (before 到会 alone takes the words)
    r"(?:实到|到会|与会|参会|参训)的?(?:党员|代表|委员|学员|干部|群众|同志|村民代表|党员代表)"
    r"(?:共计|共有|一共|共|计|为|有|达)?[:：]?\s*(?=约|近|大约|[\d一二三四五六七八九十两百])"
    r"|(?:实到|实际到会|实际出席|到会|参会人数|与会人数|出席人数|到会人数)(?:人员)?(?:为|有|达|共|共计)?"
    # "参会人员共计约七十人"; a roster's total on its own: "…党组织书记。共计六十余人。"
    r"|(?:参会|与会|参训|参加|出席)人员(?:共计|合计|总计|一共|共|为|有|达)?(?=约|近|大约|[\d一二三四五六七八九十两百])"
    r"|^\s*(?:以上)?(?:共计|合计|总计|一共)"
    r"|一行(?=[\d一二三四五六七八九十两]+人)"  # a delegation: "考察团一行25人", "邵建新一行5人"
    # a total in a clause of its own after the attending verb: "…参加会议,共计60人"
    r"|(?:参加|出席|列席|参会|与会|到会|参训)(?:[^,，。；;]{0,12}[,，](?:共计|合计|总计|一共|共有|共)"
    r"|[^。；;]{0,60}?[,，](?:共计|合计|总计|一共))(?=约|近|大约|[\d一二三四五六七八九十两百])"
    # who attended, then their figure: "到会党员45名", "参加培训的学员共98名"
    r"|(?:参加|出席|列席|参与)了?[^,，。；;的]{1,10}的[^,，。；;\d的]{1,8}?(?:共计|共有|一共|共|计|为|有|达)"
    r"(?=约|近|大约|[\d一二三四五六七八九十两百])"
    # the figure right after who attended: "与会的60余名代表", "参加会议的120余名党员"
    r"|(?:与会|参会|到会|参训|出席会议|参加会议|参加培训)的(?=约|近|大约|[\d一二三四五六七八九十两百])"
    # "本次培训共有学员86名", "会议共有代表120名"
    r"|(?:培训|会议|活动|座谈会?|大会|培训班)(?:共有|共计有|共)(?:学员|代表|党员|人员|委员)"
    r"(?=约|近|大约|[\d一二三四五六七八九十两百])"
    # a minutes or notice field: "会议规模:约80人"
    r"|(?:会议|参会|培训)规模(?:[:：]|为|约为|达)?"
)


def present_counts(doc: Document) -> list[Group]:
    """Head counts written after the attending word (``实到39人``, ``到会约50人``)."""
    out: list[Group] = []
    for s in main_sentences(doc.text):
        for m in _PRESENT.finditer(s.text):
            found = counts(s.text[m.end() : m.end() + 12], pairs=True)
            if not found or found[0].start != 0 or found[0].unit not in PEOPLE_UNITS:
                continue
            c = found[0]
            a, b = s.start + m.start(), s.start + m.end() + c.end
            out.append(Group(group=doc.text[a:b], count=c.value, approx=c.approx, evidence=span(doc, a, b)))
    return out
