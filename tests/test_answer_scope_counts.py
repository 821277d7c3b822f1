"""Classes of question the development corpus's train split showed refused with the
answer in the first passage: approximate figures with a magnitude (180余万元), people
counted with 个 (多少个代表 / 18名代表), hedged questions (大概多少人), a place named
earlier in the paragraph or by self-reference (在金山村，……村里; 全镇), and the one
speaker of an act read from the meeting frame. Made-up documents, no index."""

from __future__ import annotations

import pytest
from extractive_helpers import answer, cited_exactly, doc, supported
from test_answer_frame import _ask

from rag.answer_frame import Slot, read_slot
from rag.question import analyse, numbers
from rag.spans import find_typed


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("整合资金180余万元", "180", "余万元"), ("全乡有用户2300余户", "2300", "余户"),
     ("坚持了30多年", "30", "多年"), ("共计90余人", "90", "余人"), ("投入12.5万元", "12.5", "万元")],
)
def test_an_approximate_figure_keeps_its_marker_and_magnitude(text, value, unit):
    assert [(v, u) for _, _, v, u in numbers(text)] == [(value, unit)]


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [("镇里一共筹集了多少帮扶资金?", "今年镇里筹集各类帮扶资金260余万元，用于产业项目。", "260余万元"),
     ("来了多少个企业家代表?", "来自各行业的24名企业家代表参加座谈。", "24名"),
     ("推进会大概多少人参加?", "县乡两级干部共60余人参加会议。", "60余人")],
)
def test_figures_asked_in_another_wording_are_found(question, sentence, expected):
    found = find_typed(analyse(question), sentence)
    assert found is not None and found.text == expected


def test_a_person_counter_answers_only_for_the_noun_counted():
    # 个 asks for people only where the figure counts the noun the question names.
    assert find_typed(analyse("来了多少个企业家代表?"), "会上有6名干部发言，讨论了3项议题。") is None


def test_hedge_words_are_no_content_words():
    assert not {"大概", "大约", "左右"} & set(analyse("推进会大概有多少人参加，大约几点左右开始?").keywords)


VILLAGES = doc(
    "全县人居环境整治现场会召开\n"
    "5月20日，全县人居环境整治现场会召开，与会人员先后观摩了两个村。\n"
    "在青松村，家家户户的厕所都已改造完成。村党支部书记介绍，村里今年已完成改厕210座，改厕率达到95%。"
    "在白石村，改厕工作刚刚起步，改厕率只有40%。\n",
    "villages",
)


def test_a_place_named_earlier_in_the_paragraph_scopes_its_sentences():
    a, by_id = answer("青松村的改厕率是多少?", VILLAGES)
    assert not a.refused and a.answer.startswith("95%")
    cited_exactly(a, by_id)
    supported(a, first_line_only=True)


def test_a_place_named_since_ends_the_scope():
    a, _ = answer("白石村的改厕率是多少?", VILLAGES)
    assert a.answer.startswith("40%")


TOWN = doc(
    "在全镇秋冬季防火工作会议上的讲话\n"
    "同志们：今天召开会议，部署秋冬季防火工作。枫林镇地处林区，任务很重。\n"
    "今年全镇共设立防火检查站36处，配备专职护林员120名。\n",
    "town",
)


def test_a_town_referred_to_as_quanzhen_is_the_town_the_document_names():
    a, _ = answer("枫林镇设立了多少处防火检查站?", TOWN)
    assert not a.refused and a.answer.startswith("36处")


REPORT = doc(
    "白沙乡召开集体经济发展推进会\n"
    "3月8日，白沙乡召开村级集体经济发展推进会。乡党委副书记何春燕主持会议，"
    "乡长韦建国宣读了《集体经济三年行动方案》，县委常委、副县长陆志明出席会议并讲话。"
    "乡党委书记覃海波作总结讲话。\n",
    "baisha",
)


@pytest.mark.parametrize(
    ("question", "act", "level"),
    [("推进会上是谁讲的话?", "讲话", ""), ("行动方案是谁宣读的?", "宣读", ""),
     ("做点评的区里领导是谁?", "点评", "区"), ("哪位县领导作了讲话?", "讲话", "县")],
)
def test_read_slot_reads_the_act_and_level_of_a_speaker_question(question, act, level):
    sq = read_slot(question, analyse(question))
    assert sq is not None and sq.slot is Slot.SPEAKER and (sq.act, sq.level) == (act, level)


@pytest.mark.parametrize(
    "question", ["最后讲话的是哪位领导?", "陆志明讲话强调了什么?", "哪几个村作了表态发言?"]
)
def test_read_slot_leaves_order_named_speakers_and_groups_alone(question):
    sq = read_slot(question, analyse(question))
    assert sq is None or sq.slot is not Slot.SPEAKER


