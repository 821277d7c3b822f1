"""The LLM answer engine: numbered passages in, a guarded, cited ``Answer`` out.

``answer_chain`` is the LangChain Runnable (prompt -> chat model -> text, with
``<think>`` blocks of reasoning models dropped); it accepts
``{"question": str, "passages": list[Passage], "history": [(q, a), ...]}`` and
supports ``invoke``, ``stream`` and ``batch``. ``stream_answer`` yields its raw
text deltas for a UI; ``answer_llm`` collects them, runs the faithfulness guard
(``rag.guard``) and builds citations from the sentences that survived. The
streamed text is *unguarded*: a UI shows it as a draft and then replaces it
with ``Answer.answer``.

``condense_question`` rewrites a follow-up ("他呢？") into a standalone
question for retrieval.

Left out on purpose: retrieval (the caller passes passages), choosing between
engines (the wiring module does), and any retry on a bad answer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rag.guard import DEFAULT_FLOOR, Similarity, guard_answer, strip_citations
from rag.llm import llm_errors, make_chat_model
from rag.prompts import load_prompt
from rag.render import REFUSAL
from rag.settings import Settings
from rag.types import Answer, Citation, Passage

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage
    from langchain_core.runnables import Runnable

History = Sequence[tuple[str, str]]
HISTORY_TURNS = 4  # older turns rarely matter and cost prompt tokens
HISTORY_ANSWER_CHARS = 300

# --- prompt building ----------------------------------------------------------------


def fence(text: str) -> str:
    """Neutralise fence markers inside passage text, so a document cannot close its
    own fence and pose as instructions: ``<<<`` -> ``‹‹‹``, ``>>>`` -> ``›››``."""
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


def format_context(passages: Sequence[Passage]) -> str:
    """The numbered, source-tagged context the answer prompt quotes::

        <<<资料 1>>>
        来源：<title>
        <passage text>
        <<<资料 1 结束>>>
    """
    blocks = [
        f"<<<资料 {n}>>>\n来源：{fence(p.title)}\n{fence(p.text.strip())}\n<<<资料 {n} 结束>>>"
        for n, p in enumerate(passages, 1)
    ]
    return "\n\n".join(blocks)


def _history(history: History | None) -> list[tuple[str, str]]:
    """Last few turns, answers shortened and stripped of stale [n] markers."""
    turns = list(history or [])[-HISTORY_TURNS:]
    out = []
    for q, a in turns:
        a = strip_citations(a)
        if len(a) > HISTORY_ANSWER_CHARS:
            a = a[:HISTORY_ANSWER_CHARS] + "…"
        out.append((q.strip(), a))
    return out


def _to_messages(parts: list[tuple[str, str]]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[role](content=text) for role, text in parts]


def answer_messages(inputs: Mapping[str, Any]) -> list[BaseMessage]:
    """The chat messages for one question: system rules, then history, passages, question."""
    parts = load_prompt("answer").render(
        question=str(inputs["question"]).strip(),
        context=format_context(inputs["passages"]),
        history=_history(inputs.get("history")),
        refusal=REFUSAL,
    )
    return _to_messages(parts)


# --- reasoning-model output -----------------------------------------------------


_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S)


def drop_thinking(deltas: Iterator[str]) -> Iterator[str]:
    """Drop ``<think>…</think>`` (Qwen3, DeepSeek-R1 via Ollama) from a delta stream,
    even when a tag is split across deltas. Text outside the tags passes through
    as it arrives, except a possible tag start held back until it is decided."""
    buffer, thinking = "", False
    for delta in deltas:
        buffer += delta
        while buffer:
            if thinking:
                end = buffer.find("</think>")
                if end < 0:
                    buffer = buffer[-len("</think>") :]  # keep a possible partial close tag
                    break
                buffer, thinking = buffer[end + len("</think>") :].lstrip(), False
            else:
                start = buffer.find("<think>")
                if start >= 0:
                    if start:
                        yield buffer[:start]
                    buffer, thinking = buffer[start + len("<think>") :], True
                    continue
                hold = _partial_tag(buffer, "<think>")
                if len(buffer) > hold:
                    yield buffer[: len(buffer) - hold]
                buffer = buffer[len(buffer) - hold :]
                break
    if buffer and not thinking:
        yield buffer


def _partial_tag(text: str, tag: str) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of ``tag``."""
    for k in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:k]):
            return k
    return 0


