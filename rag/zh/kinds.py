"""Kinds of listed things a question may count, and how a list's item shows its kind.

"通知了几个乡镇来参会" counts 乡镇; a notice lists them as 韩村镇、柳湖镇、杏林乡 …; "参会名单
列了多少个单位" counts 单位, listed as 区委办、区财政局、区公安分局 …. A kind is recognised
in an item by how the item's name ends (its generic suffix), so a list of any places or
bodies is counted without knowing their names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.zh.numbering import LINE_MARKER

_TOWN = "镇|乡|街道|街道办事处|苏木"
_VILLAGE = "村|社区|居委会|村委会|嘎查"
# How the names of offices, bureaus and other bodies end (县委办, 县财政局, 人民银行长汀支行).
BODY_ENDINGS = ("办|局|部|委|院|所|中心|站|队|公司|分局|支行|分行|社|会|馆|机关|团|办公室|处|科|庭|署|监委|"
         "集团|银行|学校|党校|小学|中学|医院|法院|检察院|协会|联合会|工会|妇联|团委|电视台|报社|供销社|管委会|中队|大队")
_FIRM = "公司|企业|厂|合作社|集团|农场|基地"
_SCHOOL = "学校|小学|中学|学院|幼儿园|学堂"

# The noun a question counts -> the endings of the items that are of that kind.
ITEM_KINDS: dict[str, str] = {
    "乡镇": _TOWN, "镇": _TOWN, "乡": _TOWN, "街道": _TOWN, "乡镇街道": _TOWN, "镇街": _TOWN,
    "村": _VILLAGE, "社区": _VILLAGE, "行政村": _VILLAGE, "村社区": _VILLAGE, "村居": _VILLAGE,
    # A town or a village taking part is one of the 单位 listed (…区供电公司、渔港街道、东沙镇等单位).
    "单位": f"{BODY_ENDINGS}|{_TOWN}|{_VILLAGE}", "部门": BODY_ENDINGS, "机关": BODY_ENDINGS, "科室": BODY_ENDINGS, "县直单位": BODY_ENDINGS, "县直部门": BODY_ENDINGS,
    "企业": _FIRM, "公司": _FIRM, "合作社": _FIRM,
    "学校": _SCHOOL,
}
_NOTE = re.compile(r"[（(][\u4e00-\u9fff]{1,8}[)）]$")
# Kinds whose things are places (a town, a village), named as places are.
PLACE_KINDS = frozenset(k for k, v in ITEM_KINDS.items() if v in (_TOWN, _VILLAGE))
_NOUNS = "|".join(sorted(ITEM_KINDS, key=len, reverse=True))
_COUNTER = r"(?:几|多少)\s*[个家所]"
# "几个乡镇", "多少家企业", "几个村(社区)": the counted noun right after the counter …
_AFTER = re.compile(rf"{_COUNTER}\s*({_NOUNS})")
# … or before it: "扩大参会的单位一共有多少个", "参会单位，不算村和社区，一共有多少个？".
_BEFORE = re.compile(rf"({_NOUNS})(?:[^，,。;；?？]{{0,8}}?{_COUNTER}(?![\u4e00-\u9fff])|[^。;；?？]{{0,16}}?{_COUNTER}\s*[?？]?\s*$)")


# "哪几个乡镇作了交流发言", "哪些部门配合", "哪几家作了表态发言" (家 alone: bodies or places).
_WHICH = re.compile(rf"哪(?:几|些|[两二三四五六七八九十]|\d{{1,2}})\s*(?:[个家所]\s*)?({_NOUNS})|哪(?:几|[两二三四五六七八九十])家")


def kind_span(question: str) -> tuple[int, int] | None:
    """Where a "which" question writes the kind it asks for (乡镇 of 哪些乡镇作了发言): a list
    answers with the items' names, so the sentence need not write this word. (A count keeps
    it: 全镇13个行政村 writes the figure with the noun.)"""
    m = _WHICH.search(question)
    return (m.start(1), m.end(1)) if m and m.group(1) else None


def asked_kind(question: str) -> str | None:
    """The kind of listed thing a "which" question asks for (a key of ``ITEM_KINDS``), or None."""
    m = _WHICH.search(question)
    return (m.group(1) or "单位") if m else None


def counted_kind(question: str) -> str | None:
    """The kind of listed thing a count question asks about (a key of ``ITEM_KINDS``), or None."""
    m = _AFTER.search(question) or _BEFORE.search(question)
    return m.group(1) if m else None


def strip_note(item: str) -> str:
    """``item`` without a note in brackets after its name (镇应急管理办公室(消防站))."""
    return _NOTE.sub("", item)


def is_of_kind(item: str, kind: str) -> bool:
    """``item`` names a thing of ``kind``: 2-16 characters of Chinese ending with the kind's suffix."""
    item = strip_note(item)
    return 2 <= len(item) <= 16 and re.fullmatch(rf"[\u4e00-\u9fff（）()]+?(?:{ITEM_KINDS[kind]})", item) is not None



# What closes a list after its last item: 等 (more than written), the act (参加), the people
# of each item (党委书记, 分管负责同志), or a word that goes on with the sentence.
_CLOSER = re.compile(r"\d|[一二两三四五六七八九十]+个|等|参加|出席|列席|参会|与会|分管|主要负责|负责|党组织|党委|党支部|党总支|书记|主任|代表|相关|有关|"
                     r"各|共|的|为|在|于|要|将|已|均|都|分别|作|进行|召开")


