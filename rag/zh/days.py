"""How many days a written date range spans: ``9月9日至10月25日`` -> 47 (both ends counted,
as a report counts "巡察了47天"). Used by the answer engine, which gives the count of a range
asked as "多少天", and by the guard, which checks such a count against the range it cites.

Left out on purpose: ranges written in Chinese numerals and ranges without a day (9月至10月).
"""

from __future__ import annotations

import re
from datetime import date

RANGE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})年)?(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日\s*[-—~至到]\s*"
    r"(?:(?P<y2>(?:19|20)\d{2})年)?(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日"
)
_LEAP = 2024  # a year with 29 February, for a range that names no year


def range_days(text: str) -> int | None:
    """The days of the first date range in ``text``, both ends counted; None when there is
    none or its dates do not exist."""
    m = RANGE.search(text)
    if m is None:
        return None
    year = int(m.group("y") or _LEAP)
    try:
        start = date(year, int(m.group("m1")), int(m.group("d1")))
        end = date(int(m.group("y2") or year), int(m.group("m2") or m.group("m1")), int(m.group("d2")))
        if end < start and not m.group("y2"):
            end = end.replace(year=end.year + 1)  # 12月20日至1月5日: into the next year
    except ValueError:
        return None
    days = (end - start).days + 1
    return days if days > 1 else None