@pytest.mark.parametrize(
    ("question", "expected"),
    [("白沙乡推进会上《行动方案》是谁宣读的?", "韦建国"),
     ("白沙乡推进会上哪位县领导讲话?", "陆志明")],
)
def test_the_one_speaker_of_an_act_answers_from_the_frame(question, expected):
    a, by_id = _ask(question, REPORT)
    assert a is not None and a.strategy == "frame:speaker" and expected in a.answer.split("[1]")[0]
    cited_exactly(a, by_id)


def test_two_speakers_of_one_act_are_no_slot_answer():
    # 陆志明 讲话 and 覃海波 作总结讲话: "谁讲话" has two answers; the frame does not pick one.
    a, _ = _ask("白沙乡推进会上是谁讲的话?", REPORT)
    assert a is None


VISIT = doc(
    "全县茶产业发展现场推进会召开\n"
    "4月9日，全县茶产业发展现场推进会在云雾镇召开。会前，与会人员实地观摩了该镇有机茶示范园、"
    "茶叶加工中心和茶旅融合步道。\n"
    "随后，大家来到云峰村、茶坪村和石门村，实地察看了村级茶叶合作社的运营情况。\n"
    "会议要求各乡镇做好春茶采摘、加工和销售工作。\n",
    "visit",
)


@pytest.mark.parametrize(
    ("question", "verb"),
    [("大家实地观摩了哪几个点?", "观摩"), ("会议表彰了哪些先进集体?", "表彰"), ("要观摩哪几个点", "观摩")],
)
def test_the_verb_whose_object_a_list_question_asks_is_read(question, verb):
    assert analyse(question).extra.get("object_of") == verb


def test_a_list_question_led_by_its_subject_has_no_object_verb():
    assert "object_of" not in analyse("哪几个乡镇作了交流发言?").extra


@pytest.mark.parametrize(
    ("question", "expected"),
    [("茶产业推进会上大家观摩了哪几个点?", "有机茶示范园、茶叶加工中心和茶旅融合步道"),
     ("茶产业推进会后察看了哪几个村?", "云峰村、茶坪村和石门村")],
)
def test_the_list_a_verb_takes_answers(question, expected):
    a, by_id = answer(question, VISIT)
    assert not a.refused and a.answer.split("[1]")[0] == expected
    cited_exactly(a, by_id)
    supported(a, first_line_only=True)


def test_a_list_of_things_does_not_answer_which_villages():
    from rag.answer_lists import answer_objects
    from rag.extractive import candidate_sentences
    from rag.types import Passage

    q = "观摩了哪几个村?"
    intent = analyse(q)
    passages = [Passage(VISIT.doc_id, VISIT.title, 0, 60, VISIT.text[:60], 1.0, 1)]  # the first paragraph only
    sentences = candidate_sentences(passages, lambda _d: VISIT)
    for s in sentences:
        s.coverage = 1.0
    assert answer_objects(q, intent, sentences) is None


TRAINING = doc(
    "白沙乡村干部培训班开班\n"
    "6月3日，白沙乡村干部培训班开班。县委组织部副部长罗春华出席开班式并作动员讲话，乡党委书记黄志明讲话，"
    "乡长邓丽主持开班式。\n",
    "training",
)


def test_of_two_speeches_the_one_the_question_qualifies_answers():
    a, by_id = _ask("白沙乡培训班开班式上作动员讲话的是哪位?", TRAINING)
    assert a is not None and "罗春华" in a.answer.split("[1]")[0] and a.strategy == "frame:speaker"
    cited_exactly(a, by_id)


def test_the_act_read_is_the_one_asked_not_another_the_question_names():
    sq = read_slot("学习七一讲话那次，是谁领学的讲话原文?", analyse("学习七一讲话那次，是谁领学的讲话原文?"))
    assert sq is not None and sq.act == "领学"


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [("今年秋冬种计划种多少亩?", "今年全区计划完成秋冬种面积12.6万亩，其中油菜4.3万亩。", "12.6万亩"),
     ("因病返贫的风险占多大比例?", "监测户中，因病返贫风险占46%，因学返贫风险占12%。", "46%"),
     ("分红每股分多少钱?", "按股分红，每股分红120元。", "120元")],
)
def test_a_measure_asked_by_its_magnitude_or_wording(question, sentence, expected):
    intent = analyse(question)
    assert not {"占多大", "多少钱", "多大"} & set(intent.keywords)
    found = find_typed(intent, sentence)
    assert found is not None and found.text == expected


