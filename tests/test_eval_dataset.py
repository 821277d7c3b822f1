"""eval.dataset: loading and line-precise errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.dataset import load_dataset
from rag.errors import DatasetError

ROOT = Path(__file__).resolve().parent.parent


def q(**kw):
    base = {
        "id": "q1",
        "question": "谁主持?",
        "type": "fact",
        "answer_any": ["刘玉杰"],
        "answer_all": [],
        "evidence": "刘玉杰主持",
    }
    base.update(kw)
    return json.dumps(base, ensure_ascii=False)


def write(tmp_path, *lines: str | bytes) -> Path:
    p = tmp_path / "set.jsonl"
    p.write_bytes(b"\n".join(x if isinstance(x, bytes) else x.encode() for x in lines) + b"\n")
    return p


def test_load_valid_file_with_blank_lines_and_notes(tmp_path):
    p = write(tmp_path, q(), "", q(id="q2", type="follow_up", follow_up_of="q1", doc="000_x", _note="why"))
    qs = load_dataset(p)
    assert [x.id for x in qs] == ["q1", "q2"]
    assert qs[0].answer_any == ("刘玉杰",) and qs[0].line == 1
    assert qs[1].line == 3 and qs[1].follow_up_of == "q1" and qs[1].doc == "000_x"
    assert qs[1].extra == {"_note": "why"}


def test_refusal_types_and_evidence_parts(tmp_path):
    p = write(
        tmp_path,
        q(type="unanswerable", answer_any=[], evidence=""),
        q(id="q2", type="redacted", answer_any=[], evidence="举办*期|带动*元"),
    )
    a, b = load_dataset(p)
    assert a.should_refuse and b.should_refuse
    assert a.evidence_parts == [] and b.evidence_parts == ["举办*期", "带动*元"]


@pytest.mark.parametrize(
    ("lines", "line", "reason"),
    [
        ([q(), '{"id": "q2", "question": '], 2, r"invalid JSON"),
        ([q(), "[1, 2]"], 2, r"expected a JSON object, got list"),
        (
            [json.dumps({"id": "q1", "question": "x", "type": "fact"})],
            1,
            r"missing key\(s\): answer_any, answer_all, evidence",
        ),
        ([q(type="opinion")], 1, r"unknown type 'opinion'"),
        ([q(answer_any="刘玉杰")], 1, r"'answer_any' must be a list of strings"),
        ([q(answer_all=[""])], 1, r"'answer_all' holds an empty string"),
        ([q(answers_all=["x"])], 1, r"unknown key\(s\): answers_all"),
        ([q(id="")], 1, r"'id' must be a non-empty string"),
        ([q(evidence=["a"])], 1, r"'evidence' must be a string"),
        ([q(doc="")], 1, r"'doc' must be a non-empty string or absent"),
        ([q(), q()], 2, r"duplicate id 'q1' \(first used on line 1\)"),
        ([q(follow_up_of="q2"), q(id="q2")], 1, r"follow_up_of 'q2' does not name an earlier question"),
        (["", "  "], 0, r"no questions"),
        ([q(), b"\xff\xfe broken"], 2, r"not valid UTF-8"),
    ],
)
def test_broken_lines_name_file_and_line(tmp_path, lines, line, reason):
    p = write(tmp_path, *lines)
    with pytest.raises(DatasetError, match=reason) as err:
        load_dataset(p)
    assert err.value.line == line
    assert err.value.path == str(p)
    assert str(err.value).startswith(f"{p}, line {line}: ")


def test_missing_file_is_a_dataset_error(tmp_path):
    with pytest.raises(DatasetError, match="cannot read the file"):
        load_dataset(tmp_path / "nope.jsonl")


def test_seed_dataset_loads():
    qs = load_dataset(ROOT / "eval" / "datasets" / "seeds.jsonl")
    assert len(qs) >= 100
    assert {x.type for x in qs} >= {"fact", "unanswerable", "redacted", "follow_up"}
