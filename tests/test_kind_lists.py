"""Counting what a document lists without writing how many: "通知了几个乡镇来参会" over a
notice's (三)韩村镇、柳湖镇…党委副书记, "名单里列了多少个单位" over 区委办、…、东沙镇等单位.
The kind asked is read from the question (乡镇, 村, 单位 …) and recognised in the items by
how their names end; a count the document writes is never replaced by a tally.
Made-up documents, no index."""

from __future__ import annotations

import pytest
from extractive_helpers import answer, cited_exactly, doc, supported

from rag.zh.kinds import counted_kind, is_of_kind, item_at_end, kind_lists

NOTICE = doc(
    "关于召开全县秋粮收购工作调度会的通知\n"
    "各乡镇党委、政府，县直有关单位：\n"
    "经县政府同意，定于9月20日召开全县秋粮收购工作调度会。现将有关事项通知如下：\n"
    "一、会议时间\n"
    "9月20日上午9:00。\n"
    "二、会议内容\n"
    "（一）县粮食局通报秋粮收购进度；\n"
    "（二）石门镇、青溪乡作交流发言；\n"
    "（三）副县长周立群讲话。\n"
    "三、参会人员\n"
    "（一）县政府办公室负责同志；\n"
    "（二）县发改局、县财政局、县农业农村局、县市场监管局、县粮食和物资储备局、县农业发展银行主要负责同志；\n"
    "（三）石门镇、青溪乡、白马镇、龙泉镇、桃源乡、双河镇、柳林街道分管负责同志。\n"
    "四、有关要求\n"
    "请参会人员提前10分钟到场。\n",
    "notice",
)

REPORT = doc(
    "河口县召开农村公路建设推进会\n"
    "5月12日，河口县召开农村公路建设推进会。副县长马继东出席会议并讲话。\n"
    "全县12个乡镇分管负责同志参加会议。会上，东关镇、西岭乡、北河镇作了表态发言。\n",
    "report",
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [("这次调度会通知了几个乡镇来参会", "乡镇"),
     ("参会名单里列了多少个单位", "单位"),
     ("扩大参会的单位一共有多少个", "单位"),
     ("书记一共来自几个村(社区)", "村"),
     ("一共跟几家企业签了协议", "企业"),
     ("会议一共开了几天", None),
     ("一共几个人发言", None)],
)
def test_the_kind_counted_is_read_from_the_question(question, kind):
    assert counted_kind(question) == kind


@pytest.mark.parametrize(
    ("item", "kind", "expected"),
    [("韩村镇", "乡镇", True), ("柳林街道", "乡镇", True), ("县人力资源和社会保障局", "单位", True),
     ("县委党校", "单位", True), ("东沙镇", "单位", True), ("县粮食局通报", "单位", False),
     ("东塘社区", "村", True), ("党委书记", "乡镇", False)],
)
def test_an_item_shows_its_kind_by_how_its_name_ends(item, kind, expected):
    assert is_of_kind(item, kind) is expected


@pytest.mark.parametrize(
    ("piece", "kind", "item"),
    [("县水利局等单位分管负责同志参加", "单位", "县水利局"), ("后湖乡党委副书记", "乡镇", "后湖乡"),
     ("县农业发展银行主要负责同志", "单位", "县农业发展银行"), ("负责同志", "单位", None)],
)
def test_the_last_item_is_cut_before_what_closes_the_list(piece, kind, item):
    assert item_at_end(piece, kind) == item


def _items(text: str, kind: str) -> list[tuple[list[str], bool, bool]]:
    return [([text[a:b] for a, b in listed.items], listed.complete, listed.stated) for listed in kind_lists(text, kind)]


def test_lists_of_a_kind_are_found_with_their_numbering_and_closing_words_left_out():
    text = "(三)韩村镇、柳湖镇、杏林乡、白沙镇和龙岗镇党委副书记、扶贫专干;"
    assert _items(text, "乡镇") == [(["韩村镇", "柳湖镇", "杏林乡", "白沙镇", "龙岗镇"], True, False)]


def test_a_list_closed_by_deng_is_not_complete_and_a_written_count_is_stated():
    assert _items("县委办,县政府办,县发改局,县财政局等单位负责同志", "单位") == [
        (["县委办", "县政府办", "县发改局", "县财政局"], False, False)]
    assert _items("全县15个乡镇：韩村镇、柳湖镇", "乡镇")[0][2] is True


