"""People by rule: chair, speakers and named participants.

A person is found through an office: ``[unit] role name``, e.g.
``临泉县长官镇 | 党委书记 | 李强``, ``市领导 | 李军、王波、吕国平、邵兵``. The name
must start with a common surname, end where a verb, a particle or punctuation
begins, and not be an ordinary word to jieba (``书记亲自管`` has no name). Once
known, a bare name (``刘玉杰指出``) is recognised anywhere.

Bodies of people (``18名…书记``) live in ``rag.meeting.groups``. Left out on purpose:
names without an office nearby, too easily a place or a slogan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.evidence import span
from rag.meeting.side import side_paragraphs
from rag.rules_text import Sentence, looks_like_name, pos_tags, sentences
from rag.summary_schema import Person
from rag.types import Document
from rag.zh.names import DESCRIPTOR, MASKED_NAME, POST, SURNAMES, TITLE_POST, forms_of_address
from rag.zh.numerals import counts

_FUNCTION_TAIL = set("也就对在从等和与说为是将向把被让给要已又还都才作")
# Of those, the ones a given name may end in when a verb follows ("副县长范庆和主持会议"; "刘刚在主持
# 会议时" is 刘刚 and 在).
_NAME_CAN_END = set("和与为才")
_AFTER_NAME = (
    r"(?=[,，、。；;：:！!？?“”\"（(）)\s]|$|说|表示|介绍|认为|主持|指出|强调|要求|提到|也|对|在|从|等|作|参加"
    r"|出席|赞叹|有感而发|边听|围绕|部署|讲话|就|和|与|同志|代表|带领|带队|率|陪同|一行|参观|调研|考察|发言"
    r"|分别|先后|依次|首先|随后"
    # the acts of a meeting (ACTS below) and what leads into them
    r"|通报|宣读|传达|领学|报告|点评|解读|汇报|说明|回应|致辞|总结|授课|宣讲|辅导|动员|述职"
    r"|到会|结合|逐条|逐一|牵头|提出|为大家|上了|围绕|向大家|向与会|讲述|坦言|则"
    r"|建议|谈到|反映|解答|答疑|讲起|依据|根据|针对|对照|当场|随即|全程|分析|剖析|讲解|安排|进行|现场|详细|系统|深入|以"
    r"|及|暨|一同|一起|共同|亲临|莅临|为|颁|的(?:带领|陪同|主持|讲话|汇报|通报|报告|发言|述职|说明)|列席|应邀|受邀|关于)"
)
_ROLE_RE = re.compile(POST)
_DESCRIBED = re.compile(DESCRIPTOR)
_BOUNDARY = re.compile(_AFTER_NAME)
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_LEADERS = re.compile(
    rf"(?P<role>(?:省|市|县|区|镇|乡)(?:委、(?:省|市|县|区|镇|乡)政府|四套班子|四大班子|党政)?领导(?:同志)?)(?P<names>[\u4e00-\u9fff]{{2,3}}(?:[、,，][\u4e00-\u9fff]{{2,3}})*){_AFTER_NAME}"
)
_NAMES_THEN_LEADERS = re.compile(
    r"(?:(?<=[,，。；;：:\n])|^)(?:以及|及)?(?P<names>[\u4e00-\u9fff]{2,3}(?:[、,，][\u4e00-\u9fff]{2,3})*)"
    r"(?:等(?:省|市|县|区|镇|乡)?(?:领导|委领导|领导同志|负责同志|同志)|等(?=出席|参加|列席|应邀)"
    # "蒋长福、汪素珍等村民代表列席", "邵德清、祁秀兰、包海龙三位老党员应邀参加"
    rf"|(?:等|等?[二两三四五六七八九十\d]+(?:位|名))(?:{DESCRIPTOR}){{1,2}}(?=出席|参加|列席|应邀|受邀|到会|也|一同|[,，]))",
    re.M,
)
# Names without posts after the words that say they attended: "出席会议的县领导有:邹永福、雷秀珍",
# "参加座谈的还有王立、何芳".
_ATTENDERS_NAMED = re.compile(
    r"(?:出席|参加|列席)(?:了)?[^,，。；;：:]{0,10}?的(?:(?:省|市|县|区|镇|乡)(?:委|级)?)?(?:领导|领导同志)?(?:还|也)?有[:：]?"
    r"(?P<names>[\u4e00-\u9fff]{2,3}(?:[、,，和][\u4e00-\u9fff]{2,3})*)"
)
_NAME_COMRADE = re.compile(
    r"(?:(?<=[,，、。；;：:\s和及与的])|^)(?P<name>[\u4e00-\u9fff]{2,3}?)同志"
    r"(?=[,，、。；;和及与]|出席|参加|列席|主持|讲话|发言|领誓|介绍|讲述|简要|作|结合|围绕|就|对"
    r"|传达|通报|宣读|汇报|部署|点评|解读|领学|致辞|总结|指出|强调|要求|提出|表示|说|认为|建议|谈到|反映)",
    re.M,
)
_NAMELESS = re.compile(r"(?:省委|市委|县委|区委)主要(?:领导|负责同志)")
_ORG_LEFT = re.compile(r"[^,，、。；;：:！!？?“”\"\n]*$")
_ORG_AFTER_VERB = re.compile(r".*(?:听取了?|邀请了?|听了|会同|陪同|带领|(?:还|也|的)有[:：]?)")
_ORG_FILLER = re.compile(r"^(?:现场会上|会议上|会上|会议由|其中|以及|来自|随后|同时|此外|并|让|由|据|该|在|与|和|及)+")
_LIST_MARKER = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])\s*")
_ORG_SUFFIX = re.compile(
    r"(?:省|市|县|区|镇|乡|村|街道|社区|委|局|办|部|厅|中心|公司|集团|学校|大学|学院|日报|报社|电视台|站|所|队|组|支部|总支"
    r"|人大|政协)$"
)
SPEECH = re.compile(r"讲话|发言|指出|强调|要求|提到|部署|分析了")
REPORTING = re.compile(r"表示|说|认为|介绍|有感而发|赞叹|坦言")
# A quoted person's verb right after the name, perhaps after an adverb: "罗成章说", "X则坦言",
# "X也表示", "X当场表示".
# "…在座谈时说": where they said it may come between.
SAID = re.compile(
    rf"(?:同志)?(?:则|也|还|又|当场|随即|随后)?(?P<where>在[^,，。；;“”\"]{{1,10}}?(?:时|中|上))?(?:{REPORTING.pattern})"
)
ATTEND = re.compile(r"(?:出席|参加)(?:了)?(?:会议|座谈会|推进会|现场会|活动)")


@dataclass(frozen=True)
class Mention:
    """A person found in the text: ``[start, end)`` covers unit, role and name."""

    start: int
    end: int
    name: str | None
    role: str | None
    organisation: str | None

    def person(self, doc: Document) -> Person:
        return Person(name=self.name, role=self.role, organisation=self.organisation,
                      evidence=span(doc, self.start, self.end))


def _organisation(text: str, role_start: int, role: str) -> tuple[int, str | None]:
    """The unit written before a role, and where it starts: ``临泉县长官镇党委书记`` -> 临泉县长官镇.

    Only a run that ends like a unit (县, 镇, 村, 委, 日报 ...) counts: in
    ``会议由县委副书记张三主持`` nothing before the role is a unit.
    """
    left = _ORG_LEFT.search(text[:role_start])
    assert left is not None  # the pattern matches the empty string
    org = left.group(0)
    marker = _LIST_MARKER.match(org)  # "(一)镇林业站站长通报…": an agenda item's number
    cut = marker.end() if marker else 0
    verb = _ORG_AFTER_VERB.search(org, cut)  # "会议听取了县农业农村局局长X": the unit follows the verb
    cut = verb.end() if verb else cut
    filler = _ORG_FILLER.match(org[cut:])
    cut += filler.end() if filler else 0
    org, start = org[cut:], left.start() + cut
    if role.startswith(("镇委", "乡委")) and org:
        org += role[0]  # 横山 + 镇委书记: the unit is 横山镇
    return start, (org if 2 <= len(org) <= 20 and _ORG_SUFFIX.search(org) else None)


_ENDS_IN_POST = re.compile(rf"(?:{TITLE_POST})$")


# A body's word after a surname-like character is no given name: "县政府分管领导" (管 is a surname).
_BODY_WORD_END = re.compile(r"(?:领导|干部|代表|同志|人员|成员|群众|党员)$")


def _plausible(name: str) -> bool:
    # "党委书记和镇长": 和 is a surname, but a name does not end in a post
    return name[0] in SURNAMES and name[-1] not in _FUNCTION_TAIL and not _ENDS_IN_POST.search(name[1:]) \
        and not _BODY_WORD_END.search(name[1:]) and (looks_like_name(name) or _tagged_otherwise(name))


def _tagged_otherwise(name: str) -> bool:
    """A three-character name the dictionary tags as a place or an idiom (卓文彬/i, 高建国/ns):
    three-character words of those kinds are rarely what follows a post."""
    tags = pos_tags(name)
    return len(name) == 3 and len(tags) == 1 and tags[0][1] in ("i", "ns", "nz", "l")


# A person named by surname and post only: 许书记, 贾县长, 梁主任, 唐副镇长.
_SURNAME_POST = re.compile(
    rf"(?:(?<=[由和与及、,，。.；;：:“\"（(\s请对向是的科局部办委所站乡镇村县区市])|^)(?P<name>[\u4e00-\u9fff]{TITLE_POST})"
    rf"(?=[,，。；;：:、\s“”\"（(）)]|在|主持|讲话|指出|强调|要求|表示|说|介绍|点评|通报|部署|作|对|就|也|带|率|出席|参加|宣读|传达|汇报|谈到|反映|提出|则|围绕|结合|到会|列席|陪同|全程|须|一同"
    r"|当场|现场|随即|分别|先后|还|亲自|专门|的(?:讲话|发言|报告|部署|点评|汇报)|$)",
    re.M,
)


def _name_at(text: str, pos: int) -> str | None:
    """A 3- or 2-character name starting at ``pos`` and ending at a boundary.

    ``赵子银等`` -> 赵子银; ``叶崧也就`` -> 叶崧 (a name does not end in 也); a masked
    name keeps its mark: ``于XX主持`` -> 于XX.
    """
    masked = MASKED_NAME.match(text, pos)
    if masked and text[pos] in SURNAMES and (
        masked.end() >= len(text) or not re.match(r"[A-Za-z*＊]", text[masked.end()])
    ):
        end = masked.end()
        if not _BOUNDARY.match(text, end) and _CJK.fullmatch(text[end : end + 1]) \
                and text[end] not in _FUNCTION_TAIL and _BOUNDARY.match(text, end + 1):
            return text[pos : end + 1]  # "组织委员林*芳参加": the mask in the middle of the name
        return masked.group(0)
    for n in (3, 2):
        name = text[pos : pos + n]
        if len(name) == n and _CJK.fullmatch(name) and _BOUNDARY.match(text, pos + n) and _plausible(name):
            return name
        if n == 3 and name[-1:] in _NAME_CAN_END and _CJK.fullmatch(name) and name[0] in SURNAMES \
                and _VERB_AFTER.match(text, pos + 3) and looks_like_name(name):
            return name  # "副县长范庆和主持会议": 和 ends the name when a verb, not a name, follows
    return None


_VERB_AFTER = re.compile(r"主持|讲话|指出|强调|要求|出席|参加|作了?|表示|说|通报|宣读|部署|点评|介绍|同志")


# "龙湾村党总支、秀水村老党员毛德顺、镇卫生院党支部书记黄春燕三位代表作了发言": a list
# before a speaking verb whose items may end in a name (with a description no post names).
_FLOOR = re.compile(r"(?:分别|先后|依次)(?:作了?(?:交流|表态|典型)?)?发言|作了?(?:交流|表态|典型)?发言")
_FLOOR_TAIL = re.compile(r"(?:等?[\d一二三四五六七八九十两]+(?:名|位|个|人)[^,，。、]{0,12}|等)?(?:分别|也|先后|依次|现场)?$")
_NOT_NAME_END = set("村镇乡县区市局办委部队站所院校组会社室厅处科股司厂场行")


def _list_names(text: str, found: list[Mention]) -> list[Mention]:
    """Names ending the items of a list of speakers, where no post introduced them."""
    taken = [(f.start, f.end) for f in found]
    out: list[Mention] = []
    for verb in _FLOOR.finditer(text):
        clause_start = max((m.end() for m in re.finditer(r"[,，；;。：:\n]", text[: verb.start()])), default=0)
        clause = text[clause_start : verb.start()]
        tail = _FLOOR_TAIL.search(clause)
        if tail and re.search(r"个[^,，。、]*[村镇乡区站所局办]$", tail.group(0).rstrip("分别也先后依次现场")):
            continue  # "红石、大堡、双岭三个重点村作表态发言": the items are places
        items_end = clause_start + (tail.start() if tail else len(clause))
        pos = clause_start
        if not re.search(r"、|和|及", text[clause_start:items_end]):
            continue  # a list, not one subject
        for m in [*re.finditer(r"、|以及|和|及", text[clause_start:items_end]), None]:
            end = clause_start + m.start() if m else items_end
            if any(pos <= x < end for x, _ in taken):
                pos = clause_start + m.end() if m else items_end
                continue  # the item names its person already (副镇长徐卫东(分管农业)结合分管工作)
            for n in (3, 2):
                a = end - n
                name = text[a:end]
                if a > pos - 1 and len(name) == n and _CJK.fullmatch(name) and name[-1] not in _NOT_NAME_END \
                        and _plausible(name) and not any(x <= a < y or a <= x < end for x, y in taken):
                    out.append(Mention(a, end, name, None, None))
                    taken.append((a, end))
                    break
            pos = clause_start + m.end() if m else items_end
    return out


# A minutes field listing who was there: "出席:…", "列席人员:…", "参会人员:…", "记录:…" (the
# minutes-taker attends too).
_ROSTER_LINE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、,，]\s*)?(?:出席|列席|参加|参会|与会|记录)(?:人员|领导|对象|人)?[:：]", re.M
)
_ROSTER_ITEM_TAIL = re.compile(r"(?:等|共|共计)?\d*(?:余|多)?(?:人|名)?$")
# A notice's heading "三、参加人员" (nothing after it): the roster is the lines below it, up to
# a blank line or the next heading of the same rank.
_ROSTER_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、,，.]\s*)?(?:参加|参会|出席|列席|与会)(?:人员|对象|范围|领导)[:：]?\s*$", re.M
)
_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+[、,，.]", re.M)


def rosters(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every roster: a field line's rest, or the block under a roster heading."""
    out = []
    for line in _ROSTER_LINE.finditer(text):
        end = text.find("\n", line.end())
        out.append((line.end(), len(text) if end < 0 else end))
    for head in _ROSTER_HEADING.finditer(text):
        start = head.end() + 1
        blank = text.find("\n\n", start)
        nxt = _TOP_HEADING.search(text, start)
        end = min(x for x in (blank, nxt.start() if nxt else -1, len(text)) if x >= 0)
        if end > start:
            out.append((start, end))
    return out


