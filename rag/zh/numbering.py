"""How a line of a Chinese document is numbered: (一) 一、 (1) 1、 第一.

Lines of one numbering are siblings, so the nearest earlier line of another numbering heads
their section (四,参会人员 over (三)韩村镇、…); and a list's first item is read without the
numbering of its line.
"""

from __future__ import annotations

import re

# The numberings, in a fixed order: their index tells two lines' numberings apart.
LINE_MARKS = (r"[（(][一二三四五六七八九十]{1,3}[)）]", r"[一二三四五六七八九十]{1,3}\s*[、,，.．]",
              r"[（(]\d{1,2}[)）]", r"\d{1,2}\s*[、.．](?!\d)", r"第[一二三四五六七八九十]{1,3}[，,、]?")
# The numbering that opens a text, with the space around it.
LINE_MARKER = re.compile(r"\s*(?:" + "|".join(LINE_MARKS) + r")\s*")


def numbering(line: str) -> int | None:
    """Which numbering opens ``line`` (an index into ``LINE_MARKS``), or None."""
    return next((i for i, p in enumerate(LINE_MARKS) if re.match(p, line)), None)
