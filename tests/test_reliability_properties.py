"""Property tests: any text at all goes through cleaning and chunking without an
error, and the offset map and chunk spans keep their promises.

What holds exactly (and is asserted): ``display`` is made of characters of the
raw text, in order, each mapped by ``to_raw``, except the two replacements the
cleaner makes (a lone CR becomes ``\\n``, a no-break space becomes `` ``);
``text`` is ``display`` converted to simplified script, the same length.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.chunking import chunk_document, chunk_spans, split_sentences
from rag.cleaning import clean, to_simplified
from rag.metadata import make_document

# Pieces that exercise each rule: pinyin notes, parenthesised words, boilerplate
# lines, CJK spacing, line endings, zero-width marks, redactions, quotes.
TRICKY = [
    "(huì)", "（huì）", "(lǜ)", "(yōu)", "(街道)", "(工)", "(kg)", "(", ")", "（", "）", "((", "))",
    "\r\n", "\r", "\n", "\n\n\n\n", "\u00a0", "\u200b", "\u2060", "\ufeff", "\u3000", " ", "\t",
    "。", "！", "?", "；", "“", "”", "「", "」", "，", "、", "：",
    "阅读全文\n", "责任编辑:张三\n", "分享到:微信\n", "上一篇:旧闻\n", "市科协八届六次全委会召开\n",
    "乡村 振兴", "XX", "××", "*", "＊", "會議", "書(shū)記", "优(yōu)秀", "😀", "👩‍👩‍👧", "e\u0301",
]
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PIECE = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=12),  # any Unicode (no lone surrogates: those cannot come out of a decoder)
    st.text(alphabet=HAN, min_size=1, max_size=20),
    st.text(alphabet="abcdefghiklmnoprstuwxyzāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü", max_size=8).map(lambda s: f"({s})"),
)
RAW = st.lists(PIECE, max_size=40).map("".join)
REPLACED = {("\n", "\r"), (" ", "\u00a0")}
PROPS = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(RAW)
def test_clean_offset_map_points_into_the_raw_text(raw):
    c = clean(raw)
    assert len(c.text) == len(c.display)
    assert len(c.to_raw) == len(c.display) + 1
    assert c.to_raw[-1] == len(raw)
    assert all(a <= b for a, b in zip(c.to_raw, c.to_raw[1:], strict=False))
    for i, ch in enumerate(c.display):
        src = raw[c.to_raw[i]]
        assert ch == src or (ch, src) in REPLACED, (i, ch, src)
    assert c.text == to_simplified(c.display)
    for start in range(0, len(c.display) + 1, 7):  # raw_span stays inside the raw text
        end = min(len(c.display), start + 5)
        a, b = c.raw_span(start, end)
        assert 0 <= a <= b <= len(raw)


@PROPS
@given(RAW, st.sampled_from([(32, 0), (32, 31), (40, 10), (300, 60)]))
def test_chunk_spans_are_valid_slices_that_cover_the_text(raw, budget_overlap):
    budget, overlap = budget_overlap
    text = clean(raw).text
    spans = chunk_spans(text, budget, overlap)
    for s, e in spans:
        assert 0 <= s < e <= len(text)
    assert [s for s, _ in spans] == sorted({s for s, _ in spans})  # strictly advancing
    covered = set().union(*(range(s, e) for s, e in spans)) if spans else set()
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= covered
    for s, e in split_sentences(text):
        assert 0 <= s < e <= len(text) and "\n" not in text[s:e]


@PROPS
@given(RAW)
def test_documents_of_any_text_chunk_into_exact_slices(raw):
    doc = make_document(raw, "any.txt")
    assert len(doc.to_raw) == len(doc.display) + 1 == len(doc.text) + 1
    for chunk in chunk_document(doc, 40, 10):
        assert chunk.text == doc.text[chunk.start : chunk.end]
        assert doc.quote(chunk.start, chunk.end) == doc.display[chunk.start : chunk.end]