def test_a_total_keeps_the_magnitude_of_its_figures():
    from rag.spans import total_of

    intent = analyse("冷库收入和农机服务收入一共多少钱?")
    total = total_of(intent, "冷库全年租赁收入18.6万元，农机服务收入21.3万元。")
    assert total is not None and total.render().startswith("共39.9万元")
    assert total_of(intent, "冷库全年租赁收入18.6万元，农机服务收入500元。") is None


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [("供水管网改造要改多长?", "上世纪九十年代铺设的管网漏损严重，今年计划改造供水管网11.3公里。", "11.3公里"),
     ("现场签约总额多少?", "县商务局宣读了《2019年招商引资考核办法》，现场签约总额4.6亿元。", "4.6亿元"),
     ("培训一共几天?", "2019年全乡村党组织书记培训班为期3天。", "3天")],
)
def test_years_and_decades_are_no_figures_of_what_is_asked(question, sentence, expected):
    found = find_typed(analyse(question), sentence)
    assert found is not None and found.text == expected


def test_a_decade_is_not_a_number_of_years():
    assert numbers("上世纪九十年代") == [] and numbers("90年代") == []


def test_a_deadline_is_not_the_day_a_meeting_was_held():
    report = doc(
        "县政府常务会议研究养老保险工作\n会议审议了《城乡居民养老保险专项行动方案》。"
        "会议要求，县人社局6月30日前完成未参保人员逐户核查。\n",
        "deadline",
    )
    a, _ = answer("研究养老保险的这次会是哪天开的?", report)
    assert "6月30日" not in a.answer.split("\n")[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("时间：2025年1月9日（星期四）上午9:00", ["上午9:00"]), ("当天下午3时，在镇政府召开", ["下午3时"]),
     ("下午三点半开始", ["下午三点半"]), ("发布时间：2024-04-09 16:47 来源", []), ("一时难以解决", [])],
)
def test_times_of_day(text, expected):
    from rag.question import times

    assert [t for _, _, t in times(text)] == expected


def test_a_time_question_is_answered_with_the_time():
    notice = doc("关于召开防汛调度会的通知\n一、会议时间\n2025年6月3日（星期二）上午9:30\n二、会议地点\n镇政府三楼会议室\n", "notice")
    a, _ = answer("防汛调度会上午几点开始?", notice)
    assert a.answer.startswith("上午9:30")


@pytest.mark.parametrize(
    ("question", "sentence"),
    [("石门村油茶项目投资了多少钱?", "石门村党总支书记介绍，该村去年引进油茶精深加工项目，投资xx万元，今年村集体经营性收入预计突破52万元。"),
     ("地质灾害隐患点里，青石镇有多少处?", "全县共登记在册地质灾害隐患点83处，其中青石镇就有xx处。")],
)
def test_a_hidden_figure_the_question_is_about_is_said_hidden(question, sentence):
    a, _ = answer(question, doc("某县推进会\n" + sentence + "\n", "hidden"))
    assert a.refused and "隐去" in a.answer


def test_an_age_is_asked_in_years():
    intent = analyse("主持会议的副县长今年多大岁数?")
    assert intent.unit == "岁"
    assert find_typed(intent, "副县长邱立群主持会议，全县15个乡镇参加。") is None


@pytest.mark.parametrize(
    ("word", "text", "expected"),
    [("禁烧会", "龙潭镇召开秋冬季秸秆禁烧和综合利用工作部署会", True), ("部署会", "召开换届选举工作部署会议", True),
     ("禁烧会", "全镇开展秸秆禁烧巡查，严防火情发生，确保不烧一把火。", False)],
)
def test_a_meeting_a_user_coins_from_its_topic(word, text, expected):
    from rag.zh.predicates import written_meeting

    assert written_meeting(word, text) is expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [("驻村干部每个月至少要在村里待几天?", "驻村干部要严格落实在岗要求，每月驻村时间不少于20天。", "20天"),
     ("交流发言最多能讲几分钟?", "交流发言时间控制在8分钟以内。", "8分钟")],
)
def test_a_bound_asked_is_no_content_word(question, sentence, expected):
    intent = analyse(question)
    assert not {"至少", "最多"} & set(intent.keywords)
    a, _ = answer(question, doc("某镇驻村工作座谈会\n" + sentence + "\n", "bound"))
    assert a.answer.startswith(expected)


def test_who_led_a_visit_is_read_like_any_act():
    visit = doc(
        "全县抓党建促乡村振兴现场观摩会召开\n"
        "11月3日，全县抓党建促乡村振兴现场观摩会召开。县委副书记韩志远带队，各乡镇党委书记共40余人参加观摩。\n",
        "lead",
    )
    a, by_id = _ask("现场观摩会谁带的队?", visit)
    assert a is not None and a.strategy == "frame:speaker" and "韩志远" in a.answer.split("[1]")[0]
    cited_exactly(a, by_id)
