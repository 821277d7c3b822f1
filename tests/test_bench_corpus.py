"""The benchmark's synthetic corpus: distinct, deterministic, people/dates/numbers changed."""

from __future__ import annotations

import random
import re

import pytest
from conftest import SEED_FILES

from eval.bench.corpus import Rewriter, build_corpus, find_names, paragraphs, plan
from rag.metadata import make_document

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEED_FILES]
SEED_NAMES = sorted(set().union(*(find_names(t) for t in SEED_TEXTS)))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("市委书记刘玉杰主持会议并讲话", {"刘玉杰"}),
        ("市领导李军、王波、吕国平、邵兵参加会议", {"李军", "王波", "吕国平", "邵兵"}),
        ("市委書(shū)記劉玉杰主持會(huì)議", {"劉玉杰"}),  # pinyin inside the role word
        ("黨委書(shū)記李強(qiáng)、阜南縣", {"李強"}),  # and after the name
        ("县委副书记叶崧也就贯彻会议精神", {"叶崧"}),  # 也 ends a two-character name
        ("大岗镇委书记文伟欲表示", {"文伟欲"}),
        ("县委书记对这项工作非常的重视", set()),  # 对 is no surname
        ("乡镇党委书记的责任", set()),
    ],
)
def test_find_names_after_role_words(text, names):
    assert find_names(text) == names


def test_find_names_covers_the_seeds():
    assert {"劉玉杰", "趙子銀", "謝再春", "鄭安思", "曾小红", "崔晓平"} <= set(SEED_NAMES)


def test_rewriter_changes_people_dates_and_numbers():
    text = "3月28日上午,市委书记刘玉杰主持会议,18名书记出席。2022-09-23"
    out = Rewriter(random.Random(7), ["刘玉杰"]).rewrite(text)
    for old in ("刘玉杰", "3月28日", "18名", "2022-09-23"):
        assert old not in out
    # The sentence around them is kept.
    assert re.fullmatch(r"\d{1,2}月\d{1,2}日上午,市委书记\w{3}主持会议,\d\d名书记出席。\d{4}-\d\d-\d\d", out), out


def test_rewriter_is_consistent_within_a_document():
    r = Rewriter(random.Random(3), ["谢再春"])
    out = r.rewrite("谢再春召开“1331”现场会。“1331”格局由谢再春提出,10月8日-9日举行")
    names = re.findall(r"^(\w{3})召开|由(\w{3})提出", out)
    assert names[0][0] == names[1][1] != "谢再春"
    assert len(set(re.findall(r"“(\d+)”", out))) == 1
    d1, d2 = map(int, re.search(r"月(\d+)日-(\d+)日", out).groups())  # type: ignore[union-attr]
    assert (d2 - d1) % 28 == 1  # a two-day meeting stays two days


def test_rewriter_replaces_a_name_carrying_pinyin():
    out = Rewriter(random.Random(1), ["李強"]).rewrite("書(shū)記李強(qiáng)、李強")
    assert out.startswith("書(shū)記")  # the role's own annotation stays
    first, second = out[len("書(shū)記") :].split("、")
    assert first == second != "李強"


def test_plan_takes_the_base_title_and_borrows_from_other_seeds():
    counts = [len(paragraphs(t)) for t in SEED_TEXTS]
    for index in range(20):
        picked = plan(counts, index)
        base = index % len(counts)
        assert picked[0] == (base, 0)
        assert len(set(picked)) == len(picked)  # no paragraph twice
        assert any(s != base for s, _ in picked[1:])
        assert all(p > 0 for _, p in picked[1:])  # other seeds' titles are not borrowed
    assert plan(counts, 5) != plan(counts, 10)  # same base seed, different document


def test_build_corpus_is_deterministic(tmp_path):
    a = build_corpus(SEED_FILES, 3, tmp_path / "a")
    b = build_corpus(SEED_FILES, 3, tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_smaller_corpus_is_a_subset_of_a_larger_one(tmp_path):
    small = {p.name: p.read_bytes() for p in build_corpus(SEED_FILES, 2, tmp_path / "2")}
    large = {p.name: p.read_bytes() for p in build_corpus(SEED_FILES, 4, tmp_path / "4")}
    assert len(small) == 2 * len(SEED_FILES) and len(large) == 4 * len(SEED_FILES)
    assert all(large[name] == data for name, data in small.items())


def test_corpus_starts_with_the_seeds_unchanged(tmp_path):
    files = build_corpus(SEED_FILES, 2, tmp_path)
    assert [f.read_text(encoding="utf-8") for f in files[: len(SEED_FILES)]] == SEED_TEXTS


def test_corpus_documents_are_distinct_for_ingestion(tmp_path):
    """Ingestion skips a document whose cleaned text it has seen: every id must differ."""
    files = build_corpus(SEED_FILES, 10, tmp_path)
    ids = {make_document(f.read_text(encoding="utf-8"), str(f)).doc_id for f in files}
    assert len(ids) == len(files) == 10 * len(SEED_FILES)


def test_synthetic_documents_copy_no_names_or_figures(tmp_path):
    """A paragraph copied verbatim from a seed holds no person and no figure:
    every paragraph with a name or a digit was rewritten."""
    seed_paragraphs = {p for t in SEED_TEXTS for p in paragraphs(t)}
    files = build_corpus(SEED_FILES, 4, tmp_path)[len(SEED_FILES) :]
    rewritten = 0
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert not [n for n in SEED_NAMES if n in text], f.name
        for p in paragraphs(text):
            if p in seed_paragraphs:
                assert not re.search(r"\d", p), (f.name, p[:40])
            else:
                rewritten += 1
    assert rewritten >= len(files)


def test_build_corpus_rejects_a_zero_scale(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        build_corpus(SEED_FILES, 0, tmp_path)
