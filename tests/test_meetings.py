from rag.meetings import find_meetings

DOCS = [
    ("a", "全市优秀基层党组织书记座谈会", ["3月28日"]),
    ("b", "我县在凤埔乡召开“1331”基层党建现场会", ["3月30日"]),
    ("c", "在全县基层党建工作重点任务推进会上的讲话", ["2022-09-23"]),
    ("d", "实施乡村振兴战略暨抓党建促脱贫攻坚工作推进会", ["10月8日-9日"]),
]


def test_meetings_found_by_quoted_term_kind_and_date_in_question_order():
    got = find_meetings("“1331”现场会上的副县长和座谈会的市委书记分别是谁?", DOCS)
    assert [m.doc_id for m in got] == ["b", "a"]
    assert [m.doc_id for m in find_meetings("3月28日和3月30日分别召开了什么会议?", DOCS)] == ["a", "b"]


def test_an_ambiguous_kind_of_meeting_names_nothing():
    # Two documents are 推进会: the word alone does not say which.
    assert find_meetings("推进会由谁主持?", DOCS) == []


def test_generic_title_words_are_not_a_mention():
    assert find_meetings("基层党建工作有哪些要求?", DOCS) == []


def test_meetings_named_by_a_part_sharing_most_of_a_title():
    docs = [*DOCS, ("e", "交流发言:党建引领强动力跑出乡村振兴“加速度”", [])]
    got = find_meetings("全县推进会讲话和交流发言那个区,抓村干部的工程分别叫什么名字?", docs)
    assert [m.doc_id for m in got] == ["c", "e"]
    # A part as close to two titles names neither.
    assert find_meetings("推进会讲话有什么要求?", [("x", "县推进会讲话", []), ("y", "市推进会讲话", [])]) == []
