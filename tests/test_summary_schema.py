"""The summary schema: its evidence invariant, strictness, and the exported JSON Schema."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from rag.summary_schema import Evidence, Figure, MeetingSummary, json_schema

GOLDEN = Path(__file__).resolve().parent / "golden" / "summaries" / "schema.json"
FIELDS = [
    "title", "meeting_type", "dates", "location", "venue", "organiser", "chair", "speakers", "speaker_groups",
    "attendees", "participants", "visits", "agenda", "topics", "key_points", "requirements", "figures",
    "action_items", "redactions",
]


def test_evidence_length_must_match_its_quote():
    with pytest.raises(ValidationError, match=r"build it with rag.evidence.span"):
        Evidence(start=3, end=5, quote="刘玉杰")


@pytest.mark.parametrize(
    "bad",
    [
        {"start": -1, "end": 2, "quote": "abc"},
        {"start": 0, "end": 0, "quote": ""},
        {"start": 0, "end": 2, "quote": "ab", "page": 3},  # extra keys are refused
    ],
)
def test_evidence_rejects_malformed_spans(bad):
    with pytest.raises(ValidationError):
        Evidence(**bad)


def test_items_require_evidence():
    with pytest.raises(ValidationError, match="evidence"):
        Figure(value="18", unit="名")  # type: ignore[call-arg]


def test_summary_fields_are_the_issue_fields_in_order():
    assert list(MeetingSummary.model_fields)[3:] == [*FIELDS, "dropped"]  # dropped: an LLM run's count
    empty = MeetingSummary(doc_id="d", source="s.txt", engine="rules")
    assert all(getattr(empty, f) in (None, []) for f in FIELDS)


def test_json_schema_matches_golden():
    actual = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(actual, encoding="utf-8")
    assert actual == GOLDEN.read_text(encoding="utf-8"), "schema changed: review, then UPDATE_GOLDEN=1"


def test_json_schema_round_trips_a_summary():
    schema = json_schema()
    assert schema["$comment"].startswith("meetrag summary schema v")
    assert set(FIELDS) <= set(schema["properties"])
    assert "Evidence" in schema["$defs"]
