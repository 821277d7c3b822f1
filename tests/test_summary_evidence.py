"""Evidence spans: trimming, snapping free quotes onto exact offsets, checking summaries."""

from __future__ import annotations

import pytest

from rag.evidence import check_evidence, iter_evidence, snap_evidence, span, trim
from rag.metadata import make_document
from rag.summary_schema import Evidence, MeetingSummary, Person, TextItem

TRAD = "3月28日上午,全市優秀基層黨組織書記座談會召開。市委書記劉玉杰主持會議并講話。市領導李軍、王波參加會議。"
PLAIN = "会上,副县长林涛对村级民富便利店建设工作作了具体部署。林涛要求,各乡镇要在6月底前完成。"


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("，乡镇(街道)。", 0, 8, "乡镇(街道)"),  # brackets stay whole
        ("“三农”工作,", 0, 7, "“三农”工作"),  # an opening quote with its partner inside stays
        ("说:“要抓落实”。", 2, 9, "“要抓落实”"),  # a balanced quotation stays whole
        ("落实”。", 0, 4, "落实"),  # a stray closing quote goes
        ("  千万工程  ", 0, 8, "千万工程"),
    ],
)
def test_trim_drops_edge_punctuation_but_keeps_pairs(text, start, end, expected):
    a, b = trim(text, start, end)
    assert text[a:b] == expected


def test_span_quotes_the_original_script():
    doc = make_document(TRAD, "t.txt")
    i = doc.text.index("刘玉杰")
    ev = span(doc, i, i + 3)
    assert ev.quote == "劉玉杰" == doc.display[ev.start : ev.end]


def test_span_rejects_an_empty_range():
    doc = make_document(PLAIN, "p.txt")
    with pytest.raises(ValueError, match="empty or out-of-range"):
        span(doc, 2, 3)  # only a comma: nothing left after trimming


@pytest.mark.parametrize(
    ("source", "quote", "expected"),
    [
        (PLAIN, "副县长林涛", "副县长林涛"),  # exact
        (PLAIN, "“副县长林涛”", "副县长林涛"),  # quoting marks around the quote are dropped
        (TRAD, "市委書記劉玉杰主持會議", "市委書記劉玉杰主持會議"),  # exact in the display script
        (TRAD, "市委书记刘玉杰主持会议", "市委書記劉玉杰主持會議"),  # exact in the simplified text
        (TRAD, "市委書记刘玉杰主持會议", "市委書記劉玉杰主持會議"),  # mixed scripts fold
        (PLAIN, "林涛要求，各乡镇要在６月底前完成", "林涛要求,各乡镇要在6月底前完成"),  # full width folds
        (PLAIN, "副县长 林涛", "副县长林涛"),  # spaces fold
        (PLAIN, "对村级民富便利店建设工作做了具体部署", "对村级民富便利店建设工作作了具体部署"),  # one char off
    ],
)
def test_snap_evidence_finds_the_exact_span(source, quote, expected):
    doc = make_document(source, "d.txt")
    ev = snap_evidence(doc, quote)
    assert ev is not None and ev.quote == expected
    assert doc.display[ev.start : ev.end] == ev.quote


@pytest.mark.parametrize(
    "quote",
    [
        "县委书记谢再春作了讲话",  # not in the document
        "林海",  # short and inexact: no fuzzy matching below four characters
        "   ",
        "对乡级共富超市建设工作作了全面安排",  # too many differences for the tolerance
    ],
)
def test_snap_evidence_returns_none_for_what_is_not_there(quote):
    assert snap_evidence(make_document(PLAIN, "p.txt"), quote) is None


def test_snap_evidence_prefers_the_occurrence_near_a_hint():
    doc = make_document(PLAIN, "p.txt")
    first = snap_evidence(doc, "林涛")
    second = snap_evidence(doc, "林涛", near=len(doc.text))
    assert first and second and first.start < second.start


def test_snap_evidence_tolerance_is_adjustable():
    doc = make_document(PLAIN, "p.txt")
    quote = "对村级便利店建设工作作了具体部署"
    assert snap_evidence(doc, quote, tolerance=0.0) is None
    assert snap_evidence(doc, quote, tolerance=0.2) is not None


def test_check_evidence_reports_a_quote_that_is_not_at_its_offsets():
    doc = make_document(PLAIN, "p.txt")
    good = span(doc, 6, 8)
    bad = Evidence(start=0, end=2, quote="林涛")
    s = MeetingSummary(doc_id=doc.doc_id, source="p.txt", engine="test",
                       title=TextItem(value="林涛", evidence=good),
                       speakers=[Person(name="林涛", evidence=bad)])
    assert [name for name, _ in iter_evidence(s)] == ["title", "speakers"]
    problems = check_evidence(doc, s)
    assert len(problems) == 1 and problems[0].startswith("speakers: [0, 2)")


def test_check_evidence_reports_a_summary_of_another_document():
    doc = make_document(PLAIN, "p.txt")
    s = MeetingSummary(doc_id="0" * 16, source="p.txt", engine="test")
    assert check_evidence(doc, s) == [f"summary is for {'0' * 16}, document is {doc.doc_id}"]
