"""Question-level metrics: retrieval, answer accuracy, refusals, faithfulness, citations, latency.

Every function here is pure: it takes plain values (strings, lists, dicts in
the shape of ``Answer.to_json()``) and returns numbers, so each one has a
hand-computed test. No LLM judge: sentence support comes from
``rag.guard.support`` (lexical, offline), passed in as ``support`` so tests use
a transparent fake.

Definitions (a ratio with an empty denominator is ``None``, shown as "n/a"):

* **hit@k / MRR.** The rank of a question is the 1-based position of the first
  retrieved passage that contains any ``|``-separated part of its evidence
  (after ``matching.normalise``). hit@k = share of ranks <= k; MRR = mean of
  1/rank (0 when not found). Only questions with evidence count.
* **Answer accuracy.** Answerable types: not a refusal, and the first 200
  normalised characters contain one of ``answer_any`` (if any) and all of
  ``answer_all``. ``unanswerable``/``redacted``: the answer is a refusal (the
  engine's flag, or a "not given" phrase such as 未提及/没有找到/已隐去), or it
  meets a non-empty ``answer_any``/``answer_all`` (which then lists further
  accepted ways of saying "not given").
* **Refusal precision / recall.** Positive class = "should refuse"
  (``unanswerable``/``redacted``); predicted positive = ``is_refusal``.
* **Claims.** A non-refused answer is split into sentences at 。！？!?；; and
  line breaks; a ``[n]`` marker right after the end punctuation belongs to the
  sentence before it. Sentences with fewer than 2 letters/digits/CJK
  characters (list bullets, stray punctuation) are not claims.
* **Faithfulness** (answer-level grounding) = share of claims supported by the
  union of all passages the *answer* cites, whether or not the claim carries
  its own marker. It asks "is anything here made up with respect to the
  sources shown?"
* **Citation recall** (ALCE) = share of claims supported by the passages *their
  own* markers cite, taken together; a claim without a marker scores 0. It
  asks "does each sentence point at its support?" So faithfulness >= citation
  recall whenever support is monotone, and the gap is mis-attribution.
* **Citation precision** (ALCE) = share of citation markers that are needed: a
  marker counts when its passage alone supports the claim, or when the claim
  is supported by all its markers and no longer by the others without it.
  A marker pointing at no citation never counts. Pooled over all markers.
* All three pool over claims/markers of all answers (micro averages), so
  each is "share of sentences (markers) that ...".
* **Latency p50/p95**: linear-interpolation percentiles of per-question
  wall-clock milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eval.dataset import Question
from eval.matching import answer_window, contains_all, contains_any, evidence_parts, normalise

Support = Callable[[str, str], tuple[bool, str]]

# Ways an answer says "the documents do not give this". Matched on the
# normalised (simplified) first 200 characters, so traditional forms count too.
NOT_GIVEN = (
    "没有找到",
    "未找到",
    "未提及",
    "没有提及",
    "未提到",
    "没有提到",
    "未给出",
    "没有给出",
    "未说明",
    "没有说明",
    "未公开",
    "未披露",
    "未记载",
    "没有记载",
    "无法确定",
    "无法回答",
    "不详",
    "已隐去",
    "被隐去",
    "隐去了",
    "已打码",
    "资料中没有",
    "文中没有",
)


def ratio(num: float, den: float) -> float | None:
    """num/den, or None when there is nothing to divide by."""
    return num / den if den else None


# --- answers and refusals -----------------------------------------------------


def says_not_given(answer: str) -> bool:
    """True when the judged window of the answer contains a "not given" phrase."""
    window = answer_window(answer)
    return any(p in window for p in NOT_GIVEN)


def is_refusal(answer: str, refused: bool) -> bool:
    """A refusal is the engine's flag or an explicit "not given" answer."""
    return refused or says_not_given(answer)


def is_correct(q: Question, answer: str, refused: bool) -> bool:
    """The per-question accuracy verdict (see the module docstring)."""
    window = answer_window(answer)
    meets = contains_any(window, q.answer_any) and contains_all(window, q.answer_all)
    if q.should_refuse:
        return is_refusal(answer, refused) or (bool(q.answer_any or q.answer_all) and meets)
    return not is_refusal(answer, refused) and meets


def accuracy(verdicts: Sequence[bool]) -> float | None:
    return ratio(sum(verdicts), len(verdicts))


def refusal_precision_recall(
    should_refuse: Sequence[bool], refused: Sequence[bool]
) -> tuple[float | None, float | None]:
    """(precision, recall) with "should refuse" as the positive class."""
    if len(should_refuse) != len(refused):
        raise ValueError("should_refuse and refused differ in length")
    tp = sum(g and p for g, p in zip(should_refuse, refused, strict=True))
    return ratio(tp, sum(refused)), ratio(tp, sum(should_refuse))


# --- retrieval ----------------------------------------------------------------


def evidence_rank(evidence: str, passages: Sequence[str]) -> int | None:
    """1-based rank of the first passage containing any evidence part, else None."""
    parts = [normalise(p) for p in evidence_parts(evidence)]
    if not parts:
        return None
    for rank, text in enumerate(passages, start=1):
        norm = normalise(text)
        if any(p in norm for p in parts):
            return rank
    return None


