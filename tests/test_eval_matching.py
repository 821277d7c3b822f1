"""eval.matching: one normal form, containment, the 200-character answer window."""

from __future__ import annotations

import pytest

from eval.matching import (
    ANSWER_WINDOW,
    answer_window,
    bigrams,
    contains,
    contains_all,
    contains_any,
    evidence_parts,
    normalise,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("會(huì)議", "会议"),  # pinyin annotation dropped, then t2s
        ("市委書記劉玉杰", "市委书记刘玉杰"),
        ("乡村 振兴\n战略", "乡村振兴战略"),  # whitespace of any kind
        ("９７．１４％", "97.14%"),  # full width -> half width
        ("乡镇（街道）", "乡镇(街道)"),  # real parentheses stay, only their width changes
        ("刘玉杰[1]主持[12]", "刘玉杰主持"),  # citation markers
        ("ABC Party", "abcparty"),  # case-folded
    ],
)
def test_normalise_known_forms(text, expected):
    assert normalise(text) == expected


def test_normalise_is_idempotent():
    for text in ("會(huì)議 XX", "９７．１４％ [2]", "乡村 振兴"):
        assert normalise(normalise(text)) == normalise(text)


def test_contains_matches_across_script_width_and_markers():
    assert contains("市委書(shū)記劉玉杰主持會(huì)議[1]", "市委书记刘玉杰主持会议")
    assert contains("成立工作队７０个", "70个")
    assert not contains("刘玉杰", "刘玉杰主持")


def test_contains_rejects_an_empty_needle():
    assert not contains("anything", "")
    assert not contains("anything", "  ")


def test_constraint_lists_empty_means_no_constraint():
    assert contains_any("abc", [])
    assert contains_all("abc", [])
    assert contains_any("刘玉杰主持", ["谢再春", "刘玉杰"])
    assert not contains_all("刘玉杰主持", ["谢再春", "刘玉杰"])


def test_answer_window_is_the_first_200_normalised_characters():
    # Spaces do not count: they are removed before the window is cut.
    answer = "一 " * 195 + "刘玉杰" + "二" * 10
    window = answer_window(answer)
    assert len(window) == ANSWER_WINDOW == 200
    assert window.endswith("一刘玉杰二二")
    late = "一" * 199 + "刘玉杰"
    assert not contains(answer_window(late), "刘玉杰")
    assert contains(answer_window("一" * 197 + "刘玉杰"), "刘玉杰")


def test_evidence_parts_splits_on_bars_and_drops_empty_parts():
    assert evidence_parts("甲乙 | 丙丁|  ") == ["甲乙", "丙丁"]
    assert evidence_parts("") == []


def test_bigrams_known_sets():
    assert bigrams("会議召开") == {"会议", "议召", "召开"}
    assert bigrams("会") == {"会"}
    assert bigrams("") == set()


def test_normalise_drops_every_marker_form():
    assert normalise("甲[1,2]乙【3】丙[资料 4]") == "甲乙丙"