_ONE_PERSON_FIELD = re.compile(r"\s*记录(?:人|员)?[:：]")
_POST_AFTER_NAME = re.compile(rf"[\u4e00-\u9fff]{{0,10}}?{POST}(?:[、,，][\u4e00-\u9fff]{{0,10}}?{POST})*\s*$")


def _roster_names(text: str, found: list[Mention]) -> list[Mention]:
    """Names on a roster line that no post introduced: ``参会人员:彭XX、向成林、田晓峰、吴所长…``,
    ``记录:镇党建办朱XX``. An item ends in its name (or a surname and post)."""
    taken = [(f.start, f.end) for f in found]
    out: list[Mention] = []
    for begin, end in rosters(text):
        pos = begin
        for sep in [*re.finditer(r"[、,，;；\n]|以及|及|和", text[begin:end]), None]:
            item_end = begin + sep.start() if sep else end
            item_start, item = pos, text[pos:item_end]
            counted = [c for c in counts(item) if c.unit in ("人", "名", "位")]
            if counted:  # "王五等3人", "村民代表34人(应到37人": nothing named after the head count
                item = item[: counted[0].start]
            b = pos + len(_ROSTER_ITEM_TAIL.sub("", item).rstrip("。. "))
            pos = begin + sep.end() if sep else end
            if any(item_start <= x < b or x <= item_start < y for x, y in taken):
                continue  # the item names its person with a post already
            a = item_start + len(text[item_start:b]) - len(text[item_start:b].lstrip())
            one = _ONE_PERSON_FIELD.match(text, text.rfind("\n", 0, begin) + 1) is not None
            lead = next((n for n in (3, 2) if one and _CJK.fullmatch(text[a : a + n]) and _plausible(text[a : a + n])
                         and text[a + n - 1] not in _NOT_NAME_END and _POST_AFTER_NAME.fullmatch(text, a + n, b)), None)
            if lead is not None:  # "记录:冯晓燕村党支部组织委员": the field's one person, then their post
                out.append(Mention(a, a + lead, text[a : a + lead], None, None))
                taken.append((a, a + lead))
                continue
            for a in (b - 4, b - 3, b - 2):
                cand = text[a:b] if a >= item_start else ""
                if not cand or cand[0] not in SURNAMES or text[a - 1 : a + 1] in ("分管", "主管", "协管"):
                    continue  # "市政府分管副市长": 管 is the verb, not a surname
                if MASKED_NAME.fullmatch(cand) or re.fullmatch(f"[\u4e00-\u9fff]{TITLE_POST}", cand) or (
                    len(cand) in (2, 3) and _CJK.fullmatch(cand) and cand[-1] not in _NOT_NAME_END and _plausible(cand)
                ):
                    out.append(Mention(a, b, cand, None, None))
                    taken.append((a, b))
                    break
    return out


