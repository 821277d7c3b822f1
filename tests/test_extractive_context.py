"""Colloquial questions name the document ("青石乡推进会讲话里…") with words the
answer sentence does not repeat; those words pick the document and are not
asked. A sentence that holds the asked words strongly answers a role or a group
of people even when no typed span fits. Fabricated documents only.
"""

from __future__ import annotations

import pytest
from extractive_helpers import answer as _answer
from extractive_helpers import cited_exactly, doc, supported

from rag.extractive import answer_extractive, content_words, document_context
from rag.question import analyse, predicate
from rag.render import REFUSAL
from rag.types import Document, Passage

SPEECH = (
    "在全县林业工作推进会上的讲话\n"
    "同志们:今天我们在青石乡召开全县林业工作推进会,主要任务是部署今年的护林防火工作。\n"
    "县领导王大海参加会议。\n"
    "一要用好老同志。我们注重发挥老护林员、老干部的作用,邀请他们担任巡护顾问,参与林区事务决策。\n"
    "二要创新管护。林区要构建“林长+网格化+信息化”的管护新格局,提升管护水平。\n"
    "三要搭建平台。举办“比技能·争先锋”护林员“擂台赛”,选树优秀护林员15名。\n"
    "四要引才回乡。要密切与在外能人、企业家、高校毕业生等对接联系,吸引他们回乡创业。\n"
)


def _doc(text: str, name: str = "speech") -> Document:
    return doc(text, name)


def _grounded(answer, by_id) -> None:
    cited_exactly(answer, by_id)
    supported(answer)


# --- words that name the document -------------------------------------------------------------


def test_document_context_is_title_and_opening_paragraph():
    doc = _doc(SPEECH)
    context = document_context(doc)
    assert "推进会" in context and "青石乡" in context
    assert "巡护顾问" not in context  # the body is not the context


@pytest.mark.parametrize(
    "keywords, content",
    [
        (("青石乡", "推进会", "讲话", "护林员", "顾问"), ["护林员", "顾问"]),
        (("座谈会", "经费"), ["经费"]),  # a meeting word names the document
        # Only words naming the document: they are what is asked (old rule: non-title words).
        (("青石乡", "推进会"), ["青石乡"]),
    ],
)
def test_content_words_leave_out_the_document_words(keywords, content):
    context = "在全县林业工作推进会上的讲话\n今天我们在青石乡召开全县林业工作推进会"
    assert content_words(keywords, context, title="在全县林业工作推进会上的讲话") == content


@pytest.mark.parametrize(
    "question, expected",
    [
        ("青石乡推进会讲话里,为了发挥老护林员、老干部的作用,请他们担任什么?", "巡护顾问"),
        ("青石乡推进会讲话里,林区要构建的管护新格局是哪个“+”的提法?", "林长+网格化+信息化"),
        ("推进会讲话提到的“比技能·争先锋”到底是个什么活动?", "擂台赛"),
        ("推进会讲话里,要对接联系哪些人、吸引他们回乡创业?", "在外能人、企业家、高校毕业生"),
    ],
)
def test_document_words_do_not_block_an_answer(question, expected):
    answer, by_id = _answer(question, _doc(SPEECH))
    assert not answer.refused, answer.answer
    assert expected in answer.answer
    _grounded(answer, by_id)


@pytest.mark.parametrize(
    "question",
    [
        "青石乡推进会讲话里,巡护顾问每月补贴多少钱?",  # no figure written
        "青石乡推进会上,老护林员的平均年龄多大?",
        "参加推进会的县领导王大海具体是什么职务?",  # the sentence naming him states no post
        "青石乡推进会讲话里,擂台赛的奖金由谁发放?",
        "下一次全县林业工作推进会什么时候召开?",
    ],
)
def test_unanswerable_questions_are_still_refused(question):
    answer, _ = _answer(question, _doc(SPEECH))
    assert answer.refused and answer.answer == REFUSAL, answer.answer


# --- framing words of a question ----------------------------------------------------------------


@pytest.mark.parametrize(
    "question, absent",
    [
        ("市里这次推进会是按照哪个会议的部署要求来开的?", ("来开", "市里")),
        ("讲话里社区新格局是哪个“+”的提法?", ("提法",)),
        ("“比技能”到底是个什么活动?", ("到底",)),
    ],
)
def test_framing_words_are_not_keywords(question, absent):
    keywords = analyse(question).keywords
    assert not set(absent) & set(keywords), keywords


@pytest.mark.parametrize(
    "question, verbs",
    [
        ("“比技能·争先锋”是个什么活动?", ()),  # 什么活动: the kind of answer, not a predicate
        ("村级便利店要求什么时候之前建成?", ("建成",)),
    ],
)
def test_the_noun_after_shenme_is_no_predicate(question, verbs):
    assert predicate(question) == verbs


# --- a sentence read under its topic; artefacts of segmentation ---------------------------------

TOPICS = (
    "在全市乡村人才工作会议上的讲话\n"
    "同志们:今天召开全市乡村人才工作会议。\n"
    "要引导社会力量。要主动联系退休教师、返乡医生、大学毕业生等群体,动员他们回乡服务。\n"
    "要加强培训。每年培训乡村医生300名。\n"
)


