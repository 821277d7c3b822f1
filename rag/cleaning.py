"""Chinese web-text cleaning with an exact offset map back to the original.

Each rule is a pure function ``rule(text) -> list[Edit]`` that only *proposes*
edits; ``clean()`` applies them in order and keeps, for every character of the
result, the offset of the character it came from. That map is what lets a
citation into the cleaned text be shown as the user's own text.

The output has two strings of equal length:

* ``display``: defects removed (pinyin annotations, spaces inside words, web
  boilerplate) but the original script kept, for showing quotes;
* ``text``: ``display`` converted traditional -> simplified, for indexing,
  matching and extraction. Because the conversion is length-preserving, one
  pair of offsets addresses both strings.

Left out on purpose: fixing typos, OCR repair, and anything that would change
what a sentence says. Redaction marks (``XX``, ``*``) are kept and flagged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2018-\u201d\u2026\u2014"


class Edit(NamedTuple):
    """Replace ``[start, end)`` of the input with ``replacement``."""

    start: int
    end: int
    replacement: str = ""


Rule = Callable[[str], list[Edit]]


@dataclass(frozen=True)
class Cleaned:
    display: str
    text: str
    to_raw: tuple[int, ...]  # len(display) + 1 entries; to_raw[i] = raw offset of display[i]
    redacted: bool

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the cleaned text to the raw text."""
        if end <= start:
            return self.to_raw[start], self.to_raw[start]
        return self.to_raw[start], self.to_raw[end - 1] + 1


# --- rules -----------------------------------------------------------------

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]|\r(?=\n)")


def normalise_whitespace(text: str) -> list[Edit]:
    """Drop zero-width characters and the CR of CRLF; lone CR and NBSP become plain."""
    edits = [Edit(m.start(), m.end()) for m in _ZERO_WIDTH.finditer(text)]
    edits += [Edit(m.start(), m.end(), "\n") for m in re.finditer("\r(?!\n)", text)]
    edits += [Edit(m.start(), m.end(), " ") for m in re.finditer("\u00a0", text)]
    return sorted(edits)


_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = re.compile(rf"(?<=[{CJK}])[(（]([a-zü{_TONE}]{{1,8}})[)）]")


# A toneless syllable: optional initial, then a final (men, ge, de, le, zi).
_SYLLABLE = re.compile(r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:[aeiouüv]{1,3})(?:ng|n|r)?")
TONED_SEEN = 3  # tone-marked annotations that show a document carries the corruption


def strip_pinyin(text: str) -> list[Edit]:
    """Remove ``(huì)`` right after a CJK character; ``(街道)`` or ``(kg)`` stay.

    Lower-case Latin syllables carrying a tone mark count; so do toneless ones
    (``們(men)``, ``個(ge)``: neutral tone) once the document has shown the corruption
    with ``TONED_SEEN`` tone-marked ones. Real parenthesised content (Chinese,
    abbreviations, numbers) is never touched.
    """
    found = list(_PINYIN.finditer(text))
    toned = [m for m in found if any(c in _TONE for c in m.group(1))]
    if len(toned) < TONED_SEEN:
        return [Edit(m.start(), m.end()) for m in toned]
    return [
        Edit(m.start(), m.end())
        for m in found
        if any(c in _TONE for c in m.group(1)) or _SYLLABLE.fullmatch(m.group(1))
    ]


_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:"
    r"阅读全文|阅读原文|分享[:：]?|分享到[:：].*|微信扫一扫.*|扫一扫.*|联系客服|二维码|微信订阅号|"
    r"相关内容|相关阅读|相关新闻|热门推荐|本周热门|本月热门|猜你喜欢|"
    r"打印本页|关闭窗口|返回顶部|上一篇[:：].*|下一篇[:：].*|"
    r"责任编辑[:：].*|编辑[:：].*|核心提示[:：]?|"
    r"[(（]想阅读完全部.*[)）]|.*您需要先登[陆录].*|点击.*(?:关注|订阅).*|[•·]\s*.*热门|"
    # Page numbers of a printed or PDF document: "- 2 -", "— 3 —", "第2页 共5页".
    r"[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?"
    r")\s*$",
    re.M,
)


