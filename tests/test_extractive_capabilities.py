"""Question types the extractive engine answers beyond one typed span: totals that
leave a part out, numbered headings, counts of named people, meetings compared
by length, cloze ("变成什么") and venues. Small fabricated documents only: no
index, no model, no seed text.
"""

from __future__ import annotations

import pytest
from extractive_helpers import answer as _answer
from extractive_helpers import cited_exactly as _cited_exactly
from extractive_helpers import doc as _doc
from extractive_helpers import supported

from rag.extractive import count_people, meetings_lasting
from rag.guard import support
from rag.meetings import days_asked, duration_days
from rag.question import analyse
from rag.spans import cloze, find_typed, heading_runs, total_of
from rag.types import Passage

TRAINING = "5月6日,全县护理技能培训会召开。来自各地的12名优秀护士、8名卫生院院长和5名新入职护士参加培训。"

SPEECH = (
    "在全区生态环境工作会议上的讲话\n"
    "一、总体要求。今年要坚持问题导向。\n"
    "二、聚焦碧水蓝天净土,全力推进重点任务。\n"
    "(一)实施清水工程。要抓好河湖治理。\n"
    "(二)推进绿廊工程。要建设生态廊道。\n"
    "(三)开展净土工程。要管控土壤风险。\n"
    "三、强化保障措施。要压实各方责任。"
)

SEMINAR = (
    "4月2日,全县档案工作座谈会召开。县委书记王学文主持会议并讲话。"
    "县领导赵志刚、钱明、孙立军参加会议。各乡镇分管负责人参加会议。\n"
    "会上,横岭镇委书记周建国表示,要抓好档案数字化。溪口镇委副书记吴海燕说,要加强人员培训。"
    "驻村第一书记郑小兵介绍了村级档案管理经验。"
)


# --- totals that leave one part out ----------------------------------------------------------


@pytest.mark.parametrize(
    "question, value, parts, left_out",
    [
        ("参加培训的人员(不含新入职护士)一共多少名?", "20名", "12+8", "5名新入职护士"),
        ("除卫生院院长外,参加培训的一共多少名?", "17名", "12+5", "8名卫生院院长"),
        ("不包括优秀护士在内,参加培训的共有多少名?", "13名", "8+5", "12名优秀护士"),
    ],
)
def test_total_leaves_out_the_excluded_part(question, value, parts, left_out):
    total = total_of(analyse(question), TRAINING)
    assert total is not None
    assert (total.value, total.parts, total.left_out) == (value, parts, left_out)
    assert total.render() == f"共{value}（{parts}），不含{left_out}"


def test_excluded_part_written_noun_first():
    total = total_of(analyse("出席的书记(不含软弱涣散村书记)一共多少名?"), "出席的有优秀村书记12名、软弱涣散村书记3名和第一书记5名。")
    assert total is not None and total.render() == "共17名（12+5），不含软弱涣散村书记3名"


@pytest.mark.parametrize(
    "question",
    ["参加培训的人员一共多少名?", "包括院长在内,参加培训的一共多少名?", "全年消除隐患,整改一共多少处?"],
)
def test_no_exclusion_without_an_excluding_word(question):
    assert "exclude" not in analyse(question).extra


@pytest.mark.parametrize(
    "question",
    [
        "参加培训的人员(不含志愿者)一共多少名?",  # nothing in the list names the excluded part
        "除护士外,参加培训的一共多少名?",  # two items name it equally: which one is meant is unclear
    ],
)
def test_total_without_a_clear_excluded_part_is_no_answer(question):
    assert total_of(analyse(question), TRAINING) is None
    answer, _ = _answer(question, _doc(TRAINING))
    assert answer.refused


def test_total_with_exclusion_is_cited_and_grounded():
    answer, by_id = _answer("参加培训的人员(不含新入职护士)一共多少名?", _doc(TRAINING))
    assert not answer.refused and answer.answer.startswith("共20名（12+8），不含5名新入职护士[1]")
    _cited_exactly(answer, by_id)
    supported(answer)


def test_total_without_exclusion_still_sums_every_part():
    total = total_of(analyse("参加培训的一共多少名?"), TRAINING)
    assert total is not None and total.render() == "共25名（12+8+5）"


# --- numbered headings ------------------------------------------------------------------------