def _answer_seen(question: str, doc: Document):
    """Weights as the index gives them: a word the document never uses is unseen (0)."""
    passages = [Passage(doc.doc_id, doc.title, 0, len(doc.text), doc.text, 1.0, 1)]
    return answer_extractive(question, analyse(question), passages, lambda _i: doc,
                             lambda k: 1.0 if k in doc.text else 0.0)


@pytest.mark.parametrize(
    "question, expected",
    [
        # 说乡 is the question's verb glued to a word; 引导社会力量 is said by the topic sentence.
        ("讲话说乡村要引导社会力量,要主动联系哪些人、动员他们回乡服务?", "退休教师、返乡医生、大学毕业生"),
    ],
)
def test_a_sentence_is_read_under_its_topic(question, expected):
    answer = _answer_seen(question, _doc(TOPICS, "topics"))
    assert not answer.refused, answer.answer
    assert expected in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "讲话说乡村要引导社会力量,要给回乡服务的人每月多少补贴?",
        "讲话里要联系哪些企业家投资办厂?",
    ],
)
def test_topic_reading_does_not_answer_what_is_not_written(question):
    answer = _answer_seen(question, _doc(TOPICS, "topics"))
    assert answer.refused, answer.answer


# --- colloquial totals and differences ----------------------------------------------------------

FIGURES = (
    "林业工作会议召开。来自各地的15名优秀护林员和9名后进护林员参加会议。"
    "全县组建巡护队12支,120名护林员入网巡护,85名党员联户走访。"
)


@pytest.mark.parametrize(
    "question, kind, unit",
    [
        ("入网巡护的护林员和联户走访的党员加在一起有多少人?", "total", "人"),
        ("优秀护林员比后进护林员多来了几个人?", "number", "人"),
        ("巡护队有几个?", "number", "个"),
    ],
)
def test_colloquial_totals_and_differences_are_read(question, kind, unit):
    intent = analyse(question)
    assert (intent.kind, intent.unit) == (kind, unit)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("入网巡护的护林员和联户走访的党员加在一起有多少人?", "205"),
        ("优秀护林员比后进护林员多来了几个人?", "6人"),
    ],
)
def test_colloquial_totals_and_differences_end_to_end(question, expected):
    answer, by_id = _answer(question, _doc(FIGURES, "figures"))
    assert not answer.refused, answer.answer
    assert expected in answer.answer.split("\n")[0]
    _grounded(answer, by_id)


# --- people of a level counted by name ----------------------------------------------------------

LEADERS = (
    "我县召开林业现场会\n"
    "5月6日,我县在青石乡召开林业现场会。县委书记张国强,县政协主席李文华,以及县其他有关领导,"
    "各乡镇党委书记参加会议。\n"
    "县委副书记王志远就贯彻会议精神作了讲话。\n"
    "会上,副县长赵明对护林工作作了具体部署。青石乡党委书记钱立新介绍了经验。\n"
)


@pytest.mark.parametrize(
    "question, count",
    [
        ("林业现场会那篇稿子里,写出名字的县领导一共有几位?", "共4位"),
        ("林业现场会上点了名的县领导一共几位?", "共4位"),
    ],
)
def test_leaders_of_a_level_are_counted_by_name(question, count):
    answer, by_id = _answer(question, _doc(LEADERS, "leaders"))
    assert not answer.refused, answer.answer
    head = answer.answer.split("\n")[0]
    assert head.startswith(count) and "钱立新" not in head
    _grounded(answer, by_id)


# --- counting the items a list writes -----------------------------------------------------------

LISTED = "全县林业工作会议讲话\n林业、水利、交通、金融等有关部门要主动靠前服务,出台配套政策。全县建成护林站12个。"


@pytest.mark.parametrize(
    "question, expected",
    [
        ("具体点了名的有关部门有几个?", "4个（林业、水利、交通、金融）"),
        ("全县建成护林站有几个?", "12个"),  # a written figure comes first
    ],
)
def test_the_items_a_list_names_are_counted(question, expected):
    answer, by_id = _answer(question, _doc(LISTED, "listed"))
    assert not answer.refused, answer.answer
    assert answer.answer.startswith(expected)
    _grounded(answer, by_id)


@pytest.mark.parametrize(
    "question",
    [
        "有关部门一共有几个?",  # 等: the list is not all of them, and the question asks for all
        "讲话里说的是哪几个部门?",  # 哪几个 asks for the items, not their number
    ],
)
def test_a_list_cut_by_deng_is_not_counted_unless_asked_for_the_named(question):
    answer, _ = _answer(question, _doc(LISTED, "listed"))
    assert not answer.answer.startswith("4个"), answer.answer


def test_the_place_of_a_named_person_is_the_one_in_his_item():
    text = ("林业座谈会召开\n会上,白河县青石镇护林员张建国、红山县石桥乡护林队长周大勇等6人作了发言。")
    answer, by_id = _answer("座谈会上发言的张建国是哪里的?", _doc(text, "place"))
    assert not answer.refused, answer.answer
    assert answer.answer.split("\n")[0].split("[")[0] in ("青石镇", "白河县", "白河县青石镇")
    _grounded(answer, by_id)
