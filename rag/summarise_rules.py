"""The default summary engine: the meeting frame (``rag.meeting.frame``), no model.

Kept as the name the summary layer, the CLI and older code call; the frame is the one
extraction, so a 会议纪要 and the Q&A never disagree about a meeting.
"""

from __future__ import annotations

from rag.meeting.frame import RULES_VERSION, extract, unique
from rag.summary_schema import MeetingSummary
from rag.types import Document

__all__ = ["RULES_VERSION", "summarise_rules", "unique"]


def summarise_rules(doc: Document) -> MeetingSummary:
    """A 会议纪要 of ``doc``: its meeting frame."""
    return extract(doc)
