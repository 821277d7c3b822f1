"""Chinese numerals and counts as written in meeting reports.

``一百二十余人`` -> 120 (approximate), ``120多人`` -> 120 (approximate), ``共计160余人``
-> 160 (approximate), ``两百`` -> 200, ``三十五`` -> 35, ``1,200`` -> 1200, ``近两百`` -> 200
(approximate). A count keeps whether it was exact: the frame reports ``160余`` as 160,
approximate, never as exactly 160.

Left out on purpose: numbers beyond 亿 and fractions (百分之三十 is read by the figure
rules, which keep the text as written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"

# A count: optional hedge before, the numeral, optional hedge after, then a measure word.
APPROX_BEFORE = "近|约|大约|将近|接近|逾|超过|达"
APPROX_AFTER = "余|多|来|左右|以上"
COUNT = re.compile(
    rf"(?P<before>{APPROX_BEFORE})?"
    rf"(?P<num>\d[\d,，]*(?:\.\d+)?|[{CN_NUMERAL}]+)"
    rf"(?P<after>{APPROX_AFTER})?"
    r"(?P<unit>名|人|位|个|家|户|村|支|所|项|条|场|次|批|期)"
)


def cn_to_int(numeral: str) -> int | None:
    """The value of a Chinese or Arabic numeral: 一百二十 -> 120, 十五 -> 15, 两千零五 -> 2005.

    None when ``numeral`` is not a number (一些, 十分).
    """
    s = numeral.replace(",", "").replace("，", "")
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if any(c not in CN_NUMERAL for c in s):
        return None
    total, section, digit = 0, 0, None
    for c in s:
        if c in DIGITS:
            digit = DIGITS[c]
            continue
        if c in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[c]  # 十五: the 十 alone means 10
        else:  # 万, 亿
            total = (total + section + (digit or 0)) * BIG_UNITS[c]
            section = 0
        digit = None
    return total + section + (digit or 0)


@dataclass(frozen=True)
class Count:
    value: int
    approx: bool
    unit: str
    start: int
    end: int


def counts(text: str, pairs: bool = False) -> list[Count]:
    """Every count of people or things in ``text``, with where it is written.

    ``一名``/``两个`` are articles more often than counts and are skipped; ``pairs`` keeps
    ``两名``/``二位`` where the caller knows a body is counted (``两名书记作了交流发言``).
    """
    out = []
    skip = ("一",) if pairs else ("一", "两", "二")
    for m in COUNT.finditer(text):
        num = m.group("num")
        value = cn_to_int(num) if not re.search(r"\.", num) else None
        if value is None or (num in skip and not m.group("after")):
            continue
        out.append(Count(value, bool(m.group("before") or m.group("after")), m.group("unit"), m.start(), m.end()))
    return out


# "第二期", "第42次", "第四十二次": one instance of a recurring event, by its number.
_ORDINAL = re.compile(rf"第\s*(\d+|[{CN_NUMERAL}]+)\s*(期|次|届|批|轮)")


def ordinals(text: str) -> set[tuple[int, str]]:
    """The numbered instances ``text`` writes, as (number, counter): 第42次 and 第四十二次 are
    both (42, "次")."""
    out = set()
    for m in _ORDINAL.finditer(text):
        if (n := cn_to_int(m.group(1))) is not None:
            out.add((n, m.group(2)))
    return out