def drop_boilerplate_lines(text: str) -> list[Edit]:
    """Delete whole lines of web furniture: share/login/QR prompts, editor credits.

    Patterns are matched on the simplified form (same length), so 責任編輯 counts too.
    """
    edits = []
    for m in _BOILERPLATE_LINE.finditer(to_simplified(text)):
        end = m.end() + 1 if m.end() < len(text) and text[m.end()] == "\n" else m.end()
        edits.append(Edit(m.start(), end))
    return edits


_SENTENCE_END = re.compile("[。！？!?]$|[。！？][”’」』]?$")


def drop_trailing_headlines(text: str, min_run: int = 3) -> list[Edit]:
    """Delete a trailing list of unrelated headlines (web "related news").

    A headline line is 8-80 characters with no full stop anywhere in it. The
    run must be at the very end, hold at least ``min_run`` such lines, and be
    preceded by real prose, so a document that is only a list is left alone.
    Short lines (names, a byline) are part of a run only between headlines.
    """
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    i = len(lines) - 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    run_start = i + 1
    headlines = 0
    while i >= 0:
        s = lines[i].strip()
        if not s:
            i -= 1
            continue
        if "。" in s or _SENTENCE_END.search(s) or len(s) > 80 or "记者" in s:
            break  # prose, or a reporter byline, ends the run
        if len(s) >= 8:
            headlines += 1
        run_start = i
        i -= 1
    if headlines < min_run or i < 0:
        return []
    if _continues_numbering(lines[:run_start], lines[run_start:]):
        return []  # the notice's own next section (三、会议内容 after 二、会议地点), not related news
    # Keep leading short lines of the run (e.g. a reporter byline) that precede the headlines.
    while run_start < len(lines) and len(lines[run_start].strip()) < 8:
        run_start += 1
    start = offsets[run_start]
    return [Edit(max(0, start - 1), len(text))] if start > 0 else []


def _line_number(line: str) -> tuple[int, int] | None:
    """(numbering, number) of a numbered line: 三、会议内容 -> (1, 3); None if not numbered."""
    from rag.zh.numbering import LINE_MARKS, numbering
    from rag.zh.numerals import cn_to_int

    style = numbering(line)
    if style is None:
        return None
    m = re.match(LINE_MARKS[style], line)
    digits = re.search(r"\d+|[一二三四五六七八九十]+", m.group(0)) if m else None
    n = cn_to_int(digits.group(0)) if digits else None
    return (style, n) if n else None


def _continues_numbering(before: list[str], run: list[str]) -> bool:
    """A line of ``run`` goes on with the numbering of the document above it: the run is the
    document's own last sections (三、会议内容 / (一)…; after 一、会议时间, 二、会议地点), which a
    list of related news, numbered on its own from 1, never is."""
    last: dict[int, int] = {}
    for line in before:
        if (num := _line_number(line.strip())) is not None:
            last[num[0]] = num[1]
    return any((num := _line_number(line.strip())) is not None and num[1] > 1 and last.get(num[0]) == num[1] - 1
               for line in run)


# A line ends a thought when it ends in a sentence or clause mark; the next line starts a
# new one when it is indented, numbered (一、 （二） 3. 第四) or a labelled field (地点：).
# A closing quote or bracket ends a line's sentence only after a sentence mark (…。”):
# "围绕“五比五看”" at a line's end is a term the sentence goes on from.
_LINE_DONE = re.compile(r"[。！？!?；;：:…][”」』）)]?$")
_LINE_FRESH = re.compile(
    rf"^(?:[ \t\u3000]|[一二三四五六七八九十]+[、是要]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|第[一二三四五六七八九十]"
    rf"|[{CJK}]{{1,6}}\s*[：:])"
)
_WRAPPED_MIN = 15  # characters: shorter lines are titles, fields, names


