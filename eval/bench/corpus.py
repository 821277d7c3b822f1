"""Synthetic meeting documents for the benchmark: seed paragraphs recombined,
with people, dates and numbers changed, so a 100x corpus is 500 distinct
documents rather than 100 copies that ingestion would skip as duplicates.

A corpus at scale ``s`` is the seeds themselves plus ``(s - 1) * len(seeds)``
synthetic documents, so the benchmark's questions about the seeds have answers
at every scale and the extra documents act as realistic distractors. Document
``j`` depends only on ``(seed, j)``: the same bytes on every run and machine,
and the 10x corpus is a subset of the 100x one.

The raw seed text is used as is (traditional script, pinyin annotations and
all), so ingestion still has the same cleaning to do. Left out on purpose:
linguistic fidelity. A name is found only after a role word (``市委书记刘玉杰``)
and then replaced wherever it occurs; Chinese numerals (三支队伍) stay.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SEED = 20240328  # fixed: the corpus is part of the benchmark's definition

# Pinyin after a character, as the web copies in seeds/ have it: 書(shū)記.
_PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}[)）]")
_PY = f"(?:{_PINYIN.pattern})?"
_ROLES = (
    "书记 書記 主席 副县长 副縣長 县长 縣長 市长 市長 镇长 鎮長 乡长 鄉長 主任 "
    "部长 部長 局长 局長 记者 記者 委员 委員 组长 組長 专员 專員 领导 領導"
).split()
# Surnames that detect a name (both scripts) and, of them, the ones used for new
# names: these are written the same in both scripts, so a new name never looks
# out of place in a traditional paragraph.
_NEW_SURNAMES = (
    "王李周徐朱胡郭何高林宋唐曹彭田潘袁蔡余杜程魏丁任沈姚姜汪范金石廖夏方熊孟秦邱江"
    "尹薛段雷侯史陶黎毛郝武戴莫孔向常康施牛葛邢安易伍倪章岳翟殷申耿焦俞左柳甘祝包"
)
_SURNAMES = set(_NEW_SURNAMES + "刘劉谢謝郑鄭叶葉赵趙许許吕呂邵曾崔伊吴吳陈陳董白植文张張杨楊黄黃"
                "孙孫马馬罗羅梁韩韓冯馮邓鄧萧蕭蒋蔣苏蘇卢盧钟鍾谭譚陆陸贾賈韦韋邹鄒龙龍")
_GIVEN = "志明文建平海林峰英玉春秋冬雪梅松杰宇安欣晨浩然思立新中力成光永世云"
# A third character that ends a two-character name: 林濤對 -> 林濤, 葉崧也 -> 葉崧.
_AFTER_NAME = set("也对對主参參出作在等就表说說讲講和同与與为為提介带帶率到代是的了将將要从從向把被谈談赞贊认認称稱")
_PY_AT = re.compile(_PY)
_ROLE = re.compile("|".join(_PY.join(r) for r in sorted(_ROLES, key=len, reverse=True)) + _PY)
_ONE_NAME = re.compile(rf"([\u4e00-\u9fff]){_PY}([\u4e00-\u9fff]){_PY}(?:([\u4e00-\u9fff]){_PY})?")

# Dates first, so their digits are not taken for plain numbers.
_FIGURE = re.compile(
    r"(?P<ymd>(?P<y>(?:19|20)\d\d)-(?P<ym>\d{1,2})-(?P<yd>\d{1,2}))"
    r"|(?P<year>(?:19|20)\d\d)(?=年)"
    r"|(?P<month>\d{1,2})(?=月)"
    r"|(?P<day>\d{1,2})(?=日)"
    r"|(?P<num>\d+(?:\.\d+)?)"
)


def _name_at(text: str, pos: int) -> tuple[str, int] | None:
    """The name starting at ``pos`` and where it ends, if a surname starts there."""
    m = _ONE_NAME.match(text, pos)
    if m is None or m.group(1) not in _SURNAMES:
        return None
    first, second, third = m.groups()
    if third and third not in _AFTER_NAME:
        return first + second + third, m.end()
    return first + second, m.end(2)


def find_names(text: str) -> set[str]:
    """People named right after a role word, and the rest of a list they start:
    ``市领导李军、王波、吕国平参加`` -> {李军, 王波, 吕国平}."""
    names = set()
    for role in _ROLE.finditer(text):
        found = _name_at(text, role.end())
        while found is not None:
            name, end = found
            names.add(name)
            annotation = _PY_AT.match(text, end)  # a name may carry pinyin: 李強(qiáng)、
            end = annotation.end() if annotation else end
            found = _name_at(text, end + 1) if text[end : end + 1] == "、" else None
    return names


def paragraphs(text: str) -> list[str]:
    """Non-empty lines, in order (a line is a paragraph in every seed)."""
    return [line.rstrip("\r") for line in text.split("\n") if line.strip()]


@dataclass
class Rewriter:
    """One document's consistent substitutions: a name, a number, a month is
    replaced the same way everywhere in the document, so “1331” stays one term
    and 10月8日-9日 stays a two-day meeting."""

    rng: random.Random
    names: Sequence[str]

    def __post_init__(self) -> None:
        self.year_shift = self.rng.randint(-6, 2) or 1
        self.month_shift = self.rng.randint(1, 11)
        self.day_shift = self.rng.randint(1, 27)
        self.numbers: dict[str, str] = {}
        taken = set(self.names)
        self.new_names: dict[str, str] = {}
        # Longest first, so 赵子银 is replaced before a shorter name inside it.
        for old in sorted(self.names, key=lambda n: (-len(n), n)):
            new = old
            while new in taken:
                new = self.rng.choice(_NEW_SURNAMES) + "".join(
                    self.rng.choice(_GIVEN) for _ in range(len(old) - 1)
                )
            taken.add(new)
            self.new_names[old] = new
        self._name_re = (
            re.compile("|".join(_PY.join(n) + _PY for n in self.new_names)) if self.new_names else None
        )

    def _month(self, m: str) -> str:
        return str((int(m) - 1 + self.month_shift) % 12 + 1)

    def _day(self, d: str) -> str:
        return str((int(d) - 1 + self.day_shift) % 28 + 1)

    def _number(self, s: str) -> str:
        """Same number of digits before and after the point; single digits become
        2-9, since 0 and 1 read oddly as counts (1名)."""
        if s not in self.numbers:
            whole, _, frac = s.partition(".")
            lo = 10 ** (len(whole) - 1) if len(whole) > 1 else 2
            new = s
            while new == s:
                new = str(self.rng.randint(lo, 10 ** len(whole) - 1))
                if frac:
                    new += "." + "".join(str(self.rng.randint(0, 9)) for _ in frac)
            self.numbers[s] = new
        return self.numbers[s]

    def _figure(self, m: re.Match[str]) -> str:
        if m.group("ymd"):
            y = int(m.group("y")) + self.year_shift
            return f"{y}-{int(self._month(m.group('ym'))):02d}-{int(self._day(m.group('yd'))):02d}"
        if m.group("year"):
            return str(int(m.group("year")) + self.year_shift)
        if m.group("month"):
            return self._month(m.group("month"))
        if m.group("day"):
            return self._day(m.group("day"))
        return self._number(m.group("num"))

    def rewrite(self, text: str) -> str:
        """``text`` with this document's people, dates and numbers."""
        if self._name_re is not None:
            text = self._name_re.sub(lambda m: self.new_names[_PINYIN.sub("", m.group(0))], text)
        return _FIGURE.sub(self._figure, text)


