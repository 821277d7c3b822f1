"""An optional LLM judge for faithfulness (``meetrag eval --judge llm``).

The rule-based faithfulness in ``eval.metrics`` asks ``rag.guard.support``,
which checks figures, dates and names lexically. This module asks the
configured chat model the same question per claim ("do the cited passages
support this sentence?") with ``prompts/judge.md``, and pools the verdicts the
same way: ``faithfulness_llm`` = share of claims of non-refused answers that
the judge calls supported, where the evidence of a claim is everything its
answer cites (as for ``metrics.judge_claims``' faithfulness).

A reply is read tolerantly: the first JSON object with a ``supported`` key,
else a leading 是/否/yes/no. Anything else is *unjudged*: it counts as not
supported and is reported separately (``faithfulness_llm_unjudged``), so a
model that ignores the format shows up as a number instead of as praise.

Left out on purpose: citation recall/precision by the judge (three calls per
marker would multiply the cost), retries on an unreadable reply, and any
concurrency (an evaluation runs one request at a time, like ``ask_all``).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from eval import metrics
from rag.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

UNJUDGED = "unjudged"
"""Prefix of the reason ``judge_support`` gives when it could not read a verdict."""
CACHE_SIZE = 4096
REASON_CHARS = 200

_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S)  # reasoning models (Qwen3, R1) think aloud
# 是的 -> yes, but 是否… is the start of a question, not a verdict.
_LEADING = re.compile(r"(?:(是)(?![否不])的?|(否)|(yes)(?![a-z])|(no)(?![a-z]))", re.I)
_WORDS = {"true": True, "yes": True, "是": True, "支持": True, "false": False, "no": False, "否": False, "不支持": False}

# (base URL, model, claim, evidence) -> (verdict or None when unjudged, reason). The
# endpoint and model are in the key so two servers in one process never share verdicts.
_cache: dict[tuple[str | None, str, str, str], tuple[bool | None, str]] = {}


def clear_cache() -> None:
    """Forget every cached verdict (tests; or after switching models mid-process)."""
    _cache.clear()


def parse_verdict(reply: str) -> tuple[bool | None, str]:
    """``(supported, reason)`` from a judge reply; ``supported`` is None when unreadable.

    ``'{"supported": false, "reason": "资料是70个"}'`` -> ``(False, "资料是70个")``;
    ``"是的，资料写明了。"`` -> ``(True, "资料写明了。")``; ``"不好说"`` -> ``(None, "unjudged: ...")``.
    """
    text = _THINK.sub("", reply).strip()
    decoder = json.JSONDecoder()
    for m in re.finditer(r"\{", text):
        try:
            obj, _ = decoder.raw_decode(text, m.start())
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and "supported" in obj:
            verdict = _as_bool(obj["supported"])
            if verdict is not None:
                return verdict, str(obj.get("reason") or "")[:REASON_CHARS]
            break
    head = text.lstrip(" \t\r\n*#>`\"'“「【")
    if word := _LEADING.match(head):
        rest = head[word.end() :].lstrip(" \t\r\n,，.。:：!！、*")
        return word.group(1) is not None or word.group(3) is not None, rest[:REASON_CHARS]
    return None, f"{UNJUDGED}: no verdict in the reply {reply[:80]!r}"


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _WORDS.get(value.strip().lower())
    return None


def _reply_text(content: Any) -> str:
    """A chat message's content as text (some providers return a list of parts)."""
    if isinstance(content, str):
        return content
    return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in content)


def judge_messages(sentence: str, evidence: str) -> list[tuple[str, str]]:
    """The rendered judge prompt, ``[(role, text), ...]``; passages and claim are fenced as data."""
    from rag.answer_llm import fence
    from rag.prompts import load_prompt

    return load_prompt("judge").render(evidence=fence(evidence.strip()), claim=fence(sentence.strip()))


def _judge(
    sentence: str, evidence: str, settings: Settings, chat_model: BaseChatModel | None
) -> tuple[bool | None, str]:
    if not evidence.strip():
        return False, "nothing cited"  # as metrics.CachedSupport: no model call needed
    key = (settings.llm_base_url, settings.llm_model, sentence, evidence)
    if key in _cache:
        return _cache[key]
    from rag.llm import llm_errors, make_chat_model

    model = chat_model if chat_model is not None else make_chat_model(settings, streaming=False)
    with llm_errors(settings):
        reply = model.invoke(judge_messages(sentence, evidence))
    verdict = parse_verdict(_reply_text(reply.content))
    if len(_cache) >= CACHE_SIZE:
        del _cache[next(iter(_cache))]  # oldest first
    _cache[key] = verdict
    return verdict


def judge_support(
    sentence: str, evidence: str, settings: Settings, chat_model: BaseChatModel | None = None
) -> tuple[bool, str]:
    """Ask the LLM whether ``evidence`` supports ``sentence``: ``(supported, reason)``.

    Same shape as ``rag.guard.support``. An unreadable reply gives ``False`` with
    a reason starting with ``UNJUDGED``. Raises ``LLMError`` when the server
    cannot be reached or fails.
    """
    verdict, reason = _judge(sentence, evidence, settings, chat_model)
    return bool(verdict), reason


def faithfulness_llm(
    records: Sequence[Mapping[str, Any]],
    settings: Settings,
    *,
    chat_model: BaseChatModel | None = None,
    progress: bool = False,
    desc: str = "judge",
) -> dict[str, Any]:
    """``{"faithfulness_llm": share or None, "faithfulness_llm_unjudged": count}``.

    ``records`` are answers in the shape of ``Answer.to_json()`` (as the runner
    keeps them). Refusals are skipped and claims split exactly as for the rule
    metric, so the denominator is the summary's ``claims``. Worked example:
    answers with claims judged [yes, no] and [unreadable], plus a refusal ->
    1/3, with 1 unjudged.
    """
    from tqdm import tqdm

    from rag.llm import make_chat_model

    model = chat_model if chat_model is not None else make_chat_model(settings, streaming=False)
    jobs = []
    for rec in records:
        if metrics.is_refusal(rec["answer"], rec["refused"]):
            continue
        texts = metrics.citation_texts(rec["citations"])
        everything = "\n".join(texts[n] for n in sorted(texts))  # as in metrics.judge_claims
        jobs += [(claim.text, everything) for claim in metrics.split_claims(rec["answer"])]
    supported = unjudged = 0
    for sentence, evidence in tqdm(jobs, desc=desc, file=sys.stderr, disable=not progress, unit="claim"):
        verdict, _ = _judge(sentence, evidence, settings, model)
        supported += verdict is True
        unjudged += verdict is None
    return {"faithfulness_llm": metrics.ratio(supported, len(jobs)), "faithfulness_llm_unjudged": unjudged}
