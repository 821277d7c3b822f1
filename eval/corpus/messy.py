"""Turn a simplified-script document into the corrupted form some real web pages have.

Real pages sometimes carry traditional script with each character's pinyin in
parentheses after each character that the conversion changed: ``會(huì)議(yì)``. Writers write simplified; this script makes the
corruption, so it is the same everywhere and nobody hand-types tones.

    pip install pypinyin            # authoring only, not a project dependency
    python eval/corpus/messy.py eval/corpus/dev/c005.txt ...

Each file is rewritten in place, once: a file that already has annotations is skipped.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ANNOTATED = re.compile(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")


def corrupt(text: str) -> str:
    from opencc import OpenCC
    from pypinyin import Style, pinyin

    trad = OpenCC("s2t").convert(text)
    # Pinyin from the simplified text (pypinyin reads it better), one syllable per character.
    syllables = pinyin(text, style=Style.TONE, errors=lambda chars: [None] * len(chars), heteronym=False)
    flat = [s[0] if s else None for s in syllables]
    out, k = [], 0
    for ch_s, ch_t in zip(text, trad, strict=True):
        out.append(ch_t)
        # As on the real pages: only characters whose traditional form differs get pinyin.
        if "\u4e00" <= ch_s <= "\u9fff" and ch_t != ch_s:
            py = flat[k] if k < len(flat) else None
            if py and py != ch_s:
                out.append(f"({py})")
        k += 1
    return "".join(out)


def main(paths: list[str]) -> int:
    for p in map(Path, paths):
        text = p.read_text(encoding="utf-8")
        if len(ANNOTATED.findall(text)) > 20:
            print(f"{p}: already annotated, skipped")
            continue
        p.write_text(corrupt(text), encoding="utf-8")
        print(f"{p}: converted")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
