"""Find the JSON object in a chat model's reply.

Servers that honour ``response_format={"type": "json_object"}`` send bare
JSON, but many ignore the option and wrap the object in a ```json fence,
prose or a ``<think>`` block. Rather than demand a strict reply (and fail on
half the local models), :func:`parse_json_object` takes the first object it
can decode and says precisely what was wrong when there is none, so the
caller's error can tell the user what the model sent.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rag.answer_llm import drop_thinking

_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\n?(.*?)```", re.S)
_OPENER = re.compile(r"[{\[]")


def parse_json_object(reply: str) -> dict[str, Any]:
    """The first JSON object in a reply: inside a ```json fence if there is one, else
    anywhere in the text (prose before or after is ignored, ``<think>`` blocks too).

    Raises ``ValueError`` saying what was wrong.
    """
    text = "".join(drop_thinking(iter([reply])))
    decoder = json.JSONDecoder()
    found_other: str | None = None
    for candidate in [m.group(1) for m in _FENCE.finditer(text)] + [text]:
        at = _OPENER.search(candidate)
        while at is not None:
            try:
                value, end = decoder.raw_decode(candidate, at.start())
            except json.JSONDecodeError:
                at = _OPENER.search(candidate, at.start() + 1)
                continue
            if isinstance(value, dict):
                return value
            found_other = found_other or type(value).__name__
            at = _OPENER.search(candidate, end)  # an object inside a list is not the answer
    if found_other:
        raise ValueError(f"it holds a JSON {found_other}, not an object")
    if "{" in text:
        raise ValueError("its JSON object is malformed or cut off")
    raise ValueError("there is no JSON object in it")