def item_at_end(piece: str, kind: str) -> str | None:
    """The item of ``kind`` that a list's last piece starts with, before what closes the list
    ("县水利局等单位分管负责同志参加" -> 县水利局; "韩村镇党委书记" -> 韩村镇); None when no
    item of the kind opens it."""
    for m in _CLOSER.finditer(piece, 2):
        if is_of_kind(piece[: m.start()], kind):
            return piece[: m.start()]
    return piece if is_of_kind(piece, kind) else None


_NUMERAL = r"(?:\d+|[一二两三四五六七八九十百]+)"
# Words that lead into a list of things: 选择|确定|在|对|到 … (先期选择石桥村、北沟村).
_LEAD = re.compile(r"选择|选取|确定|包括|涵盖|覆盖|推荐|评选出?|评为|表彰了?|观摩了?|通知|安排|组织|前往|来到|走进|"
                   r"分别是|分别|即|如|在|对|到|赴|有|将|把|以|是|为|由|与")


@dataclass(frozen=True)
class KindList:
    """A list of things of one kind in a text: each item as (start, end) offsets into it."""

    items: tuple[tuple[int, int], ...]
    complete: bool  # False when closed by 等: more things than written
    stated: bool  # the text writes how many there are (等15个单位, 全县12个乡镇：…)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The pieces of ``text[start:end]`` between list separators, each with the separator
    that follows it ("" at the end)."""
    out, pos = [], start
    for m in re.finditer(r"[、，,]", text[start:end]):
        out.append((pos, start + m.start(), m.group()))
        pos = start + m.end()
    out.append((pos, end, ""))
    return out


def kind_lists(text: str, kind: str) -> list[KindList]:
    """Every list of two or more things of ``kind`` in ``text``, separated by 、 (or by
    commas in a run of items), its last item cut before what closes the list. A list whose
    first or next piece is joined to it by 、 but is not of the kind is left out: its
    length would be a guess."""
    suffix = ITEM_KINDS[kind]
    counted = re.compile(rf"{_NUMERAL}\s*[个家所](?:[\u4e00-\u9fff]{{0,4}}?(?:{suffix}|{kind}))")
    intro = ""  # the segment before, when it introduces this one (全县15个乡镇：)
    out: list[KindList] = []
    seg_start = 0
    for m in list(re.finditer(r"[；;：:。\n]", text)) + [None]:
        seg_end = m.start() if m else len(text)
        if marker := LINE_MARKER.match(text, seg_start, seg_end):
            seg_start = marker.end()  # (三)韩村镇、…: the numbering is no part of the first item
        pieces = _pieces(text, seg_start, seg_end)
        i = 0
        while i < len(pieces):
            a, b, sep = pieces[i]
            if not is_of_kind(text[a:b].strip(), kind):
                i += 1
                continue
            if i > 0 and pieces[i - 1][2] == "、":
                # The list began with a piece that is not of the kind: skip the whole run.
                while i < len(pieces) and pieces[i - 1][2] == "、":
                    i += 1
                continue
            items: list[tuple[int, int]] = []
            j, complete, closed, ok = i, True, seg_end, True
            while j < len(pieces):
                a, b, sep = pieces[j]
                piece = text[a:b].strip()
                lead = a + len(text[a:b]) - len(text[a:b].lstrip())
                if is_of_kind(piece, kind) and (not items or pieces[j - 1][2] in "、，,"):
                    items.extend(_split_pair(text, lead, piece, kind))
                    j += 1
                    if sep == "、" or (sep in "，," and sep and j < len(pieces) and _goes_on(text[pieces[j][0]:pieces[j][1]].strip(), kind)):
                        continue
                    closed = b
                    break
                if items and pieces[j - 1][2]:
                    last = item_at_end(piece, kind)
                    if last is None:
                        ok = False
                    else:
                        items.extend(_split_pair(text, lead, last, kind))
                        closed = lead + len(last)
                    j += 1
                break
            after = text[closed:seg_end]
            complete = not after.startswith("等")
            stated = (re.match(rf"等?\s*{_NUMERAL}\s*[个家所]", after) is not None
                      or counted.search(text, seg_start, closed) is not None or counted.search(intro) is not None)
            lengths = [e - s for s, e in items]
            if len(items) >= 3 and lengths[0] >= max(lengths[1:]) + 3:
                # A first item this long holds a lead-in (先期选择石桥村): cut after its last
                # word that leads into a list, or leave the list out (its start is a guess).
                a, b = items[0]
                cut = max((m.end() for m in _LEAD.finditer(text, a, b)), default=a)
                if cut > a and is_of_kind(text[cut:b], kind) and b - cut <= max(lengths[1:]) + 2:
                    items[0] = (cut, b)
                else:
                    ok = False
            if ok and len(items) >= 2:
                out.append(KindList(tuple(items), complete, stated))
            i = max(j, i + 1)
        intro = text[seg_start:seg_end] if m and m.group() in "：:" else ""
        seg_start = seg_end + 1
    return out


def _goes_on(piece: str, kind: str) -> bool:
    """A piece after a comma still belongs to a comma-separated list: it is of the kind, or
    its last item closed by 等 (县财政局等单位)."""
    last = item_at_end(piece, kind)
    return last is not None and (last == piece or piece.startswith("等", len(last)))


def _split_pair(text: str, at: int, item: str, kind: str) -> list[tuple[int, int]]:
    """``item`` at ``at``, or its two items when it is two joined by 和/及/与 (柳湖镇和杏林乡),
    but not one name holding 和 (县人力资源和社会保障局)."""
    for m in re.finditer(r"以及|和|及|与", item):
        left, right = item[: m.start()], item[m.end() :]
        if is_of_kind(left, kind) and is_of_kind(right, kind):
            return [(at, at + len(left)), (at + m.end(), at + len(item))]
    return [(at, at + len(item))]