def join_hard_breaks(text: str) -> list[Edit]:
    """Rejoin lines a PDF copy or a fixed-width layout broke mid-sentence.

    A document is hard-wrapped when at least three of its lines, and three in ten of its
    long lines, stop without a sentence or clause mark while the next line goes on. Only
    then is a line break removed, and only after a line about as long as the others (a
    short line ends its paragraph or is a title). Indented, numbered and labelled lines
    always start afresh, so minutes' fields and headings stay on their own lines, and the
    document's head (the lines before the first comma) is left as it is.
    """
    lines = text.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    # The head of a document (title, account, dateline) has no commas; prose starts with
    # the first line that has one, and only prose is rejoined.
    prose = next((i for i, line in enumerate(lines) if re.search("[，。；、,;]", line)), len(lines))
    long = [i for i, line in enumerate(lines) if i >= prose and len(line.strip()) >= _WRAPPED_MIN]
    wrapped = [
        i for i in long
        if i + 1 < len(lines) and lines[i + 1].strip()
        and not _LINE_DONE.search(lines[i].rstrip()) and not _LINE_FRESH.match(lines[i + 1])
    ]
    if len(wrapped) < 3 or len(wrapped) < 0.3 * len(long):
        return []
    widths = sorted(len(lines[i].strip()) for i in wrapped)
    floor = 0.75 * widths[len(widths) // 2]
    edits = []
    for i in wrapped:
        if len(lines[i].strip()) >= floor:
            end = starts[i] + len(lines[i].rstrip())
            edits.append(Edit(end, starts[i + 1]))  # trailing spaces and the break
    return edits


_CJK_SPACE = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])[ \t\u3000]+(?=[{CJK}{CJK_PUNCT}])")
_EDGE_SPACE = re.compile(r"^[ \t\u3000]+|[ \t\u3000]+$", re.M)
_BLANK_RUNS = re.compile(r"\n{3,}")


def remove_cjk_spaces(text: str) -> list[Edit]:
    """``乡村 振兴`` -> ``乡村振兴``; spaces next to Latin text or digits stay."""
    return [Edit(m.start(), m.end()) for m in _CJK_SPACE.finditer(text)]


def tidy_lines(text: str) -> list[Edit]:
    """Strip line-edge spaces, squeeze blank-line runs, trim the document ends."""
    edits = [Edit(m.start(), m.end()) for m in _EDGE_SPACE.finditer(text)]
    edits += [Edit(m.start() + 2, m.end()) for m in _BLANK_RUNS.finditer(text)]
    lead = len(text) - len(text.lstrip())
    if lead:
        edits.append(Edit(0, lead))
    trail = len(text.rstrip())
    if trail < len(text) and trail >= lead:
        edits.append(Edit(trail, len(text)))
    return _merge(edits)


RULES: tuple[Rule, ...] = (
    normalise_whitespace,
    strip_pinyin,
    drop_boilerplate_lines,
    drop_trailing_headlines,
    join_hard_breaks,
    remove_cjk_spaces,
    tidy_lines,
)

# --- applying edits --------------------------------------------------------


def _merge(edits: Sequence[Edit]) -> list[Edit]:
    """Sort deletions and merge overlaps so they can be applied in one pass."""
    out: list[Edit] = []
    for e in sorted(edits):
        if out and e.start < out[-1].end:
            last = out[-1]
            if e.replacement or last.replacement:
                continue  # a replacement overlapping another edit: keep the first
            out[-1] = Edit(last.start, max(last.end, e.end))
        else:
            out.append(e)
    return out


def apply_edits(text: str, to_raw: Sequence[int], edits: Sequence[Edit]) -> tuple[str, list[int]]:
    """Apply non-overlapping edits, carrying the raw-offset map along.

    ``to_raw`` has ``len(text) + 1`` entries. Replacement characters map to the
    raw offset of the first character they replace.
    """
    parts: list[str] = []
    new_map: list[int] = []
    pos = 0
    for e in _merge(edits):
        parts.append(text[pos : e.start])
        new_map.extend(to_raw[pos : e.start])
        if e.replacement:
            parts.append(e.replacement)
            new_map.extend([to_raw[e.start]] * len(e.replacement))
        pos = e.end
    parts.append(text[pos:])
    new_map.extend(to_raw[pos:])  # includes the end sentinel
    return "".join(parts), new_map


def apply_rule(rule: Rule, text: str) -> str:
    """Run one rule on its own (for tests and for debugging a rule)."""
    return apply_edits(text, range(len(text) + 1), rule(text))[0]


# --- script conversion ------------------------------------------------------