def hit_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    """Share of questions whose evidence is within the top k (None rank = miss)."""
    return ratio(sum(1 for r in ranks if r is not None and r <= k), len(ranks))


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float | None:
    return ratio(sum(1 / r for r in ranks if r is not None), len(ranks))


# --- claims, faithfulness, citations -----------------------------------------

# Citation markers as rag.guard reads them: [1], [1,2], 【1】, [资料 1].
_CITE = r"[\[【［]\s*(?:资料\s*)?(\d{1,3}(?:\s*[,，、]\s*(?:资料\s*)?\d{1,3})*)\s*[\]】］]"
_MARKER = re.compile(_CITE)
_SENTENCE = re.compile(rf"[^。！？!?；;\n]+(?:[。！？!?；;]+)?(?:[ \t]*{_CITE})*|(?:[ \t]*{_CITE})+")
_WORD_CHAR = re.compile(r"[\w\u3400-\u9fff]")


@dataclass(frozen=True)
class Claim:
    text: str  # the sentence without its markers
    cited: tuple[int, ...]  # marker numbers in order of appearance, without repeats


def split_claims(answer: str) -> list[Claim]:
    """Split an answer into claims with the citation numbers each one carries.

    ``"会议由刘玉杰主持。[1]共70个工作队[2][3]。"`` ->
    ``[Claim("会议由刘玉杰主持。", (1,)), Claim("共70个工作队。", (2, 3))]``.
    """
    claims: list[Claim] = []
    for m in _SENTENCE.finditer(answer):
        segment = m.group(0)
        cited = tuple(dict.fromkeys(int(n) for g in _MARKER.findall(segment) for n in re.findall(r"\d+", g)))
        text = _MARKER.sub("", segment).strip()
        if len(_WORD_CHAR.findall(text)) < 2:
            if cited and claims:  # a lone "[2]" on its own line belongs to the sentence above
                prev = claims[-1]
                claims[-1] = Claim(prev.text, tuple(dict.fromkeys(prev.cited + cited)))
            continue
        claims.append(Claim(text, cited))
    return claims


def citation_texts(citations: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    """Map citation number -> cited text (its quote); repeated numbers are joined."""
    out: dict[int, str] = {}
    for c in citations:
        n = int(c["n"])
        out[n] = f"{out[n]}\n{c['quote']}" if n in out else str(c["quote"])
    return out


class CachedSupport:
    """Memoise a support judge; the same (sentence, evidence) pair recurs across metrics."""

    def __init__(self, support: Support) -> None:
        self._support = support
        self._cache: dict[tuple[str, str], bool] = {}

    def __call__(self, sentence: str, evidence: str) -> bool:
        if not evidence.strip():
            return False  # nothing cited supports nothing
        key = (sentence, evidence)
        if key not in self._cache:
            self._cache[key] = bool(self._support(sentence, evidence)[0])
        return self._cache[key]


@dataclass(frozen=True)
class ClaimVerdict:
    claim: Claim
    grounded: bool  # supported by everything the answer cites (faithfulness)
    attributed: bool  # supported by its own markers together (citation recall)
    needed: tuple[bool, ...]  # per marker, in claim.cited order (citation precision)


def judge_claims(
    answer: str, citations: Sequence[Mapping[str, Any]], support: Support | CachedSupport
) -> list[ClaimVerdict]:
    """Judge every claim of one answer for faithfulness, citation recall and precision."""
    judge = support if isinstance(support, CachedSupport) else CachedSupport(support)
    texts = citation_texts(citations)
    everything = "\n".join(texts[n] for n in sorted(texts))

    def joined(ns: Iterable[int]) -> str:
        return "\n".join(texts[n] for n in ns if n in texts)

    out = []
    for claim in split_claims(answer):
        own = joined(claim.cited)
        attributed = judge(claim.text, own)
        needed = []
        for n in claim.cited:
            alone = n in texts and judge(claim.text, texts[n])
            rest = [m for m in claim.cited if m != n]
            breaks = attributed and not judge(claim.text, joined(rest))
            needed.append(alone or breaks)
        out.append(ClaimVerdict(claim, judge(claim.text, everything), attributed, tuple(needed)))
    return out


@dataclass(frozen=True)
class ClaimScores:
    faithfulness: float | None
    citation_recall: float | None
    citation_precision: float | None
    claims: int
    markers: int


def claim_scores(verdicts: Iterable[ClaimVerdict]) -> ClaimScores:
    """Pool claim verdicts (of many answers) into the three shares."""
    vs = list(verdicts)
    needed = [x for v in vs for x in v.needed]
    return ClaimScores(
        faithfulness=ratio(sum(v.grounded for v in vs), len(vs)),
        citation_recall=ratio(sum(v.attributed for v in vs), len(vs)),
        citation_precision=ratio(sum(needed), len(needed)),
        claims=len(vs),
        markers=len(needed),
    )


def default_support() -> Support:
    """The product's own support judge (lexical, offline); imported lazily."""
    from rag.guard import support

    def judge(sentence: str, evidence: str) -> tuple[bool, str]:
        ok, reason = support(sentence, evidence, similarity=None)
        return bool(ok), str(reason)

    return judge


# --- latency ------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between order statistics.

    Same as ``numpy.percentile(values, q)``: for [10, 20, 30, 40], p50 = 25 and
    p95 = 30 + 0.85 * 10 = 38.5.
    """
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
