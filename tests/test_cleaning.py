import re

import pytest

from rag.cleaning import (
    apply_rule,
    clean,
    drop_boilerplate_lines,
    drop_trailing_headlines,
    find_redactions,
    normalise_query,
    remove_cjk_spaces,
    strip_pinyin,
    to_simplified,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("優(yōu)秀基層黨組織書(shū)記", "優秀基層黨組織書記"),
        ("會(huì)議", "會議"),
        ("各鄉鎮(街道)黨政", "各鄉鎮(街道)黨政"),  # Chinese in parentheses stays
        ("重量(kg)", "重量(kg)"),  # Latin without tone marks stays
        ("abc(huì)", "abc(huì)"),  # not after a CJK character
        ("綠(lǜ)色", "綠色"),
        ("會（huì）議", "會議"),  # full-width parentheses
    ],
)
def test_strip_pinyin_only_removes_tone_marked_latin(raw, expected):
    assert apply_rule(strip_pinyin, raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("乡村 振兴", "乡村振兴"),
        ("针对 性、指导 性", "针对性、指导性"),
        ("实施 2022 年", "实施 2022 年"),  # spaces next to digits stay
        ("Hello world", "Hello world"),
        ("脱贫攻\u3000坚", "脱贫攻坚"),
    ],
)
def test_remove_cjk_spaces(raw, expected):
    assert apply_rule(remove_cjk_spaces, raw) == expected


def test_boilerplate_lines_are_dropped_and_prose_kept():
    raw = "正文第一段。\n阅读全文\n(想阅读完全部图文内容,您需要先登陆!)\n分享:\n微信扫一扫在手机阅读、分享本文\n联系客服\n责任编辑:余凌古田网\n正文第二段。"
    assert apply_rule(drop_boilerplate_lines, raw) == "正文第一段。\n正文第二段。"


def test_trailing_headlines_dropped_but_short_lists_kept():
    prose = "会议要求各地抓好落实。\n"
    headlines = "市科协八届六次全委会召开\n刘和生与远大科技高层座谈\n胡启生主持召开市政府第9次常务会议\n"
    assert apply_rule(drop_trailing_headlines, prose + headlines) == prose.rstrip("\n")
    names = "参会人员:\n张三\n李四\n王五"
    assert apply_rule(drop_trailing_headlines, prose + names) == prose + names
    assert apply_rule(drop_trailing_headlines, headlines) == headlines  # no prose before: not web furniture


def test_to_simplified_keeps_length():
    text = "會議強調要深入學習貫徹,鄉鎮(街道)黨(工)委書記"
    out = to_simplified(text)
    assert len(out) == len(text)
    assert out == "会议强调要深入学习贯彻,乡镇(街道)党(工)委书记"


def test_redactions_found():
    assert find_redactions("学习贯彻XX关于基层党建") == [(4, 6)]
    assert find_redactions("刚才,*、*乡镇") == [(3, 4), (5, 6)]
    assert find_redactions("XXL号") == []


def test_normalise_query_width_script_spaces():
    assert normalise_query("座談會由誰主持？") == "座谈会由谁主持?"
    assert normalise_query("乡村 振兴　１２３") == "乡村振兴 123"


@pytest.mark.parametrize("raw", ["", "   ", "\n\n", "(huì)", "a\r\nb\rc"])
def test_clean_edge_cases_keep_map_invariant(raw):
    c = clean(raw)
    assert len(c.to_raw) == len(c.display) + 1
    assert len(c.text) == len(c.display)


def test_clean_map_points_back_to_the_original(seed_docs):
    for doc in seed_docs.values():
        assert len(doc.to_raw) == len(doc.display) + 1
        for i, ch in enumerate(doc.display):
            if ch != "\n":
                assert doc.raw[doc.to_raw[i]] == ch, (doc.source, i)


_TRAD_ONLY = re.compile("[會議國們這個說時來對於與為書黨組織縣鄉鎮領導習鳳發]")


def test_seeds_are_clean(seed_docs):
    for stem, doc in seed_docs.items():
        text = doc.text
        assert not re.search(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]", text), stem
        assert not _TRAD_ONLY.search(text), stem
        assert not re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", text), stem
        for marker in ("阅读全文", "微信扫一扫", "联系客服", "分享:", "责任编辑", "热门推荐", "胡启生主持召开"):
            assert marker not in text, (stem, marker)
    assert "(街道)" in seed_docs["000_1e9d919d8109f11d"].text
    assert "乡村振兴" in seed_docs["003_04edc0192fabf55a"].text
    assert "西江日报记者" in seed_docs["003_04edc0192fabf55a"].text  # the byline is not a headline


def test_redacted_flag_and_titles(seed_docs):
    d = seed_docs
    assert d["002_41ec3728fe3387ef"].redacted
    assert not d["000_1e9d919d8109f11d"].redacted
    assert d["000_1e9d919d8109f11d"].title == "全市優秀基層黨組織書記座談會"
    assert d["002_41ec3728fe3387ef"].title == "在全县基层党建工作重点任务推进会上的讲话"
    assert d["003_04edc0192fabf55a"].title == "实施乡村振兴战略暨抓党建促脱贫攻坚工作推进会"
    assert d["000_1e9d919d8109f11d"].script == "traditional"
    assert d["004_41f6191bd45bc140"].script == "simplified"


def test_toneless_pinyin_goes_once_the_document_shows_the_corruption():
    from rag.cleaning import clean

    text = "學(xué)員(yuán)們(men)來(lái)到這(zhè)個(ge)村。“工作(job)”"
    out = clean(text)
    assert "(men)" not in out.display and "(ge)" not in out.display
    assert "(job)" in out.display  # not a syllable


def test_toneless_parentheses_stay_without_the_corruption():
    from rag.cleaning import clean

    assert "(men)" in clean("他们(men)来了").display
