"""Finding the meetings a question names over thousands of titles (#16): the regex
prefilters pass over titles that cannot be named, and the result is the plain loop's;
the listing of the index is read once per change and handed out as fresh copies."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from conftest import SEED_FILES, make_settings
from langchain_core.embeddings import DeterministicFakeEmbedding

from rag.cleaning import _to_simplified, to_simplified
from rag.ingest import ingest_paths, remove_document
from rag.lexical import MEETING_WORDS
from rag.meetings import _GENERIC, SHARED_PAIRS, Mention, _longest_common, _pairs_in, find_meetings
from rag.store import DocStore


def _find_meetings_reference(question: str, docs: Sequence[tuple[str, str, Sequence[str]]]) -> list[Mention]:
    """Meetings named in ``question``, in the order they are named (one per document)."""
    found: dict[str, Mention] = {}

    def add(doc_id: str, pos: int, text: str) -> None:
        if doc_id not in found or pos < found[doc_id].position:
            found[doc_id] = Mention(doc_id, pos, text)

    for m in re.finditer(r"[“\"「]([^”\"」]{1,20})[”\"」]", question):
        for doc_id, title, _ in docs:
            if m.group(1) in title:
                add(doc_id, m.start(), m.group(1))
    for word in MEETING_WORDS:
        pos = question.find(word)
        holders = [d for d in docs if word in d[1]]
        if pos >= 0 and len(holders) == 1:
            add(holders[0][0], pos, word)
    for doc_id, title, dates in docs:
        start, common = _longest_common(question, title)
        rest = common
        for g in _GENERIC:
            rest = rest.replace(g, "")
        if len(common) >= 6 and len(rest) >= 4:
            add(doc_id, start, common)
        for d in dates[:1]:
            day = re.match(r"\d{1,2}月\d{1,2}日", d)
            if day and (pos := question.find(day.group(0))) >= 0:
                add(doc_id, pos, day.group(0))
    # "全县推进会讲话和交流发言那个区…": a part of the question sharing clearly more
    # of its character pairs with one title than with any other names that meeting.
    for m in re.finditer(r"[^和与及、,，;；?？]+", question):
        part = m.group(0)
        for g in _GENERIC:
            part = part.replace(g, "|")  # 基层党建, 全县: words every meeting may have
        shared = sorted(((_pairs_in(part, title), doc_id) for doc_id, title, _ in docs), reverse=True)
        if shared and shared[0][0] >= SHARED_PAIRS and (len(shared) < 2 or shared[0][0] > shared[1][0]):
            add(shared[0][1], m.start(), m.group(0))
    return sorted(found.values(), key=lambda m: m.position)


QUESTIONS = [
    "3月28日和3月30日分别召开了什么会议?",
    "“1331”现场会上的副县长和座谈会的市委书记分别是谁?",
    "全县推进会讲话和交流发言那个区的合作社有多少家?",
    "全市优秀基层党组织书记座谈会和推进会哪个开得早?",
    "实施乡村振兴战略暨抓党建促脱贫攻坚工作推进会是什么时候召开的?",
    "会议",
    "",
]


def _titles(seed_docs) -> list[tuple[str, str, tuple[str, ...]]]:
    docs = [(d.doc_id, to_simplified(d.title), d.dates) for d in seed_docs.values()]
    rng = random.Random(16)
    chars = "".join(t for _, t, _ in docs) + "会议座谈推进现场"
    for i in range(300):  # titles sharing runs and pairs with the real ones
        title = "".join(rng.choice(chars) for _ in range(rng.randint(4, 30)))
        date = rng.choice(["3月28日", "3月30日", "10月8日-9日", "2019年", ""])
        docs.append((f"x{i:03d}", title, (date,) if date else ()))
    return docs


def test_meetings_found_with_prefilters_are_the_plain_loops(seed_docs) -> None:
    docs = _titles(seed_docs)
    rng = random.Random(7)
    questions = list(QUESTIONS)
    for _ in range(150):  # pieces of titles joined as a question would join them
        a, b = rng.sample(docs, 2)
        questions.append(f"{a[1][: rng.randint(2, 12)]}和{b[1][-rng.randint(2, 12):]}分别是谁?")
    for q in questions:
        assert find_meetings(q, docs) == _find_meetings_reference(q, docs), q
        assert find_meetings(q, docs[:1]) == _find_meetings_reference(q, docs[:1]), q


def test_short_texts_are_converted_as_long_ones() -> None:
    for text in ("全市優秀基層黨組織書記座談會", "會議", "", "a\n會議\n", "豐寧縣" * 100):
        assert to_simplified(text) == _to_simplified(text)
        assert to_simplified(text) == _to_simplified(text)  # memoised: the same again


def test_the_listing_is_read_once_per_change_and_handed_out_as_copies(tmp_path) -> None:
    settings = make_settings(tmp_path)
    emb = DeterministicFakeEmbedding(size=16)
    ingest_paths(SEED_FILES[:2], settings, embeddings=emb)
    store = DocStore(settings)
    first = store.list_info()
    assert len(first) == 2
    first[0]["title"] = "changed"
    first[0]["dates"].append("x")
    again = store.list_info()
    assert again[0]["title"] != "changed" and "x" not in again[0]["dates"]
    assert again == DocStore(settings).list_info()  # a fresh store reads the same rows
    ingest_paths(SEED_FILES[2:3], settings, embeddings=emb)  # another store writes: seen
    assert len(store.list_info()) == 3
    remove_document(again[0]["doc_id"], settings)
    assert [i["doc_id"] for i in store.list_info()] == [i["doc_id"] for i in DocStore(settings).list_info()]
    assert len(store.list_info()) == 2