@pytest.mark.parametrize("text", ["会议要求韩村镇、柳湖镇、白沙镇", "韩村镇，柳湖镇党委书记要抓好落实"])
def test_a_list_whose_bounds_are_a_guess_is_left_out(text):
    # A first item carrying a lead-in with no word that opens a list (会议要求韩村镇), or items
    # apart in a sentence.
    assert _items(text, "乡镇") == []


@pytest.mark.parametrize(
    ("text", "kind", "items"),
    [("会议通知韩村镇、柳湖镇、白沙镇参加", "乡镇", ["韩村镇", "柳湖镇", "白沙镇"]),
     ("先期选择石桥村、北沟村、庙湾村3个村开展试点", "村", ["石桥村", "北沟村", "庙湾村"])],
)
def test_a_lead_in_is_cut_off_the_first_item_after_the_word_that_opens_the_list(text, kind, items):
    assert _items(text, kind)[0][0] == items


def test_the_places_a_notice_lists_under_its_heading_are_counted():
    # The section heading (三、参会人员) carries the act asked (参会); the agenda's list of two
    # speakers (（二）石门镇、青溪乡作交流发言) is another act.
    a, by_id = answer("秋粮收购调度会通知了几个乡镇来参会?", NOTICE)
    assert not a.refused and a.answer.startswith("7个（石门镇、青溪乡、白马镇、龙泉镇、桃源乡、双河镇、柳林街道）")
    cited_exactly(a, by_id)


def test_the_bodies_listed_are_counted():
    a, by_id = answer("调度会参会名单里列了多少个县直单位?", NOTICE)
    assert not a.refused and a.answer.startswith("6个（县发改局、")
    cited_exactly(a, by_id)


def test_a_count_the_document_writes_is_answered_as_written():
    a, _ = answer("河口县农村公路推进会有几个乡镇参加会议?", REPORT)
    assert not a.refused and a.answer.startswith("12个")


FLOOD = doc(
    "关于召开甘溪镇防汛工作调度会的通知\n"
    "定于6月3日在镇政府三楼会议室召开全镇防汛工作调度会。\n"
    "参会单位:镇党政办、镇应急管理办公室(消防站)、镇卫生院、甘溪派出所;明月村、铁牛村、长沟村等3个村党组织书记。\n",
    "flood",
)


def test_the_kinds_a_question_leaves_out_are_not_counted():
    # "不算村和社区": the villages (a list of their own, counted by the text) stay out.
    a, by_id = answer("甘溪镇防汛调度会的参会单位，不算村和社区，一共有多少个？", FLOOD)
    assert not a.refused and a.answer.startswith("4个（镇党政办、镇应急管理办公室、镇卫生院、甘溪派出所）")
    cited_exactly(a, by_id)
    supported(a, first_line_only=True)


SEMINAR = doc(
    "桃源县特色产业发展座谈会召开\n"
    "10月9日，桃源县召开特色产业发展座谈会。县农业农村局局长何立新通报了全县特色产业发展情况。"
    "桃源乡、白马镇和双溪乡作了交流发言。\n"
    "城关镇、溪口镇、桃源乡、龙潭乡等4个乡镇分管负责同志参加会议。\n",
    "seminar",
)


@pytest.mark.parametrize(("question", "kind"), [("哪些乡镇作了交流发言", "乡镇"), ("哪几家作了表态发言", "单位"),
                                                ("哪些部门配合", "部门"), ("会议在哪里召开", None)])
def test_the_kind_a_which_question_asks_for_is_read(question, kind):
    from rag.zh.kinds import asked_kind
    assert asked_kind(question) == kind


def test_the_kind_asked_is_no_word_the_sentence_must_write():
    # jieba cuts 哪些乡|镇作了: neither piece is asked of the sentence, the items' names answer.
    from rag.question import analyse
    assert analyse("哪些乡镇作了交流发言").keywords == ("交流", "发言")


def test_the_places_of_the_kind_asked_are_named_from_their_list():
    a, by_id = answer("座谈会上哪些乡镇作了交流发言?", SEMINAR)
    assert not a.refused and a.answer.startswith("桃源乡、白马镇和双溪乡[1]")  # as written
    cited_exactly(a, by_id)