@lru_cache(maxsize=1)
def _opencc() -> object:
    import opencc  # lazy: loads dictionaries

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified, guaranteed to keep the length (and so offsets).

    OpenCC converts phrases, which almost always keeps the length; where a
    line's length would change we convert it character by character instead.
    Short texts (titles, questions) are memoised: a question over every meeting
    converts every title of the archive (#16).
    """
    if len(text) <= _SHORT:
        return _to_simplified_short(text)
    return _to_simplified(text)


_SHORT = 200  # characters: a title, a question; documents are converted once, at ingest


@lru_cache(maxsize=16384)
def _to_simplified_short(text: str) -> str:
    return _to_simplified(text)


def _to_simplified(text: str) -> str:
    cc = _opencc()
    out = []
    for line in text.split("\n"):
        conv = cc.convert(line)  # type: ignore[attr-defined]
        if len(conv) != len(line):
            conv = "".join(c2 if len(c2 := cc.convert(c)) == 1 else c for c in line)  # type: ignore[attr-defined]
        out.append(conv)
    return "\n".join(out)


def _invisible(ch: str) -> bool:
    r"""Characters that change a question's code points but not what it says: format
    characters (zero-width space/joiners, BOM, soft hyphen, direction marks: category
    Cf), controls other than white space (Cc), and lone surrogates (Cs, undecodable
    input). Pasted from web pages and chat apps, they split ``座\u200b谈会`` so that
    neither jieba nor the index sees the word 座谈会."""
    return unicodedata.category(ch) in ("Cf", "Cc", "Cs") and not ch.isspace()


def normalise_query(text: str, keep_lines: bool = False) -> str:
    r"""Normalise a question like the documents: invisible characters out, NFKC
    (full-width forms, compatibility characters), CJK spacing, simplified script.

    >>> normalise_query("座\u200b谈\u200b会由谁主持？")
    '座谈会由谁主持?'
    """
    text = unicodedata.normalize("NFKC", text)
    # Tabs and line breaks become a space, which remove_cjk_spaces drops between CJK; the
    # guard, which reads passages line by line through this too, keeps the line breaks.
    text = "".join(" " if ch.isspace() and not (keep_lines and ch == "\n") else ch
                   for ch in text if not _invisible(ch))
    text = apply_rule(remove_cjk_spaces, text).strip()
    return to_simplified(text)


_CLAUSE_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]*")


def _cjk_run(text: str) -> int:
    """How many Chinese characters ``text`` starts with."""
    m = _CJK_RUN.match(text)
    return len(m.group(0)) if m else 0


def normalise_question(text: str) -> str:
    """A question as typed, normalised: a space a user puts between two phrases of Chinese
    ("名单什么时候之前报 报给谁") separates them like a comma, while spaces inside a word
    ("座 谈 会", copied from a spaced PDF) are dropped as ``normalise_query`` does. The
    spaces are clause breaks only when the runs they separate are phrases (three characters
    before, two after), not the halves of a word (乡村 振兴).

    >>> normalise_question("参会名单什么时候之前报 报给谁")
    '参会名单什么时候之前报,报给谁'
    >>> normalise_question("座 谈 会由谁主持")
    '座谈会由谁主持'
    """
    text = unicodedata.normalize("NFKC", text).strip()
    runs = _CLAUSE_SPACE.split(text)
    if len(runs) > 1 and all(_cjk_run(a[::-1]) >= 3 and _cjk_run(b) >= 2 for a, b in zip(runs, runs[1:], strict=False)):
        text = ",".join(runs)
    return normalise_query(text)


# The one pattern of redaction marks (XX, xx, ××, runs of *): cleaning, the question
# reader, the candidates and the guard all use it, so they cannot disagree on "xx".
REDACTION = re.compile(r"(?<![A-Za-z])X{2,}(?![A-Za-z])|(?<![A-Za-z])x{2,}(?![a-z])|×{2,}|\*+|＊+")


def find_redactions(text: str) -> list[tuple[int, int]]:
    """Spans of redaction marks: ``XX``, ``××``, runs of ``*``."""
    return [(m.start(), m.end()) for m in REDACTION.finditer(text)]


def clean(raw: str, rules: Sequence[Rule] = RULES) -> Cleaned:
    """Run every rule in order and return both scripts with the offset map."""
    text = raw
    to_raw: list[int] = list(range(len(raw) + 1))
    for rule in rules:
        text, to_raw = apply_edits(text, to_raw, rule(text))
    simplified = to_simplified(text)
    return Cleaned(
        display=text,
        text=simplified,
        to_raw=tuple(to_raw),
        redacted=bool(find_redactions(simplified)),
    )
