"""String matching for the evaluation: one normal form, then plain containment.

Both sides of every comparison (answers vs. expected strings, retrieved
passages vs. evidence quotes, predicted vs. gold summary fields) go through
``normalise``:

1. NFKC, which folds full-width forms (``，`` -> ``,``, ``９７`` -> ``97``);
2. pinyin annotations after a CJK character are removed (``會(huì)`` -> ``會``).
   They are a corruption of the source, not content: without this step every
   quote from the two pinyin-annotated seed documents would fail to match the
   baseline's raw chunks, and its retrieval score would measure formatting,
   not retrieval;
3. citation markers (``[n]``, ``[1,2]``, ``【n】``) are removed (``刘玉杰[1]主持`` still contains
   ``刘玉杰主持``);
4. traditional -> simplified (OpenCC ``t2s``, length-preserving);
5. all whitespace is removed (``乡村 振兴`` == ``乡村振兴``) and Latin letters
   are case-folded.

An answer is judged on its first ``ANSWER_WINDOW`` normalised characters, so a
long answer that happens to mention every candidate somewhere does not pass.

Left out on purpose: fuzzy or semantic matching. Dataset authors list the
accepted variants in ``answer_any`` instead, which keeps every verdict
reproducible by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

ANSWER_WINDOW = 200

# Citation markers as rag.guard reads them: [1], [1,2], 【1】, [资料 1].
_MARKER = re.compile(r"[\[【［]\s*(?:资料\s*)?\d{1,3}(?:\s*[,，、]\s*(?:资料\s*)?\d{1,3})*\s*[\]】］]")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """The normal form described in the module docstring."""
    from rag.cleaning import apply_rule, strip_pinyin, to_simplified

    text = unicodedata.normalize("NFKC", text)
    text = apply_rule(strip_pinyin, text)
    text = _MARKER.sub("", text)
    text = _SPACE.sub("", text)
    return to_simplified(text).casefold()


def answer_window(answer: str) -> str:
    """The part of an answer that is judged: its first 200 normalised characters."""
    return normalise(answer)[:ANSWER_WINDOW]


def contains(haystack: str, needle: str) -> bool:
    """True when ``needle`` occurs in ``haystack`` after normalisation.

    An empty needle (after normalisation) never matches: an empty expected
    string is a dataset mistake, not a wildcard.
    """
    n = normalise(needle)
    return bool(n) and n in normalise(haystack)


def contains_any(haystack: str, needles: Iterable[str]) -> bool:
    """True when any needle occurs; an empty list is no constraint (True)."""
    needles = list(needles)
    return not needles or any(contains(haystack, n) for n in needles)


def contains_all(haystack: str, needles: Iterable[str]) -> bool:
    """True when every needle occurs; an empty list is no constraint (True)."""
    return all(contains(haystack, n) for n in needles)


def evidence_parts(evidence: str) -> list[str]:
    """Split an evidence field on ``|`` into its non-empty quotes."""
    return [p.strip() for p in evidence.split("|") if normalise(p)]


def bigrams(text: str) -> set[str]:
    """Character bigrams of the normalised text (a single character is its own gram)."""
    t = normalise(text)
    if len(t) == 1:
        return {t}
    return {t[i : i + 2] for i in range(len(t) - 1)}
