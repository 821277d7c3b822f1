"""Questions over every meeting of a large archive (#16): "哪一次会议开了两天" lists a few
meetings and counts the rest, and a meeting's date sentence is found without splitting
its whole document. Made-up documents and the seeds' text; no index, no model."""

from __future__ import annotations

import pytest
from conftest import SEED_FILES
from extractive_helpers import cited_exactly, doc, supported

from rag.answer_meetings import MEETINGS_LISTED, meetings_lasting, sentence_around
from rag.chunking import split_sentences
from rag.guard import support

TRICKY = (
    "标题  \n\n  \n"
    "3月28日至29日,“1331”现场会召开。会上,他说:“要抓好。要落实。”然后散会.下一项\n"
    "   缩进的一行,没有句号  \n"
    "（括号里。的句子）继续。www.gov.cn 1.2万\n"
    "最后一行没有换行"
)


def _whole_split_at(text: str, pos: int) -> tuple[int, int]:
    return next(((s, e) for s, e in split_sentences(text) if s <= pos < e), (pos, pos))


@pytest.mark.parametrize("text", [TRICKY, *(p.read_text(encoding="utf-8") for p in SEED_FILES)])
def test_the_sentence_around_an_offset_is_the_whole_splits(text):
    d = doc(text)
    for pos in range(len(d.text)):
        assert sentence_around(d, pos) == _whole_split_at(d.text, pos), pos


def _two_day(n: int) -> list:
    return [doc(f"第{i}次全县工作推进会\n6月{i % 20 + 1}日至{i % 20 + 2}日,第{i}次全县工作推进会在县城召开。会议部署任务。",
                f"m{i}") for i in range(1, n + 1)]


def test_a_long_listing_names_a_few_and_counts_the_rest():
    docs = _two_day(MEETINGS_LISTED + 7)
    answer = meetings_lasting("哪一次会议开了两天?", docs, 2)
    assert answer is not None and len(answer.citations) == MEETINGS_LISTED
    cited_exactly(answer, {d.doc_id: d for d in docs})
    head, note, *sources = answer.answer.split("\n")
    assert head.count("（6月") == MEETINGS_LISTED and len(sources) == MEETINGS_LISTED
    assert note == "另有7次会议也开了两天，未逐一列出；写明会议名称、月份或地点再问，可缩小范围。"
    # The listed meetings and their quotes are checked like any answer; the count line is
    # about the archive (no passage says how many meetings there are), so it cites nothing.
    supported(answer, first_line_only=True)
    evidence = "\n".join(c.quote for c in answer.citations)
    assert all(support(line, evidence)[0] for line in sources)
    assert "[" not in note


def test_meetings_the_caller_did_not_load_are_counted():
    docs = _two_day(3)
    answer = meetings_lasting("哪一次会议开了两天?", docs, 2, also=920)
    assert answer is not None and len(answer.citations) == 3
    assert answer.answer.split("\n")[1].startswith("另有920次会议也开了两天")


def test_a_short_listing_is_unchanged():
    docs = _two_day(MEETINGS_LISTED)
    answer = meetings_lasting("哪一次会议开了两天?", docs, 2)
    assert answer is not None and "另有" not in answer.answer and len(answer.citations) == MEETINGS_LISTED
    assert len(answer.answer.split("\n")) == 1 + MEETINGS_LISTED