_POST_AFTER = re.compile(
    r"(?P<name>[\u4e00-\u9fff](?:[\u4e00-\u9fff]{1,2}|X{1,3}|x{1,3}|\*{1,3}|＊{1,3}))"
    r"[（(](?P<post>[^()（）\n]{2,30})[)）]"
)


_EARLIER_POST = re.compile(rf"(?:^|(?<=[,，、；;：:。.\n]))[^,，、；;：:。\n]{{0,16}}?{POST}[,，、]$")


def _posts_before(text: str, start: int, role: str) -> str:
    """The role with the posts written before it: "区委组织部副部长,区委两新工委书记苏文斌" gives
    ``副部长,书记`` for 书记 (at most two posts back)."""
    posts = [role]
    for _ in range(2):
        m = _EARLIER_POST.search(text, max(0, start - 24), start)
        if m is None:
            break
        posts.insert(0, m.group(0).rstrip(",，、"))
        start = m.start()
    return "、".join(posts)


def _addressed(text: str, found: list[Mention]) -> list[Mention]:
    """Where a person named with a post is later called by surname and post: after
    ``镇党委副书记、镇长马晓丽``, ``马镇长`` is 马晓丽 (unless two people share the address)."""
    who: dict[str, set[str]] = {}
    for f in found:
        if f.name and f.role:
            for form in forms_of_address(f.name, _posts_before(text, f.start, f.role)):
                who.setdefault(form, set()).add(f.name)
    taken = [(f.start, f.end) for f in found]
    out: list[Mention] = []
    for form, names in sorted(who.items(), key=lambda kv: -len(kv[0])):
        if len(names) != 1 or form in names:
            continue
        (name,) = names
        for m in re.finditer(re.escape(form), text):
            if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b in taken):
                out.append(Mention(m.start(), m.end(), name, None, None))
                taken.append((m.start(), m.end()))
    return out