def plan(paragraph_counts: Sequence[int], index: int, seed: int = SEED) -> list[tuple[int, int]]:
    """Which paragraphs synthetic document ``index`` is made of, as (seed, paragraph)
    pairs: the title (paragraph 0) of seed ``index % len(seeds)``, about 70% of that
    seed's other paragraphs, and about a third as many again borrowed from the
    other seeds, shuffled."""
    rng = random.Random(f"{seed}:{index}:plan")  # str seeds hash the same in every process
    base = index % len(paragraph_counts)
    body = [(base, p) for p in range(1, paragraph_counts[base])]
    kept = [bp for bp in body if rng.random() < 0.7] or body[:1]
    others = [(s, p) for s, n in enumerate(paragraph_counts) if s != base for p in range(1, n)]
    borrowed = rng.sample(others, min(len(others), max(1, round(len(body) * 0.3))))
    chosen = kept + borrowed
    rng.shuffle(chosen)
    return [(base, 0), *chosen]


def synthesize(seeds: Sequence[str], index: int, names: Sequence[str], seed: int = SEED) -> str:
    """Synthetic document ``index``: its :func:`plan`'s paragraphs, rewritten with
    new people, dates and numbers."""
    paras = [paragraphs(s) for s in seeds]
    rewriter = Rewriter(random.Random(f"{seed}:{index}:rewrite"), sorted(names))
    picked = plan([len(p) for p in paras], index, seed)
    return "\n".join(rewriter.rewrite(paras[s][p]) for s, p in picked) + "\n"


def build_corpus(seed_files: Sequence[Path], scale: int, out_dir: Path, seed: int = SEED) -> list[Path]:
    """Write the corpus of ``scale`` x the seeds into ``out_dir``; return its files."""
    if scale < 1:
        raise ValueError(f"scale must be at least 1, got {scale}")
    texts = [p.read_text(encoding="utf-8") for p in seed_files]
    names = sorted(set().union(*(find_names(t) for t in texts)))
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for path, text in zip(seed_files, texts, strict=True):
        dest = out_dir / path.name
        dest.write_text(text, encoding="utf-8")
        files.append(dest)
    for j in range((scale - 1) * len(texts)):
        dest = out_dir / f"synthetic_{j:05d}.txt"
        dest.write_text(synthesize(texts, j, names, seed), encoding="utf-8")
        files.append(dest)
    return files