# --- the engine --------------------------------------------------------------------


def answer_chain(settings: Settings, chat_model: BaseChatModel | None = None) -> Runnable[Any, str]:
    """``{"question", "passages", "history"?}`` -> answer text (unguarded), as a Runnable."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.runnables import RunnableGenerator, RunnableLambda

    model = chat_model if chat_model is not None else make_chat_model(settings, streaming=True)
    return RunnableLambda(answer_messages) | model | StrOutputParser() | RunnableGenerator(drop_thinking)


def stream_answer(
    question: str,
    passages: Sequence[Passage],
    settings: Settings,
    chat_model: BaseChatModel | None = None,
    history: History | None = None,
) -> Iterator[str]:
    """Yield the model's text deltas as they arrive (no passages: yield REFUSAL, no call).

    Raises ``LLMError`` (unconfigured, unreachable, timeout, HTTP error) from the
    first ``next()`` on.
    """
    if not passages:
        yield REFUSAL
        return
    chain = answer_chain(settings, chat_model)
    inputs = {"question": question, "passages": list(passages), "history": list(history or [])}
    with llm_errors(settings):
        for delta in chain.stream(inputs):
            if delta:
                yield delta


def answer_llm(
    question: str,
    passages: Sequence[Passage],
    settings: Settings,
    chat_model: BaseChatModel | None = None,
    similarity: Similarity | None = None,
    *,
    history: History | None = None,
    quote_of: Callable[[Passage], str] | None = None,
    on_delta: Callable[[str], None] | None = None,
    floor: float = DEFAULT_FLOOR,
) -> Answer:
    """Ask the LLM, keep only supported sentences, cite the passages they use.

    ``quote_of(passage)`` gives the quote in the user's script (default: the
    passage's simplified text). ``on_delta`` receives each raw delta, so a UI can
    show the draft while this call still returns the guarded answer.
    """
    started = time.perf_counter()
    first: float | None = None
    deltas: list[str] = []
    for delta in stream_answer(question, passages, settings, chat_model, history):
        if first is None:
            first = time.perf_counter()
        deltas.append(delta)
        if on_delta is not None:
            on_delta(delta)
    generated = time.perf_counter()
    result = guard_answer("".join(deltas), [p.text for p in passages], similarity, floor)
    guarded = time.perf_counter()
    quote = quote_of or (lambda p: p.text)
    citations = []
    for n in result.cited:
        p = passages[n - 1]
        citations.append(Citation(n=n, doc_id=p.doc_id, title=p.title, start=p.start, end=p.end, quote=quote(p)))
    return Answer(
        question=question,
        answer=REFUSAL if result.refused else result.text,
        refused=result.refused,
        citations=citations,
        engine="llm",
        timings_ms={
            "llm_first_token": ((first or generated) - started) * 1000,
            "llm": (generated - started) * 1000,
            "guard": (guarded - generated) * 1000,
        },
        removed=[sentence for sentence, _ in result.removed],
        passages=list(passages),
    )


# --- follow-up questions -----------------------------------------------------------

_LABEL = re.compile(r"^(?:独立问题|改写后的问题|改写|问题|standalone question)\s*[:：]\s*", re.I)
_QUOTES = "\"'“”‘’「」『』"


def condense_question(
    question: str,
    history: History,
    settings: Settings,
    chat_model: BaseChatModel | None = None,
) -> str:
    """Rewrite a follow-up into a standalone question using the conversation so far.

    No history: the question comes back unchanged without a model call. An empty
    or overlong rewrite also falls back to the question as asked.
    """
    if not history:
        return question
    from langchain_core.output_parsers import StrOutputParser

    model = chat_model if chat_model is not None else make_chat_model(settings, streaming=False)
    messages = _to_messages(load_prompt("condense").render(question=question.strip(), history=_history(history)))
    with llm_errors(settings):
        text = (model | StrOutputParser()).invoke(messages)
    text = _THINK.sub("", text)
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = _LABEL.sub("", line).strip(_QUOTES + " ")
    if not line or len(line) > settings.max_question_chars:
        return question
    return line
