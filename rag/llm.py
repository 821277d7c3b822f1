"""The chat model: one OpenAI-compatible endpoint, chosen by settings.

meetrag ships no LLM (none fits in a PyPI wheel); users point it at a server
that speaks the OpenAI API: Ollama, vLLM, llama.cpp server, LM Studio, or the
DeepSeek/Qwen cloud APIs. This module builds the LangChain ``ChatOpenAI`` for
that endpoint and turns the ``openai`` client's exceptions into ``LLMError``
messages that say what to fix.

Left out on purpose: provider-specific clients, tool calling, and retries
beyond one (a local model that timed out once will time out again).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pydantic import SecretStr

from rag.errors import LLMError
from rag.settings import Settings

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

MAX_RETRIES = 1
EXAMPLE_URL = "http://127.0.0.1:11434/v1"  # Ollama's OpenAI-compatible endpoint


def _base_url(settings: Settings) -> str:
    if not settings.llm_base_url:
        raise LLMError(
            "no LLM configured: set MEETRAG_LLM_BASE_URL, e.g. "
            f"{EXAMPLE_URL} for Ollama (and MEETRAG_LLM_MODEL), or use the extractive engine"
        )
    return settings.llm_base_url.rstrip("/")


def make_chat_model(settings: Settings, streaming: bool = True) -> ChatOpenAI:
    """A ``ChatOpenAI`` for the configured endpoint; no network traffic yet.

    Connection problems surface when the model is called: wrap calls in
    ``llm_errors(settings)`` to get an ``LLMError`` that tells the fix.
    """
    url = _base_url(settings)
    from langchain_openai import ChatOpenAI  # lazy: pulls in openai and httpx

    return ChatOpenAI(
        base_url=url,
        model=settings.llm_model,
        api_key=SecretStr(settings.llm_api_key),
        timeout=settings.llm_timeout_s,
        temperature=settings.llm_temperature,
        max_retries=MAX_RETRIES,
        streaming=streaming,
        stream_usage=False,  # some local servers reject `stream_options`
    )


@contextmanager
def llm_errors(settings: Settings) -> Iterator[None]:
    """Translate ``openai`` exceptions raised inside the block into ``LLMError``.

    Works around generators too: put the ``with`` inside the generator body.
    """
    import openai  # lazy, and only imported where a model is really called

    url = settings.llm_base_url or "(unset)"
    try:
        yield
    except openai.APITimeoutError as e:
        raise LLMError(
            f"the LLM at {url} did not answer within {settings.llm_timeout_s:g} s: "
            "raise MEETRAG_LLM_TIMEOUT_S, or use a smaller or faster model"
        ) from e
    except openai.APIConnectionError as e:
        raise LLMError(f"cannot reach the LLM at {url}: {_cause(e)}; is the server running?") from e
    except openai.AuthenticationError as e:
        raise LLMError(
            f"the LLM at {url} rejected the API key (HTTP 401): set MEETRAG_LLM_API_KEY"
        ) from e
    except openai.NotFoundError as e:
        raise LLMError(
            f"the LLM at {url} answered 404 for model {settings.llm_model!r} ({_message(e)}): "
            "set MEETRAG_LLM_MODEL to a model the server has (GET /v1/models lists them; "
            "for Ollama run `ollama pull MODEL`), and check that the URL ends in /v1"
        ) from e
    except openai.APIStatusError as e:
        raise LLMError(f"the LLM at {url} returned HTTP {e.status_code}: {_message(e)}") from e
    except openai.APIError as e:  # e.g. a malformed stream
        raise LLMError(f"the LLM at {url} failed: {_message(e)}") from e


def _cause(e: BaseException) -> str:
    """The innermost reason (``Connection refused``), not the wrapper's generic text."""
    inner: BaseException = e
    while inner.__cause__ is not None:
        inner = inner.__cause__
    return str(inner) or type(inner).__name__


def _message(e: object) -> str:
    body = getattr(e, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
    return str(getattr(e, "message", e))


def list_models(settings: Settings) -> list[str]:
    """Model ids the endpoint serves (``GET /v1/models``): a cheap health check."""
    url = _base_url(settings)
    import openai

    client = openai.OpenAI(
        base_url=url, api_key=settings.llm_api_key, timeout=settings.llm_timeout_s, max_retries=0
    )
    with llm_errors(settings), client:
        return sorted(m.id for m in client.models.list())