def test_heading_runs_with_their_section():
    runs = heading_runs(SPEECH)
    assert [(p.text if p else None, [h.text for h in r]) for p, r in runs] == [
        (None, ["一、总体要求。", "二、聚焦碧水蓝天净土,全力推进重点任务。", "三、强化保障措施。"]),
        ("二、聚焦碧水蓝天净土,全力推进重点任务。", ["(一)实施清水工程。", "(二)推进绿廊工程。", "(三)开展净土工程。"]),
    ]


@pytest.mark.parametrize(
    "question, expected",
    [
        ("讲话在“重点任务”部分提出了哪三项工程?", ["实施清水工程", "推进绿廊工程", "开展净土工程"]),
        ("讲话提出了哪几项工程?", ["实施清水工程", "推进绿廊工程", "开展净土工程"]),
        ("讲话在“碧水蓝天净土”部分部署了哪三个方面?", ["实施清水工程", "推进绿廊工程", "开展净土工程"]),
    ],
)
def test_numbered_headings_answer_which_items(question, expected):
    answer, by_id = _answer(question, _doc(SPEECH))
    assert not answer.refused, answer.answer
    assert [c.quote.rstrip("。")[3:] for c in answer.citations] == expected
    assert all(e in answer.answer for e in expected)
    _cited_exactly(answer, by_id)
    supported(answer)


@pytest.mark.parametrize(
    "question",
    [
        "讲话提出了哪四项工程?",  # three headings, four asked
        "讲话提出了哪三项制度?",  # no heading names 制度 and no section is quoted
    ],
)
def test_headings_that_do_not_fit_are_not_listed(question):
    from rag.extractive import answer_headings

    doc = _doc(SPEECH)
    passages = [Passage(doc.doc_id, doc.title, 0, len(doc.text), doc.text, 1.0, 1)]
    assert answer_headings(question, analyse(question), passages, {doc.doc_id: doc}.__getitem__) is None


# --- counting named people --------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, roles, include, named",
    [
        ("包括主持会议的县委书记在内,参加座谈会的县领导一共几位?", ("县领导",), ("县委书记", "主持"), False),
        ("报道中具名的镇委书记和镇委副书记一共有几位?", ("镇委书记", "镇委副书记"), ("", ""), True),
        ("参加座谈会的一共有多少人?", None, None, None),  # no role to count by
        ("会上发言的人中有几位是女性?", None, None, None),
    ],
)
def test_people_count_is_read_from_the_question(question, roles, include, named):
    asked = analyse(question).extra.get("count_people")
    if roles is None:
        assert asked is None
    else:
        assert (asked.roles, (asked.include_role, asked.include_verb), asked.named) == (roles, include, named)


@pytest.fixture
def lenient_guard(monkeypatch):
    """Accept every claim: the count logic is tested apart from the guard's rules."""
    monkeypatch.setattr("rag.guard.support", lambda claim, evidence, *a, **k: (True, "supported"))


@pytest.mark.parametrize(
    "question, head",
    [
        ("参加座谈会的县领导一共几位?", "共3位（赵志刚、钱明、孙立军）"),
        ("包括主持会议的县委书记在内,参加座谈会的县领导一共几位?", "共4位（王学文、赵志刚、钱明、孙立军）"),
        ("报道中具名的镇委书记和镇委副书记一共有几位?", "共2位（周建国、吴海燕）"),
    ],
)
def test_people_are_counted_by_name_and_cited(lenient_guard, question, head):
    doc = _doc(SEMINAR)
    passages = [Passage(doc.doc_id, doc.title, 0, len(doc.text), doc.text, 1.0, 1)]
    answer = count_people(question, analyse(question), passages, {doc.doc_id: doc}.__getitem__)
    assert answer is not None and answer.answer.split("[")[0] == head
    _cited_exactly(answer, {doc.doc_id: doc})
    names = head[head.index("（") + 1 : -1].split("、")
    assert all(any(n in c.quote for c in answer.citations) for n in names)


@pytest.mark.parametrize(
    "text, question",
    [
        ("县领导赵志刚、钱明等参加会议。", "参加会议的县领导一共几位?"),  # 等: the list is not complete
        ("县领导赵志刚参加会议。", "参加会议的县领导一共几位?"),  # one name is no enumeration
        ("县领导赵志刚、钱明参加会议。县委书记王学文讲话。", "包括主持会议的县委书记在内,参加会议的县领导一共几位?"),
    ],
)
def test_people_are_not_counted_from_an_incomplete_list(lenient_guard, text, question):
    doc = _doc(text)
    passages = [Passage(doc.doc_id, doc.title, 0, len(doc.text), doc.text, 1.0, 1)]
    assert count_people(question, analyse(question), passages, {doc.doc_id: doc}.__getitem__) is None


