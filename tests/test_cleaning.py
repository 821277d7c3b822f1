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


WRAPPED = (
    "青禾县召开警示教育大会\n"
    "6月16日上午，青禾县召开以案促改警示教育大会，通报近年来全县\n"
    "查处的典型案例，以身边事警示身边人。县委书记蒋**出席会议并讲话，\n"
    "县委副书记、县长黄振宇主持会议，县委常委、县纪委书记覃丽萍通报\n"
    "- 2 -\n"
    "典型案例。共260余人参加会议。\n"
    "　　会前，与会人员在县人民法院第一审判庭集中旁听了一起受贿案的庭\n"
    "审。\n"
)


def test_hard_wrapped_lines_are_rejoined_and_page_numbers_dropped():
    cleaned = clean(WRAPPED)
    lines = cleaned.text.split("\n")
    assert lines[0] == "青禾县召开警示教育大会"  # the title stays on its own line
    assert "县委副书记、县长黄振宇主持会议" in cleaned.text
    assert "覃丽萍通报典型案例。" in cleaned.text  # across the page-number line
    assert "- 2 -" not in cleaned.text
    assert "受贿案的庭审。" in cleaned.text
    assert lines[2].startswith("会前")  # an indented line starts a paragraph
    for i, ch in enumerate(cleaned.display):  # the offset map still points at the raw text
        assert WRAPPED[cleaned.to_raw[i]] == ch


@pytest.mark.parametrize(
    "raw",
    [
        # Minutes: labelled fields stay on their own lines.
        "会议纪要\n时间：2023年5月12日上午九时三十分整\n地点：镇政府三楼会议室（东侧大会议室）\n"
        "主持：镇党委书记王建国同志（兼任镇长）\n参加：镇党政班子成员、各村党支部书记\n记录：镇党政办刘小燕\n",
        # Ordinary prose: lines end in sentence marks; headings and numbered points stay.
        "关于召开全镇防汛工作会议的通知\n各村、各单位：\n经研究，决定召开全镇防汛工作会议。现将有关事项通知如下：\n"
        "一、会议时间\n2023年6月2日上午9:00\n二、参会人员\n各村党支部书记、村委会主任，镇直各单位主要负责同志\n",
        # A speech with a long heading that has no full stop.
        "同志们：\n今天召开这次会议，主要任务是部署下一步工作。\n一、清醒认识当前安全生产形势切实把思想统一到决策部署上来\n"
        "从全乡来看，今年以来总体保持了平稳态势。\n二、突出重点领域扎实开展隐患排查整治确保各项措施落地见效\n要抓好燃气安全。\n",
    ],
)
def test_documents_that_are_not_hard_wrapped_keep_their_lines(raw):
    assert clean(raw).text.split("\n") == [line for line in raw.strip().split("\n") if line]


def test_a_notices_own_last_sections_are_not_taken_for_related_news() -> None:
    # 三、会议内容 goes on with 一、 and 二、 above it: the notice's own section, kept whole.
    notice = (
        "关于召开全县推进会的通知\n一、会议时间\n5月22日上午9:00。\n二、会议地点\n竹溪乡人民政府四楼会议室。\n"
        "三、会议内容\n(一)现场观摩竹溪乡户厕改造工作;\n(二)竹溪乡、石门镇作交流发言;\n(三)县农业农村局通报一季度考评排名;"
    )
    assert apply_rule(drop_trailing_headlines, notice) == notice
    # A related-news list numbered on its own from 1 still goes.
    prose = "正文第一段内容很长。第二句。\n"
    news = "1.某某县召开乡村振兴推进会议\n2.某某镇开展党建引领基层治理活动\n3.某某村集体经济收入突破百万元大关\n"
    assert apply_rule(drop_trailing_headlines, prose + news) == prose.rstrip("\n")


def test_a_wrapped_line_ending_in_a_quoted_term_goes_on() -> None:
    raw = (
        "锦和镇村党组织书记擂台比武专题会议纪要\n"
        "2022年8月16日上午，镇党委在镇机关四楼会议室召开村党组织书\n"
        "记擂台比武专题会议，研究部署下半年全镇村党组织书记赛马比拼\n"
        "有关工作，会议由镇党委书记主持，各村党组织书记参加了会议。\n"
        "一、关于比武内容。会议确定，本次擂台比武围绕“五比五看”\n"
        "展开，即比班子建设看凝聚力、比集体经济看增收实效、比产业\n"
        "发展看群众受益。其中集体经济一项权重最高，占总分的30%。\n"
        "二、关于比武方式。采取“晒、比、评”三个环节，各村书记上台。\n"
    )
    text = clean(raw).text
    assert "围绕“五比五看”展开，即比班子建设看凝聚力" in text
    # A line that ends its sentence before the quote mark closes stays a line of its own.
    assert "三个环节，各村书记上台。" in text.split("\n")[-1]
