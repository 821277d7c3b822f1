"""Document-level metadata derived from the cleaned text: id, title, dates, script."""

from __future__ import annotations

import hashlib
import re

from rag.cleaning import Cleaned, clean
from rag.types import Document

_CN_YEAR = "(?:一九|二[〇零○Ｏ0])[〇零○Ｏ0一二三四五六七八九]{2}"
_CN_MONTH = "(?:十[一二]?|[一二三四五六七八九])"
_CN_DAY = "(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
# A date written in Chinese numerals: 二〇二三年五月十二日, 三月二十六日, 十月十二日至十三日.
CN_DATE = rf"(?:{_CN_YEAR}年)?{_CN_MONTH}月{_CN_DAY}日(?:\s*[-—~至到]\s*(?:{_CN_MONTH}月)?{_CN_DAY}日)?"
DATE = re.compile(  # a calendar date as written: 2022-09-23, 3月28日, 10月8日-9日

    r"(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)"
    r"|(?:(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日(?:\s*[-—~至到]\s*(?:\d{1,2}月)?\d{1,2}日)?)"
    rf"|(?:{CN_DATE})"
)
_MEETING_NAME = re.compile(
    r"[“”\"\w、（）()·]{2,40}?(?:座谈会|现场会|推进会|动员会|部署会|培训会|交流会|研讨会|汇报会|"
    r"工作会议|大会|会议|例会|常务会)"
)


def doc_id_for(text: str) -> str:
    """Stable id: content hash of the cleaned (simplified) text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def find_dates(text: str) -> list[str]:
    """Dates as written, in order of first appearance: ``3月28日``, ``2022-09-23``, ``10月8日-9日``."""
    seen: list[str] = []
    for m in DATE.finditer(text):
        d = re.sub(r"\s+", "", m.group(0))
        if d not in seen:
            seen.append(d)
    return seen


_CHROME_SEP = re.compile(r"\s*[|｜>›»]\s*")


def is_page_chrome(line: str) -> bool:
    """A web page's navigation bar or breadcrumb: 首页 | 政务公开 | 政务动态, 当前位置：首页 > 乡镇动态."""
    if re.match(r"(?:当前位置|您的位置|您现在的位置|所在位置)\s*[：:]", line):
        return True
    items = [i for i in _CHROME_SEP.split(line) if i]
    return len(items) >= 3 and all(len(i) <= 8 for i in items)


def find_title(display: str, text: str) -> str:
    """The first line when it reads like a heading, else the meeting named in the lead."""
    pairs = [(a.strip(), b.strip()) for a, b in zip(text.split("\n"), display.split("\n"), strict=False) if a.strip()]
    # A web page's navigation (首页 | 政务公开 | …, 当前位置：首页 > …) comes before its title.
    kept = [(a, b) for a, b in pairs if not is_page_chrome(a)] or pairs
    lines, dlines = [a for a, _ in kept], [b for _, b in kept]
    if not lines:
        return ""
    first, dfirst = lines[0], dlines[0]
    if len(first) <= 50 and not first.endswith("。"):
        return dfirst
    m = _MEETING_NAME.search(first)
    if m:
        # Strip a leading "3月28日上午," or "我县在X召开" from the match.
        name = re.sub(r"^.*?(?:召开|举行|在[^，,]{1,10}召开)", "", m.group(0)) or m.group(0)
        start = first.find(name)
        return dfirst[start : start + len(name)]
    return dfirst[:30]


def detect_script(raw: str, simplified: str) -> str:
    """'traditional' when conversion changed many characters, 'mixed' for a few."""
    changed = sum(1 for a, b in zip(raw, simplified, strict=False) if a != b)
    cjk = sum(1 for c in simplified if "\u4e00" <= c <= "\u9fff") or 1
    ratio = changed / cjk
    return "traditional" if ratio > 0.05 else "mixed" if ratio > 0.005 else "simplified"


def make_document(raw: str, source: str, cleaned: Cleaned | None = None) -> Document:
    """Clean ``raw`` and derive every metadata field of a document."""
    c = cleaned or clean(raw)
    return Document(
        doc_id=doc_id_for(c.text),
        source=source,
        title=find_title(c.display, c.text),
        dates=tuple(find_dates(c.text)),
        text=c.text,
        display=c.display,
        raw=raw,
        to_raw=c.to_raw,
        redacted=c.redacted,
        script=detect_script(c.display, c.text),
        raw_sha=hashlib.sha256(raw.encode("utf-8")).hexdigest(),
    )