# Where a post names nobody: the name is wholly masked ("党委书记**作交流发言", "副组长XX传达"),
# or the post does the act itself ("(四)县委书记作总结讲话", "镇林业站站长通报…").
_WHOLLY_MASKED = re.compile(r"[ \t\u3000]?(?:X{2,3}|x{2,3}|Ｘ{2,3}|\*{2,3}|＊{2,3})(?![A-Za-z*＊Ｘ])(?:同志)?")
_PREVIOUS_ITEM = re.compile(r"([^,，、。；;：:\n]{1,12})(?:、|和|及)$")
_POST_END = re.compile(rf"(?:{POST}|常委|成员)$")
_POST_ACTS = re.compile(
    r"(?:出席(?:会议)?并|到会并)?(?:作了?|进行了?)[^,，。；;、\n]{0,8}?(?:讲话|发言|报告|辅导|点评)|(?:出席(?:会议)?并|到会并)?(?:讲话|通报|宣读|传达|部署|点评|解读|汇报|致辞|领学)"
)
_LEVEL = re.compile(r"(?:省|市|县|区|镇|乡|村|街道)")
_BODY_WORDS = re.compile(r"[\d一二三四五六七八九十两几各全诸每]|部分|有关|相关|等|的")


def _nameless(text: str, m: re.Match[str]) -> Mention | None:
    """A post that names nobody, with its unit: a wholly masked name, or the post then an act.

    The post must carry its level or unit (``县委书记``, ``镇林业站站长``): a bare ``书记``
    right before a verb is how a surname and post (``许书记强调``) ends, not a nameless post.
    """
    start, org = _organisation(text, m.start(), m.group(0))
    if org is not None and _BODY_WORDS.search(org):
        return None  # "排名后三位的乡镇党委书记", "五名驻村第一书记": a body, not one person
    prev = _PREVIOUS_ITEM.search(text, max(0, start - 16), start)
    if prev and _ORG_SUFFIX.search(prev.group(1)) and not _POST_END.search(prev.group(1)):
        return None  # "东村、西村党支部书记作表态发言": units sharing a post (``groups``), not 县委常委、部长
    masked = _WHOLLY_MASKED.match(text, m.end())
    if masked is not None:
        return Mention(start if org else m.start(), masked.end(), None, m.group(0), org)
    a = m.start()
    if org is None and a > 0 and text[a - 1] in "省市县区镇乡村":
        a -= 1  # "3.镇党委书记讲话": the level written as one character
    if org is None and not (_LEVEL.match(text, a) and (a == 0 or not _CJK.match(text[a - 1]))):
        return None
    if _POST_ACTS.match(text, m.end()) is None:
        return None
    return Mention(start if org else a, m.end(), None, text[a : m.end()] if not org else m.group(0), org)