def test_a_count_the_guard_does_not_accept_is_not_answered(monkeypatch):
    monkeypatch.setattr("rag.guard.support", lambda claim, evidence, *a, **k: (False, "number 3 not in the cited passages"))
    doc = _doc(SEMINAR)
    passages = [Passage(doc.doc_id, doc.title, 0, len(doc.text), doc.text, 1.0, 1)]
    question = "参加座谈会的县领导一共几位?"
    assert count_people(question, analyse(question), passages, {doc.doc_id: doc}.__getitem__) is None


_GUARD_COUNTS = support("共2位（赵志刚、钱明）", "县领导赵志刚、钱明参加会议。")[0]


@pytest.mark.skipif(not _GUARD_COUNTS, reason="rag.guard does not yet accept a count shown with its names")
def test_people_count_end_to_end_is_grounded():
    answer, by_id = _answer("包括主持会议的县委书记在内,参加座谈会的县领导一共几位?", _doc(SEMINAR))
    assert answer.answer.startswith("共4位（王学文、赵志刚、钱明、孙立军）[1][2]")
    _cited_exactly(answer, by_id)
    supported(answer)


# --- meetings compared by length ------------------------------------------------------------


@pytest.mark.parametrize(
    "date, days",
    [("10月8日-9日", 2), ("6月3日至5日", 3), ("10月30日至11月1日", 3), ("2023年12月31日-1月1日", 2),
     ("3月28日", 1), ("2022-09-23", 1), ("9日-8日", None), ("10月9日-8日", None), ("第二季度", None)],
)
def test_duration_of_a_meeting_date(date, days):
    assert duration_days(date) == days


@pytest.mark.parametrize(
    "question, days",
    [("哪一次会议开了两天?", 2), ("哪个会为期3天?", 3), ("哪场培训历时三天?", 3),
     ("会议开了多长时间?", None), ("座谈会开了两天吗?", None), ("哪次会议开了几天?", None)],
)
def test_which_meeting_lasted_is_read_from_the_question(question, days):
    assert days_asked(question) == days


def test_meetings_lasting_names_and_cites_the_meeting():
    one = _doc("全县植树节动员会\n3月12日,全县植树节动员会召开。", "one")
    two = _doc("全市水利工作培训班\n6月3日至4日,全市水利工作培训班在青山镇举办。", "two")
    answer = meetings_lasting("哪一次会议开了两天?", [one, two], 2)
    assert answer is not None and answer.answer.startswith("全市水利工作培训班（6月3日至4日）[1]")
    _cited_exactly(answer, {d.doc_id: d for d in (one, two)})
    supported(answer)
    assert meetings_lasting("哪一次会议开了三天?", [one, two], 3) is None


# --- cloze: the words around 什么 -----------------------------------------------------------


@pytest.mark.parametrize(
    "question, sentence, expected",
    [
        ("讲话要求防止“河长制”变成什么?", "要压实责任,防止“河长制”变成“挂名制”。", "挂名制"),
        ("会议提出实施乡村道路“百千”计划暨什么计划?", "大力实施乡村道路“百千”计划暨安全护栏计划,确保通行安全。", "安全护栏"),
        ("县长要求为加快建设什么作出贡献?", "全县上下要为加快建设生态强县作出新的贡献。", "生态强县"),
        ("会议要求变成什么?", "防止形式主义变成负担。", None),  # too few of the question's words to anchor on
    ],
)
def test_cloze_answers_with_what_follows_the_question_words(question, sentence, expected):
    found = cloze(analyse(question), sentence)
    assert (found.text if found else None) == expected
    if found:
        assert sentence[found.start : found.end] == found.text


# --- where a meeting was held -----------------------------------------------------------------


@pytest.mark.parametrize(
    "question, sentence, expected",
    [
        ("档案工作座谈会在哪里召开?", "4月2日,我县在青山镇召开档案工作座谈会。", "青山镇"),
        ("档案工作座谈会在哪里召开?", "会议强调,要学习浙江和江苏的经验。", None),  # places it names are no venue
        ("浙江的经验在哪里推广?", "会议强调,要学习浙江和江苏的经验。", "江苏"),  # not a venue question
    ],
)
def test_a_venue_is_where_the_meeting_was_held(question, sentence, expected):
    found = find_typed(analyse(question), sentence)
    assert (found.text if found else None) == expected
