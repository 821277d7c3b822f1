"""Which document a question is about, when the question names its meeting.

Users name the meeting they mean ("青禾县那个述职评议会…", "3月份的防汛调度会…") and the
index holds many. Passages from several documents come back; the meeting's own document
is the one that writes (nearly) all of the question's words somewhere in its text,
weighted by how rare each word is, and clearly more of them than the next document.
When one document stands out this way, the question is answered within it, as if the
user had picked it in the app's scope menu (which answers 5-9 points more questions
right on the development corpus).

Left out on purpose: questions about two meetings ("A和B哪个…"): when two documents
score alike, nothing is scoped and the cross-meeting strategies decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.question import Intent
from rag.types import Document, Passage
from rag.zh.predicates import written_close

STANDS_OUT = 0.85  # share of the question's word weight the document must write
MARGIN = 0.2  # over the next document
_TWO_MEETINGS = re.compile(r"和|与|跟|还是|哪个|哪次|哪一个|分别|都|各自|比")


def _written(word: str, text: str) -> bool:
    return written_close(word, text, min_chars=3)  # a two-character word apart is too easily chance


def named_document(
    question: str,
    intent: Intent,
    passages: Sequence[Passage],
    get_doc: Callable[[str], Document],
    weight: Callable[[str], float],
) -> str | None:
    """The id of the one retrieved document the question names, or None."""
    if _TWO_MEETINGS.search(question) or re.search(r"[?？](?=.)", question.strip()):
        return None  # two meetings, or two questions in one ("…出席?交流发言那个区…几个?")
    words = [k for k in intent.keywords if len(k) >= 2]
    if len(words) < 2:
        return None
    total = sum(weight(w) for w in words) or 1.0
    scores = []
    for doc_id in dict.fromkeys(p.doc_id for p in passages):
        text = get_doc(doc_id).text
        scores.append((sum(weight(w) for w in words if _written(w, text)) / total, doc_id))
    scores.sort(key=lambda t: -t[0])
    if not scores or scores[0][0] < STANDS_OUT:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < MARGIN:
        return None
    return scores[0][1]