def mentions(doc: Document) -> list[Mention]:
    """Every person mention in document order: with an office first, then bare known names."""
    text = doc.text
    found: list[Mention] = []
    for m in _ROLE_RE.finditer(text):
        name = _name_at(text, m.end())
        if name is None:
            if (nameless := _nameless(text, m)) is not None:
                found.append(nameless)
            continue
        start, org = _organisation(text, m.start(), m.group(0))
        found.append(Mention(start if org else m.start(), m.end() + len(name), name, m.group(0), org))
        # "副县长刘晓蓉、陈永福、秦德明出席": the names listed after one post share it.
        pos = m.end() + len(name)
        while pos < len(text) and text[pos] in "、,，" and (more := _name_at(text, pos + 1)):
            found.append(Mention(pos + 1, pos + 1 + len(more), more, m.group(0), org))
            pos += 1 + len(more)
    for m in _LEADERS.finditer(text):
        pos = m.start("names")
        for name in re.split("[、,，]", m.group("names")):
            if _plausible(name):
                found.append(Mention(m.start() if pos == m.start("names") else pos, pos + len(name),
                                     name, m.group("role"), None))
            pos += len(name) + 1
    for m in _NAMES_THEN_LEADERS.finditer(text):
        # "马振华、钱立新等县领导出席会议": names without posts, said to be leaders after them
        pos = m.start("names")
        for name in re.split("[、,，]", m.group("names")):
            if _plausible(name) and not any(f.start <= pos < f.end for f in found):
                found.append(Mention(pos, pos + len(name), name, None, None))
            pos += len(name) + 1
    for m in _ATTENDERS_NAMED.finditer(text):
        pos = m.start("names")
        for name in re.split("[、,，和]", m.group("names")):
            if not (_plausible(name) and _BOUNDARY.match(text, pos + len(name))) \
                    or any(f.start <= pos < f.end for f in found):
                break  # the list goes on with bodies or posts ("…的有各乡镇党委书记"), not names
            found.append(Mention(pos, pos + len(name), name, None, None))
            pos += len(name) + 1
    for m in _NAME_COMRADE.finditer(text):
        # "马振华同志、钱立新同志出席会议": a name honoured as 同志 needs no post
        name = m.group("name")
        if _plausible(name) and not any(f.start <= m.start() < f.end for f in found):
            found.append(Mention(m.start(), m.end("name"), name, None, None))
    taken = [(f.start, f.end) for f in found]
    for m in _DESCRIBED.finditer(text):
        # "在外企业家罗成章说": no post, but a description and a name
        name = _name_at(text, m.end())
        if name is not None and name[0] not in "和与及同" and not any(a <= m.end() < b for a, b in taken):
            found.append(Mention(m.start(), m.end() + len(name), name, m.group(0), None))
            pos = m.end() + len(name)  # "班子成员X、Y参加会议": the names listed after it share it
            while pos < len(text) and text[pos] == "、" and (more := _name_at(text, pos + 1)) \
                    and not any(a <= pos + 1 < b for a, b in taken):
                found.append(Mention(pos + 1, pos + 1 + len(more), more, m.group(0), None))
                pos += 1 + len(more)
    for m in _NAMELESS.finditer(text):
        found.append(Mention(m.start(), m.end(), None, m.group(0), None))
    for m in _POST_AFTER.finditer(text):
        # "主持：向成林（镇党委副书记、镇长）": the post in brackets after the name.
        name = _name_at(text, m.start())
        post = _ROLE_RE.search(m.group("post"))
        if name is not None and len(name) == m.end("name") - m.start() and post is not None:
            found.append(Mention(m.start(), m.end(), name, m.group("post"), None))
    found += _addressed(text, found)
    found += _list_names(text, found)
    found += _roster_names(text, found)
    taken = [(f.start, f.end) for f in found]
    for m in _SURNAME_POST.finditer(text):
        a, b = m.start("name"), m.end("name")
        if text[a] in SURNAMES and not any(x <= a < y for x, y in taken):
            found.append(Mention(a, b, m.group("name"), None, None))
    known = {f.name for f in found if f.name}
    taken = [(f.start, f.end) for f in found]
    for name in sorted(known, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            if not any(a <= m.start() < b for a, b in taken):
                found.append(Mention(m.start(), m.end(), name, None, None))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def _in(s: Sentence, found: list[Mention]) -> list[Mention]:
    return [f for f in found if s.start <= f.start < s.end]


def subject(s: Sentence, found: list[Mention]) -> Mention | None:
    """The person a sentence is about: the first one it names.

    Callers decide what the subject did: in ``伊江林表示,推进会上的讲话提到…``
    the subject is 伊江林, and :func:`speaks` sees that ``表示`` comes first.
    """
    inside = _in(s, found)
    return inside[0] if inside else None


def speaks(s: Sentence, who: Mention) -> bool:
    """Whether ``who`` speaks in ``s``: a speech verb after the name, before any reporting verb."""
    rest = s.text[who.end - s.start :]
    speech, report = SPEECH.search(rest), REPORTING.search(rest)
    return speech is not None and (report is None or speech.start() < report.start())


def _best(group: list[Mention]) -> Mention:
    """The fullest mention of one person (with unit and role beats a bare name)."""
    return max(group, key=lambda f: (f.role is not None, f.organisation is not None, -f.start))


# Between a listed name and the verb: separators, a post before the next name, and the
# count of the list (等11名镇村党组织书记, 三位代表).
_LIST_TAIL = re.compile(
    r"[、,，和及]*(?:等[^,，。]{0,20}|[\d一二三四五六七八九十两]+(?:名|位|个|人)[^,，。、]{0,12})?"
    r"(?:分别|也|先后|依次|现场)?(?:(?:结合|围绕|就)[^,，。、\0]{1,16}?)?(?:分别|也|先后|依次|现场)?"
)
_POST_IN_LIST = re.compile(rf"(?<=[、,，和及])[\u4e00-\u9fff]{{0,12}}?{POST}(?=[、,，和及])")


def _listed(s: Sentence, f: Mention, inside: list[Mention], verb_at: int) -> bool:
    """Whether ``f`` is one of the people listed right before ``作了发言``.

    ``李强、…许奕、…赵子银等11名镇村党组织书记作了发言``: between each name and the
    verb there are only other listed names, separators and ``等N名…``.
    """
    a, b = f.end - s.start, verb_at
    if a > b:
        return False
    between = s.text[a:b]
    for other in inside:
        if f.end <= other.start and other.end - s.start <= b:
            between = between.replace(s.text[other.start - s.start : other.end - s.start], "\0", 1)
    # What describes the next name in the list is part of its item: "吕红霞、镇党委委员、宣传委员张晓楠、
    # 镇人大主席刘长青": a post on its own (镇党委委员) or a unit the post left behind (镇人大).
    between = re.sub(r"[(（][^)）]{1,12}[)）]", "", between)  # 徐卫东(分管农业)
    between = re.sub(r"[^、,，和及\0]{0,15}\0", "、", between)
    between = _POST_IN_LIST.sub("", between)
    return _LIST_TAIL.fullmatch(between) is not None


_CHAIR_FIELD = re.compile(r"^(?:会议)?主持(?:人)?[:：]", re.M)
_CHAIRS = re.compile(r"(?:同志)?(?:在|负责)?主持(?:召开|会议|座谈会|推进会|现场会|开班式|时|并|。|,|，|$)?")
_LATER = re.compile(r"^(?:会前|会后|会议结束后|结束后|随后|当天下午|当天晚上|下午|晚上|此前|之后|开班式后|座谈会上)")


def chair(doc: Document, found: list[Mention]) -> Person | None:
    """``市委书记刘玉杰主持会议``, ``会议由X主持``, ``X在主持时要求``, a minutes field ``主持:X``.

    A chair of a side meeting (``会后,X主持召开了座谈会``) is not the meeting's chair. The chair
    is a name (or surname and post, or 县委主要领导): a post whose holder is wholly masked
    (``由镇党委书记XXX主持``) names no chair.
    """
    text = doc.text
    found = [f for f in found if f.name is not None or _NAMELESS.fullmatch(f.role or "")]
    for m in _CHAIR_FIELD.finditer(text):
        line_end = text.find("\n", m.end())
        inside = [f for f in found if m.end() <= f.start < (line_end if line_end >= 0 else len(text))]
        if inside:
            f = inside[0]
            return _chair_person(doc, found, f, m.start(), f.end)
        pos = m.end() + len(text[m.end() :]) - len(text[m.end() :].lstrip(" \t"))
        if name := _name_at(text, pos):  # "主持:向成林(镇党委副书记、镇长)": the post follows
            role = re.match(r"[(（]([^)）]{2,30})[)）]", text[pos + len(name) :])
            return Person(name=name, role=role.group(1) if role else None, act="主持",
                          evidence=span(doc, m.start(), pos + len(name)))
        line = text[pos : line_end if line_end >= 0 else len(text)]
        for n in (3, 2):  # "主持:郭立群村党支部书记": the name, then its post without brackets
            name, post = line[:n], _POST_AFTER_NAME.match(line, n)
            if post is not None and _CJK.fullmatch(name) and _plausible(name):
                return Person(name=name, role=post.group(0).strip(), act="主持",
                              evidence=span(doc, m.start(), pos + n))
    later: Person | None = None
    starts = [s.start for s in sentences(text)]
    for f in found:
        chaired = _CHAIRS.match(text[f.end : f.end + 10])
        if chaired is None or "主持" not in chaired.group(0):
            continue
        person = _chair_person(doc, found, f, f.start, f.end + chaired.end())
        opening = max((a for a in starts if a <= f.start), default=0)
        if _LATER.match(text[opening : f.start + 1]):
            later = later or person
            continue
        return person
    # "会议由X主持", "会议在X的主持下进行"
    for m in re.finditer(r"由(?P<who>[^,，。；;]{2,30}?)主持|在(?P<under>[^,，。；;]{2,30}?)的主持下", text):
        if m.group("under"):
            inside = [f for f in found if m.start("under") <= f.start < m.end("under")]
            if inside:
                return _chair_person(doc, found, inside[-1], m.start(), m.end())
            continue
        inside = [f for f in found if m.start("who") <= f.start < m.end("who")]
        if inside:
            return _chair_person(doc, found, inside[-1], m.start(), m.end())
    return None


def _chair_person(doc: Document, found: list[Mention], f: Mention, start: int, end: int) -> Person:
    best = _best([g for g in found if g.name == f.name]) if f.name else f
    return Person(name=best.name, role=best.role, organisation=best.organisation, act="主持",
                  evidence=span(doc, start, end))


# What a person does at a meeting when they take the floor (the frame's ``act``).
ACTS = re.compile(
    r"讲话|发言|指出|强调|要求|提到|部署|分析了|点评|解读|通报|宣读|汇报|传达|致辞|总结|讲党课|授课|"
    r"作报告|述职|介绍|动员|领学|辅导|宣讲|解答|答疑|说明|回应|反映|谈到|提出|建议|讲述|报告了|讲起|讲座"
    # "对典型案例进行了剖析", "现场讲解了…", "对下一步工作作出具体安排", "就…提了三点意见"
    r"|(?:专题|主题|辅导|工作|形势|宣讲)报告|讲授|表示(?:祝贺|感谢|欢迎|慰问)"  # "以《…》为题作专题报告"
    r"|领誓|上了?(?:一堂|一次|一节)?[^,，。；;]{0,24}?(?:党课|课)|剖析|讲解|作出[^,，。；;]{0,6}?安排(?!部署)|进行了?[^,，。；;]{0,4}?安排(?!部署)|提了"
)
_CLAUSE_END = re.compile(r"[,，。；;：:！!？?]")
ACT_REACH = 30  # characters between a person and the verb of their act, within one clause


_ATTEND_FIRST = re.compile(r"[^,，。；;]{0,6}?(?:出席|参加|列席)")
_DONE_ACT = re.compile(rf"(?:进行了?|作了?)(?:[^,，。；;]{{0,6}}?)(?P<act>{ACTS.pattern})")


# An act word used as a noun: "述职对象", "汇报材料", "讲话精神".
_ACT_AS_NOUN = re.compile(r"对象|材料|精神|内容|情况|人员|提纲|稿")
# What opens a clause that leads into the act of the next one: "X结合…实际,…", "X围绕…,…".
_LEAD_IN = re.compile(r"(?:同志)?(?:结合|围绕|针对|对照|根据|立足|从|以|就)")


def act_of(s: Sentence, who: Mention, inside: list[Mention]) -> str | None:
    """The act ``who`` performs in ``s``: a verb in the clause right after the mention,
    with no other person in between and no reporting verb first (``表示``, ``说`` quote
    someone rather than report a speech). ``县委常委、组织部部长严国斌到会观摩并讲话`` -> 讲话."""
    rest = s.text[who.end - s.start :]
    end = _CLAUSE_END.search(rest)
    reach = ACT_REACH
    if end is not None and rest[end.start()] in ",，" and _LEAD_IN.match(rest):
        # "高志远结合本地查处的典型案例,为大家上了一堂警示教育课": the act is in the next clause
        end, reach = _CLAUSE_END.search(rest, end.end()), 2 * ACT_REACH
    # a title in 《》 does not count against the reach: "作了题为《…》的专题辅导"
    reach += sum(len(t.group(0)) for t in re.finditer(r"《[^》\n]{1,60}》", rest[: end.start() if end else len(rest)]))
    clause = rest[: min(end.start() if end else len(rest), reach)]
    m = ACTS.search(clause)
    while m is not None and _ACT_AS_NOUN.match(clause, m.end()):
        m = ACTS.search(clause, m.end())  # "对述职对象进行测评": 述职 names whom, it is no act here
    if m is None or any(who.end <= g.start < who.end + m.start() for g in inside if g is not who):
        return None
    report = REPORTING.search(clause)
    if report is not None and report.start() < m.start():
        return None
    attend = _ATTEND_FIRST.match(clause)
    if attend is not None and attend.end() <= m.start() and "并" not in clause[attend.end() : m.start()]:
        return None  # "参加了本次述职评议": the act word names what was attended ("出席会议并讲话" speaks)
    # "对各乡镇述职情况逐一进行点评": the verb after 进行/作 is the act, an earlier one its object
    done = _DONE_ACT.search(clause, m.end())
    return done.group("act") if done is not None else m.group(0)


# A speech printed as a document: "在X会上的讲话" as its heading, the speaker's post and
# name on a line of their own below it (a date line may follow).
_SPEECH_HEADING = re.compile(
    r"^\s*(?:[—－-]{1,2}\s*)?在[^\n]{2,60}?(?:上|中)的(?P<act>(?:总结|动员|主题|表态)?讲话|致辞|发言|报告)\s*$", re.M
)
# A date line between the heading and the byline: "(2024年3月**日)".
_DATE_LINE = re.compile(r"^\s*[（(][^\n()（）]{4,24}[)）]\s*\n", re.M)
_BYLINE = re.compile(
    rf"^[ \t\u3000]*(?P<post>[^\s\d,，。:：()（）]{{0,30}}?{POST})[ \t\u3000]*"
    r"(?P<name>[\u4e00-\u9fff]{2,3}|[\u4e00-\u9fff]?(?:\*{1,3}|＊{1,3}|X{1,3}))[ \t\u3000]*(?:同志)?[ \t\u3000]*$",
    re.M,
)


def byline(doc: Document) -> Person | None:
    """The speaker of a speech printed as a document: ``在…会上的讲话`` / ``镇党委书记莫振华``."""
    text = doc.text
    heading = _SPEECH_HEADING.search(text[:400])
    if heading is None:
        return None
    after = heading.end()
    if date_line := _DATE_LINE.match(text, after + 1):
        after = date_line.end() - 1
    lines_after = text[after : after + 120]
    m = _BYLINE.search(lines_after)
    if m is None or lines_after[: m.start()].strip():
        return None  # the byline is the next line (after a date line), or nothing is
    name = m.group("name")
    if not (name[0] in SURNAMES and (MASKED_NAME.fullmatch(name) or _plausible(name))) and not re.fullmatch(
        r"[*＊X]+", name
    ):
        return None
    return Person(name=name, role=m.group("post"), act=heading.group("act"),
                  evidence=span(doc, after + m.start("post"), after + m.end("name")))


# A meeting record's turn: "向德明（村党支部书记，村委会主任）：今天开会主要是…", "王局长：…".
_TURN = re.compile(
    # perhaps numbered: "1.伍德明(村会计):…"
    r"^(?:\d{1,2}[.、．]|[(（]\d{1,2}[)）]|[一二三四五六七八九十]{1,2}、)?\s*"
    rf"(?P<who>[\u4e00-\u9fff]{{2,3}}?|[\u4e00-\u9fff]{TITLE_POST})\s*(?:[（(](?P<post>[^（()）\n]{{2,30}})[）)])?\s*[：:]\s*(?=\S.{{3}})",
    re.M,
)


def turns(doc: Document) -> list[Person]:
    """The speakers of a meeting record, one per turn: a line opening with a person's name
    (or surname and post), perhaps their post in brackets, and a colon. A field label
    (主持人：, 记录：) is no name, so the record's header fields are not turns."""
    out: list[Person] = []
    for m in _TURN.finditer(doc.text):
        who = m.group("who")
        if not (_plausible(who) or _SURNAME_POST.fullmatch(who)) or any(p.name == who for p in out):
            continue
        post = m.group("post")
        out.append(Person(name=who, role=post.replace(",", "、").replace("，", "、") if post else None,
                          organisation=None, act="发言", evidence=span(doc, m.start("who"), m.end("who"))))
    return out


_HEARD = re.compile(r"听取了?")
_HOLDS = re.compile(r"(?:召开|举行|主持召开)(?:了)?[^,，。；;]{0,30}?(?:会|座谈|仪式)")
_HEARD_ACT = re.compile(r"(?:[^,，。；;]{0,40}?)的(?P<act>汇报|通报|报告|发言|述职|说明|讲解|情况介绍|介绍)")
_EACH_ACTS = re.compile(rf"(?:分别|先后|依次)[^,，。；;]{{0,24}}?(?P<act>{ACTS.pattern})")


# Between two people who share one act: a separator and the posts of the next one
# ("县委书记杨振宇、县长马立军出席会议并讲话", "县委书记X,县委副书记、县长Y出席并讲话").
_SHARING = re.compile(rf"\s*[、,，和及与]\s*(?:[^,，。；;、\s]{{0,16}}?(?:{POST})[、,，])*\s*")


def _shared_acts(s: Sentence, inside: list[Mention]) -> dict[int, str]:
    """Acts of people listed before someone whose act follows the list: the index of each in
    ``inside`` and the act they share (the last one's, carried back through the list)."""
    shared: dict[int, str] = {}
    for i in range(len(inside) - 2, -1, -1):
        f, g = inside[i], inside[i + 1]
        if not f.name or not g.name or g.start < f.end:
            continue
        act = shared.get(i + 1) or act_of(s, g, inside)
        if act and _SHARING.fullmatch(s.text, f.end - s.start, g.start - s.start):
            shared[i] = act
    return shared


def speakers(doc: Document, found: list[Mention]) -> list[Person]:
    """Named (or office-only) people who take the floor (讲话/点评/部署/通报/宣读/汇报…),
    in order of first act; each with the act as written; the author of a printed speech first;
    in a meeting record, everyone who has a turn."""
    out: dict[str, Person] = {}
    if (author := byline(doc)) is not None:
        out[author.name or ""] = author
    for person in turns(doc):
        out.setdefault(person.name or "", person)
    all_sentences = sentences(doc.text)
    side = side_paragraphs(all_sentences)
    # A side paragraph that holds a meeting of its own (会后,…召开座谈会): its speakers spoke there.
    # One that tells of a visit (会前,与会人员观摩了…, X介绍) is part of the meeting's day.
    other = {s.para for s in all_sentences if s.para in side and _HOLDS.search(s.text)}
    for s in all_sentences:
        if s.para in other:
            continue
        inside = _in(s, found)
        lead = subject(s, found)
        listed = re.search(r"作了?(?:交流|表态|典型)?发言", s.text)
        shared = _shared_acts(s, inside)
        for i, f in enumerate(inside):
            act = act_of(s, f, inside) or shared.get(i)
            said = SAID.match(s.text[f.end - s.start :])
            if act is None and f.name and said is not None and s.para not in side:
                # "新乡贤代表罗成章说,…", "葛振军表示,…": quoted at the meeting, so they spoke there
                # (at a side event, 会后…座谈会上 X表示, they are only among those present).
                act = said.group(0).replace(said.group("where") or "", "", 1).removeprefix("同志")
            if act is None and f is lead and speaks(s, f) and s.text[f.end - s.start : f.end - s.start + 1] != "的":
                # ("在X的带领下,…": X leads the visit, the sentence's subject is someone else)
                # "县委副书记叶崧也就贯彻会议精神,强调…": the sentence's subject speaks further on,
                # unless someone else is named first ("A、镇长B参加会议,B作表态发言").
                rest = s.text[f.end - s.start :]
                verb = SPEECH.search(rest)
                assert verb is not None  # speaks() found it
                if not any(g.name != f.name and f.end <= g.start < f.end + verb.start() for g in inside):
                    done = _DONE_ACT.match(rest, verb.end())  # "…要求进行了逐条解读": 解读
                    act = done.group("act") if done is not None else verb.group(0)
            if act is None and (heard := _HEARD.search(s.text, 0, f.start - s.start)) is not None \
                    and not _CLAUSE_END.search(s.text, heard.end(), f.start - s.start):
                # "会议听取了X关于…的汇报": X reported
                report = _HEARD_ACT.match(s.text, f.end - s.start)
                if report is not None and (
                    not any(f.end <= g.start < s.start + report.end() for g in inside if g is not f)
                    or _listed(s, f, inside, report.start("act") - 1)  # "听取了X、Y的汇报"
                ):
                    act = report.group("act")
            if act is None and listed is not None and _listed(s, f, inside, listed.start()):
                act = listed.group(0).lstrip("作了")
            if act is None and (each := _EACH_ACTS.search(s.text, f.end - s.start)) is not None \
                    and _listed(s, f, inside, each.start()):
                act = each.group("act")  # "A局长X,B局长Y分别就…作了通报": X and Y both reported
            key = f.name or (f.organisation or "") + (f.role or "")
            if act and key not in out and "记者" not in (f.role or ""):
                best = _best([g for g in found if g.name == key]) if f.name else f
                out[key] = Person(name=best.name, role=best.role, organisation=best.organisation, act=act,
                                  evidence=span(doc, f.start, f.end))
    return list(out.values())


# "…出席会议", "…出席开班式", "…等出席.", "县领导X、Y出席": the attending verb after the names.
_ATTENDS = re.compile(
    r"(?:出席|参加|列席)(?:了)?(?:会议|座谈会|推进会|现场会|活动|开班式|大会|指导|$|[。.,，;；])"
    # "出席开幕式", "参加了本次述职评议", "出席了在县会议中心召开的全县经济工作会议"
    r"|(?:出席|参加|列席)(?:了)?[^,，。；;、]{0,24}?(?:会议|会|活动|式|典礼|指导|调研|观摩|考察|视察|座谈|培训|学习|评议"
    r"|测评|评比|比武|党日|开班|开幕|签约)(?=$|[。.,，;；并]|(?:并|后|时))"
    # (led on a visit, not led in the village's work: "在村支书X的带领下,村里发展起了花椒产业")
    r"|(?:到会|到场|莅临|亲临)(?:指导|督导|观摩|现场)?(?=$|[。.,，;；并])|(?:全程)?陪同(?:调研|考察|视察|观摩|参观)?(?:$|[。.,，;；])|的带领下(?=[^。]*?(?:观摩|参观|考察|察看|调研|来到|走进|实地|参加|出席))|的?陪同下"
    r"|率(?:队|团|领|[^,，。；;]{0,8}?一行)"  # present without a seat, or leading a delegation
    r"|(?:在)?主席台(?:上)?就座|就座于?主席台"
    # who hands out the awards was there: "县领导X、Y为获奖单位颁奖", "X为先进集体颁发奖牌"
    r"|(?:为[^,，。；;]{1,20}?)?(?:颁奖|颁发|授牌|授旗|揭牌|颁证)"
)


_ATTENDERS_ARE = re.compile(
    r"(?:出席|参加|列席|参与|与会)(?:了)?(?:今天|本次|这次)?(?:会议|座谈会|推进会|现场会|活动|开班式|大会|座谈)?的"
    r"[^,，。；;、]{0,8}?(?:还|也)?有[:：]?"
    # "与会领导还有:…", "在主席台就座的有…"
    r"|(?:出席|参加|列席|与会)(?:会议|活动)?(?:的)?(?:省|市|县|区|镇|乡)?领导(?:同志)?(?:还|也)?有[:：]?"
    r"|(?:在)?主席台(?:上)?就座的(?:领导)?(?:还|也)?有[:：]?"
)
_OTHER_ACT = re.compile(rf"主持|{ACTS.pattern}")


def participants(doc: Document, found: list[Mention], exclude: set[str]) -> list[Person]:
    """Named people who attended (``…参加会议``, a minutes line ``出席:…``/``列席:…``) or were
    quoted (``…表示``), minus ``exclude``."""
    out: dict[str, Person] = {}
    text = doc.text
    for begin, end in rosters(text):
        for f in found:
            if begin <= f.start < end and f.name and f.name not in exclude:
                out.setdefault(f.name, _best([g for g in found if g.name == f.name]).person(doc))
    every = sentences(doc.text)
    side = side_paragraphs(every)
    held_apart = {s.para for s in every if s.para in side and _HOLDS.search(s.text)}
    for s in every:
        # who attended another event (会后,X在…召开座谈会, Y参加) is not listed; who spoke there was present
        attends = [m.start() for m in _ATTENDS.finditer(s.text)] if s.para not in side else []
        listed_after = _ATTENDERS_ARE.search(s.text) if s.para not in side else None
        for f in _in(s, found):
            if not f.name or f.name in exclude or f.name in out or "记者" in (f.role or ""):
                continue
            # the first attending verb of the sentence, or a later one with no act of someone
            # else in between ("A出席会议并讲话,B主持会议,C出席")
            a = f.end - s.start
            before_attend = bool(attends) and (a <= attends[0] or any(
                a <= x and not _OTHER_ACT.search(s.text, a, x) for x in attends))
            # quoted at a meeting of its own (会后,…召开座谈会。王科长表示…) is not being at this one
            quoted = SAID.match(s.text[f.end - s.start :]) is not None and s.para not in held_apart
            # "出席会议的县领导有X、Y", "参加会议的还有X和Y": the names follow the attending word
            named_after = listed_after is not None and f.start - s.start >= listed_after.end()
            if before_attend or quoted or named_after:
                best = _best([g for g in found if g.name == f.name])
                out[f.name] = best.person(doc)
    return list(out.values())
