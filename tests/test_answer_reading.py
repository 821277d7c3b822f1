"""How a question and its document are read, classes the development corpus's train split
showed refused with the answer in the first passage: a fact reported after a reporting act
(X通报了……情况。目前全县共有……), a speech's byline naming the document, the meeting a
question names in its own words (建党百年表彰会上), any counter answering 多少个 (四十二处),
jieba cutting across a setting or a place (大会上|作发言, 永陵镇|森防会), an item's number
that is no figure (议题：1.讨论), a full stop typed as "." before a digit, a news report's
byline (记者X 通讯员Y). Made-up documents, no index."""

from __future__ import annotations

import pytest
from extractive_helpers import answer, cited_exactly, doc, supported

from rag.chunking import split_sentences
from rag.question import analyse, meeting_phrase, numbers
from rag.spans import find_typed
from rag.zh.days import range_days

REPORT = doc(
    "丰源县召开村级组织换届工作部署会\n"
    "本报讯（记者 韦立群 通讯员 陶晓安 蒋一鸣）3月8日，丰源县召开村级组织换届工作部署会。"
    "县委副书记秦海川出席会议并讲话，县委常委、组织部部长雷芳主持会议。\n"
    "会上，雷芳通报了全县村级组织运行情况。目前全县共有行政村158个，村党组织书记平均年龄52岁。"
    "县民政局就选举程序作了说明。\n"
    "秦海川强调，要把政治标准放在首位，严把人选资格关。\n"
    "全县各乡镇党委书记、组织委员等90余人参加会议。\n",
    "report",
)

SPEECH = doc(
    "在全镇庆祝建党一百周年暨表彰大会上的讲话\n"
    "镇党委书记  邝永年\n"
    "（6月30日）\n"
    "同志们：\n"
    "今天我们在这里隆重集会，庆祝党的百年华诞，表彰一批先进基层党组织和优秀共产党员。\n"
    "当前我们的党员队伍还存在不少问题。一是结构老化，全镇60岁以上党员占比达到43%，有的村三年没有发展党员。\n"
    "二是活动不够经常。今年全镇计划发展党员不少于35名，其中青年党员不少于一半。\n",
    "speech",
)


def test_a_fact_after_a_reporting_act_is_what_was_reported():
    # 通报 is written in the sentence before; the figure's sentence goes on with the report.
    a, by_id = answer("换届部署会上通报，全县一共有多少个行政村?", REPORT)
    assert not a.refused and a.answer.startswith("158个")
    cited_exactly(a, by_id)
    supported(a, first_line_only=True)


def test_the_reporting_act_alone_does_not_make_any_later_sentence_an_answer():
    # The act is carried only to a sentence that says the rest of what is asked.
    a, _ = answer("部署会上通报了多少个软弱涣散村?", REPORT)
    assert a.refused or "158" not in a.answer


def test_a_speech_byline_names_the_document():
    # 邝永年 is the byline's speaker: the answer's sentence need not repeat him.
    a, by_id = answer("邝永年在表彰大会讲话中说全镇60岁以上党员占比多少?", SPEECH)
    assert not a.refused and a.answer.startswith("43%")
    cited_exactly(a, by_id)


def test_the_meeting_a_question_names_in_its_own_words_picks_the_document():
    a, by_id = answer("建党百年表彰会上邝书记说今年全镇计划发展多少名党员?", SPEECH)
    assert not a.refused and a.answer.startswith("35名")
    cited_exactly(a, by_id)


@pytest.mark.parametrize(
    ("question", "phrase"),
    [("建党百年两优一先表彰会上莫书记说了什么", "建党百年两优一先表彰会"),
     ("覃县长参加的那个第一书记和新乡贤座谈会上谁发了言", "第一书记和新乡贤座谈会"),
     ("在“1331”现场会上讲话的是谁", "1331现场会"),
     ("会后座谈会有几名村支书发言", ""),
     ("石桥镇述职会每个书记述职限时多久", "")],
)
def test_the_meeting_phrase_is_read_from_the_question(question, phrase):
    assert meeting_phrase(question) == phrase


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [("全镇现在一共设了多少个进山卡点?", "截至目前，全镇共设进山卡点四十二处，护林员116人。", "四十二处"),
     ("今年以来发现处置了多少起野外违规用火?", "今年以来，全县共发现并处置野外违规用火142起。", "142起"),
     ("新装了多少台雨量监测站?", "给隐患点新装自动雨量监测站25台、裂缝报警器42套。", "25台")],
)
def test_any_counter_of_the_noun_asked_answers(question, sentence, expected):
    found = find_typed(analyse(question), sentence)
    assert found is not None and found.text == expected


def test_a_counter_answers_only_for_the_noun_written_at_the_figure():
    # 83处 counts 隐患点, not 村; 茶园镇 written after it is no counted noun.
    found = find_typed(analyse("茶园镇有多少个村?"), "全县共登记隐患点83处，其中茶园镇就有xx处。")
    assert found is None or found.text != "83处"


@pytest.mark.parametrize(
    ("question", "absent"),
    [("两优一先表彰大会上作发言的三位代表是谁", {"上作"}),
     ("莫书记在表彰大会讲话中说全镇党员有多少", {"中说"}),
     ("参会名单什么时候之前报 报给谁", {"报给"}),
     ("协调会参会名单里列了多少个单位", {"里列"})],
)
def test_jieba_does_not_cut_across_a_setting_or_a_function_word(question, absent):
    assert not absent & set(analyse(question).keywords)


def test_the_setting_split_keeps_words_that_start_with_its_postposition():
    # 会上午: 上午 is a word, not 会上 + 午.
    assert analyse("调度会上午几点开始?").kind == "time"


@pytest.mark.parametrize(
    ("text", "figures"),
    [("会议议题：1.讨论2017年度收益分配方案；2.选举监委会成员", [("2017", "年")]),
     ("可分配收益19.5万元。", [("19.5", "万元")]),
     ("一、基本情况 共3.5万元", [("3.5", "万元")])],
)
def test_an_items_number_is_no_figure(text, figures):
    assert [(v, u) for _, _, v, u in numbers(text)] == figures


def test_a_full_stop_typed_as_a_dot_before_a_digit_ends_the_sentence():
    text = "全县共处置违规用火142起,占到三分之二.2月14日,白沙乡发生一起山火."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "全县共处置违规用火142起,占到三分之二.", "2月14日,白沙乡发生一起山火."]


@pytest.mark.parametrize(
    ("question", "expected"),
    [("报道这次部署会的记者是哪位?", "韦立群"), ("部署会这篇报道是哪两个通讯员写的?", "陶晓安、蒋一鸣")],
)
def test_a_news_reports_byline_answers_who_wrote_it(question, expected):
    a, by_id = answer(question, REPORT)
    assert not a.refused and a.answer.startswith(expected), a.answer
    cited_exactly(a, by_id)


def test_the_noun_after_which_is_the_kind_of_answer():
    assert "领导" not in analyse("述职评议会是哪位县领导到会点评的?").keywords


PROGRESS = doc(
    "全镇人居环境整治推进会召开\n"
    "5月9日，全镇人居环境整治推进会召开。\n"
    "镇长葛文山通报，今年县里下达我镇农村户厕改造任务920户，目前已完成了350户，任务还很重。"
    "上月联合检查共发现垃圾乱堆问题64处，到目前还有15处没有整改到位。"
    "全镇安排污水治理项目38个，目前已完工21个。\n",
    "progress",
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [("户厕改造还剩多少户没完成?", "570户（920-350）"),
     ("污水治理项目还有多少个没完工?", "17个（38-21）"),
     ("垃圾乱堆问题已经整改好了多少处?", "49处（64-15）"),
     ("垃圾乱堆问题还有多少处没整改?", "15处")],
)
def test_what_is_left_of_a_task_and_what_is_done(question, expected):
    a, by_id = answer(question, PROGRESS)
    assert not a.refused and a.answer.startswith(expected), a.answer
    cited_exactly(a, by_id)
    supported(a, first_line_only=True)


HIDDEN = doc(
    "青石乡防汛调度会召开\n"
    "6月2日，青石乡召开防汛调度会。乡党委书记韦振东主持会议，乡党委副书记、乡长 XXX 讲话。\n"
    "会上，乡应急办主任吴立新通报了汛情，县水利局、县气象局分别作了情况说明。"
    "乡党委委员、宣传委员邓*就防汛宣传作了部署。\n",
    "hidden",
)


@pytest.mark.parametrize(
    "question", ["青石乡防汛调度会上讲话的乡长叫什么?", "防汛调度会上部署防汛宣传的宣传委员叫什么名字?"]
)
def test_the_name_of_a_post_written_before_a_hidden_name_is_hidden(question):
    a, _ = answer(question, HIDDEN)
    assert "隐去" in a.answer, a.answer


def test_who_did_an_act_is_named_in_its_clause_or_not_at_all():
    # 吴立新 通报; the 情况说明 was made by two bureaus, no person.
    a, _ = answer("防汛调度会上县气象局是哪位同志作的情况说明?", HIDDEN)
    assert a.refused or "吴立新" not in a.answer, a.answer


def test_the_reports_own_date_is_not_the_day_of_another_event():
    a, _ = answer("青石乡防汛调度会的汛情会商安排在哪一天?", HIDDEN)
    assert a.refused or "6月2日" not in a.answer, a.answer


@pytest.mark.parametrize(
    ("text", "days"),
    [("于9月9日至10月25日开展巡察", 47), ("2024年2月20日至3月1日", 11), ("12月20日至1月5日", 17),
     ("4月9日至25日", 17), ("9月9日", None), ("2月30日至3月2日", None)],
)
def test_the_days_a_date_range_spans_count_both_ends(text, days):
    assert range_days(text) == days


INSPECTION = doc(
    "县委第二巡察组巡察枫林镇情况反馈会召开\n"
    "11月28日，县委第二巡察组向枫林镇党委反馈巡察情况。县委第二巡察组于9月9日至10月25日对枫林镇党委开展了常规巡察。\n",
    "inspection",
)


@pytest.mark.parametrize("question", ["第二巡察组在枫林镇一共巡察了多少天?", "第二巡察组在枫林镇巡察了多长时间?"])
def test_a_duration_asked_is_counted_from_the_range_written(question):
    a, by_id = answer(question, INSPECTION)
    assert a.answer.startswith("47天（9月9日至10月25日）"), a.answer
    cited_exactly(a, by_id)
    supported(a, first_line_only=True)


def test_the_guard_checks_a_day_count_against_its_range():
    from rag.guard import support

    assert support("47天（9月9日至10月25日）", "巡察组于9月9日至10月25日开展巡察。")[0]
    assert not support("50天（9月9日至10月25日）", "巡察组于9月9日至10月25日开展巡察。")[0]


@pytest.mark.parametrize(
    ("chair", "expected"),
    [("王建国", "4人（吕红梅、张晓山、王建国、马德胜）"),
     ("刘长海", None)],  # 刘长海 is not read as a name here: a count missing him is no answer
)
def test_the_people_named_for_the_act_asked_are_counted(chair, expected):
    text = doc(
        "青石乡中心组学习会召开\n"
        f"交流研讨环节，乡党委副书记吕红梅、乡党委委员、宣传委员张晓山、乡人大主席{chair}和武装部部长马德胜先后作交流发言。\n",
        "counted",
    )
    a, by_id = answer("青石乡中心组学习会交流研讨环节一共几个人发言?", text)
    if expected is None:
        assert "3人" not in a.answer, a.answer
        return
    assert a.answer.startswith(expected), a.answer
    cited_exactly(a, by_id)
    supported(a, first_line_only=True)


def test_a_clause_that_opens_with_its_act_goes_on_with_the_subject_before_it():
    text = doc(
        "青石乡防汛调度会召开\n"
        "6月2日，青石乡召开防汛调度会。会上，乡应急办主任吴立新首先发言，介绍了去年抢险的经验做法。\n",
        "subject",
    )
    a, by_id = answer("青石乡防汛调度会上是谁介绍了去年抢险的经验做法?", text)
    assert "吴立新" in a.answer, a.answer
    cited_exactly(a, by_id)


DEADLINES = doc(
    "青石乡防汛工作部署会召开\n"
    "6月2日，青石乡召开防汛工作部署会。乡长葛文山要求，各村要在6月10日前把责任分工表报乡应急办，"
    "迎接县防汛办的汛前检查。\n",
    "deadlines",
)


@pytest.mark.parametrize("question", ["各村责任分工表啥时候交?", "责任分工表最晚哪天报乡应急办?"])
def test_a_date_asked_of_what_is_handed_in_is_a_deadline(question):
    assert analyse(question).extra.get("deadline")
    a, by_id = answer(question, DEADLINES)
    assert a.answer.startswith("6月10日"), a.answer
    cited_exactly(a, by_id)


def test_a_deadline_is_not_the_day_something_happens():
    # 6月10日前 is when the forms are due, not when the county's check comes.
    a, _ = answer("县防汛办的汛前检查具体哪天来?", DEADLINES)
    assert "6月10日" not in a.answer, a.answer


ROUTINE = doc(
    "白石县观摩评比会召开\n"
    "许书记要求，乡镇党委书记每季度向县委专题汇报一次工作。王局长要牵头把应急物资储备情况再摸一遍底，"
    "5月20日前将清单报县政府办。\n",
    "routine",
)


def test_how_often_is_answered_by_the_period_written():
    a, by_id = answer("许书记要求乡镇党委书记多久向县委专题汇报一次?", ROUTINE)
    assert a.answer.startswith("每季度"), a.answer
    cited_exactly(a, by_id)


def test_a_person_named_by_surname_and_post_answers_who():
    a, by_id = answer("应急物资储备再摸底这件事谁牵头?", ROUTINE)
    assert a.answer.startswith("王局长"), a.answer
    cited_exactly(a, by_id)


@pytest.mark.parametrize(("question", "absent"), [("清单最晚哪天前要报上去?", {"最晚", "报上去", "上去"}),
                                                  ("材料什么时候交上来?", {"交上来", "上来"})])
def test_a_verbs_direction_and_how_late_are_no_content_words(question, absent):
    assert not absent & set(analyse(question).keywords)
    assert not absent & set(analyse(question).extra.get("predicate", ()))


def test_one_month_is_a_time_and_one_person_is_no_figure():
    assert [(v, u) for _, _, v, u in numbers("要在一个月内反馈办理结果")] == [("1", "个月")]
    assert numbers("一名同志、一个村") == []


def test_each_one_is_no_content_word():
    assert not {"每个", "每名", "每位"} & set(analyse("每个书记述职限时多久，每名党员交多少党费?").keywords)


def test_a_report_cut_before_its_start_is_named_by_the_sentence_holding_its_meeting():
    text = doc(
        "村集体经济“清零”的目标任务，并对下一步工作进行了再安排、再部署。\n"
        "5月9日上午，白沙镇召开“强村富民”集体经济攻坚动员大会。镇长程立新宣读了实施方案。\n"
        "会上，下湾村党支部书记葛振山表示，村里将新建标准化香菇大棚12个。\n",
        "cut",
    )
    a, by_id = answer("白沙镇下湾村准备新建多少个香菇大棚?", text)
    assert a.answer.startswith("12个"), a.answer
    cited_exactly(a, by_id)


# --- what an answer must be, by what is asked: questions whose answer the document lacks ----

FIRE = doc(
    "青山县召开春季森林防灭火工作调度会\n"
    "3月26日下午，青山县在大坪镇召开全县春季森林防灭火工作调度会。县长郝东出席会议并讲话，"
    "副县长、县森林防火指挥部总指挥邱立群主持会议。\n"
    "县林业局局长吴海峰就全县森林防火工作情况作了通报，县委组织部吴股长作了解读。\n"
    "会议要求，各乡镇要在4月10日前完成隐患排查。\n",
    "fire",
)


@pytest.mark.parametrize(
    "question",
    ["青山县防灭火调度会上，主持会议的邱立群副县长今年多大岁数？",  # a figure about the chair, not the chair
     "调度会上作解读的县委组织部吴股长，全名叫什么？",  # 吴股长 again is no full name
     "青山县防灭火调度会是在大坪镇哪个会议室开的？",  # a town is no room
     "防灭火调度会下一次什么时候开？"],  # this meeting's day is not the next one's
)
def test_an_answer_of_another_kind_than_asked_is_refused(question):
    a, _ = answer(question, FIRE)
    assert a.refused, a.answer


def test_a_full_name_of_the_surname_asked_answers():
    a, by_id = answer("通报情况的吴局长全名叫什么？", FIRE)
    assert not a.refused and "吴海峰" in a.answer
    cited_exactly(a, by_id)


def test_a_which_places_question_is_not_answered_by_a_sentence_naming_none():
    text = doc("白鹭县观摩评比总结会召开\n11月2日，白鹭县召开观摩评比总结会。排名后三位的乡镇由县委书记现场约谈提醒。\n", "rank")
    a, _ = answer("观摩评比排名后三位、被约谈的是哪几个乡镇？", text)
    assert a.refused, a.answer


@pytest.mark.parametrize(
    ("question", "absent"),
    [("第一书记和新乡贤座谈会上一共有多少人发言", ("parts", "count_people")),  # the 和 is in the meeting's name
     ("元阳县县长全名叫什么", ())],
)
def test_the_meetings_name_and_a_places_level_are_read_as_one(question, absent):
    intent = analyse(question)
    assert not any(k in intent.extra for k in absent)
    assert intent.kind in ("total", "person")
    assert "县长" in intent.keywords or intent.kind == "total"


def test_glued_asking_words_are_cut_off_the_word_before():
    # jieba: 边缘户加起来 -> 户加|起来; the parts stay what the question adds.
    intent = analyse("监测户和边缘户加起来一共多少人")
    assert intent.keywords == ("监测", "边缘") and intent.extra["parts"] == ("监测户", "边缘户")


POINTED = doc(
    "渔港街道村（社区）党组织书记擂台比武举行\n"
    "12月3日，渔港街道举行村（社区）党组织书记擂台比武。区委组织部副部长，区委两新工委书记苏文斌到会指导。\n"
    "苏部长在点评中指出，此次比武比出了差距。\n",
    "pointed",
)


def test_a_person_answered_by_surname_and_post_is_named_in_full():
    a, by_id = answer("擂台比武上做点评的领导是谁？", POINTED)
    assert not a.refused and a.answer.startswith("苏部长[1]，即区委组织部副部长，区委两新工委书记苏文斌[2]"), a.answer
    cited_exactly(a, by_id)
    supported(a, first_line_only=True)


def test_a_meeting_named_by_some_characters_of_its_topic_names_the_document():
    from rag.zh.predicates import written_meeting
    assert written_meeting("森防会", "关于召开全镇春季森林防灭火工作调度会议的通知")
    assert written_meeting("禁烧会", "秸秆禁烧和综合利用工作部署会")
    assert not written_meeting("森防会", "全县森林资源保护和防火工作会议")  # too far apart
    assert not written_meeting("党建会", "全县农业工作会议")


PIPES = doc(
    "新街镇召开民生项目推进会\n"
    "5月6日，新街镇召开民生项目推进会。会议听取了新街镇供水管网改造项目的进展汇报。"
    "项目计划改造主管网约11.3公里，涉及居民2100余户。\n",
    "pipes",
)


def test_a_sentence_referring_back_is_read_with_the_one_before():
    # 项目 refers to the 供水管网改造项目 of the sentence before, which holds the question's words.
    a, by_id = answer("新街镇供水管网改造要改多长?", PIPES)
    assert not a.refused and a.answer.startswith("11.3公里"), a.answer
    cited_exactly(a, by_id)


def test_a_list_written_with_commas_is_what_the_verb_takes():
    from rag.answer_lists import _comma_list
    assert _comma_list("会场布置,音响调试,横幅和奖牌制作;镇党建办负责") == (0, 17)
    assert _comma_list("金山村,随后召开座谈会") is None  # a clause of its own is no item


@pytest.mark.parametrize(("question", "kind"), [("元阳县县长全名叫什么", "person")])
def test_a_full_name_question_asks_for_a_person(question, kind):
    intent = analyse(question)
    assert intent.kind == kind and intent.extra.get("full_name")


def test_a_surname_and_post_is_no_full_name():
    text = doc("元阳县政府常务会议召开\n5月3日，县政府召开常务会议。李副县长强调，要把政策讲明白。\n", "full")
    a, _ = answer("元阳县李副县长全名叫什么", text)
    assert a.refused, a.answer


SENT = doc(
    "石桥镇召开第一书记座谈会\n4月3日，石桥镇召开第一书记座谈会。随后，与会人员逐一发言。"
    "县交通运输局派驻石桥村第一书记范志远介绍了该村发展香菇大棚的经验。"
    "县生态环境局龙潭分局许局长对禁烧监管要求作了说明。"
    "省农科院派驻凤鸣镇石龙村第一书记黄永辉则讲起了自己的困惑。\n",
    "sent",
)


@pytest.mark.parametrize(
    ("question", "body"),
    [("范志远是哪个单位派下来的第一书记？", "县交通运输局"),  # the body that sent him (…派驻)
     ("许局长是哪个单位的", "县生态环境局龙潭分局"),  # two names in a row are one body
     ("黄永辉是哪个单位派驻的", "省农科院")],
)
def test_the_body_a_person_comes_from_is_written_before_them(question, body):
    a, by_id = answer(question, SENT)
    assert not a.refused and a.answer.startswith(f"{body}[1]"), a.answer
    cited_exactly(a, by_id)


def test_no_body_before_the_person_is_no_answer():
    a, _ = answer("石桥镇镇长是哪个单位的", SENT)
    assert a.refused, a.answer


def test_a_follow_up_pronoun_takes_the_person_answered_by_surname_and_post():
    from rag.pipeline import Pipeline
    question, _ = Pipeline.standalone(None, "他是什么职务?", [("调度会谁主持的", "许书记[1]\n原文：主持人：許書記[1]")], None)
    assert question == "许书记是什么职务?"


def test_a_question_naming_nothing_goes_on_about_the_last_turns_meeting():
    from rag.pipeline import _elliptical
    assert _elliptical("占年度任务的百分之多少?") and _elliptical("得了多少分?")
    assert not _elliptical("石桥镇调度会在哪开的?")  # names its own meeting and place
    assert not _elliptical("3月5日那次会谁主持?")


def test_a_score_is_a_figure_and_a_time_of_day_is_not():
    assert analyse("第一名得了多少分?").unit == "分"
    assert analyse("每人讲几分钟?").unit == "时长"
    assert [(v, u) for _, _, v, u in numbers("综合得分92.6分，8时30分开始，9:00报到")] == [("92.6", "分")]


@pytest.mark.parametrize(("question", "junk"), [("东坡村村民代表会议开会前去观摩了哪些地方？", "前去"),
                                                ("开会前要准备什么材料", "前要")])
def test_before_or_after_the_meeting_is_cut_off_the_verb_after_it(question, junk):
    assert junk not in analyse(question).keywords


def test_the_colon_of_a_time_ends_no_clause():
    from rag.spans import _clauses
    text = "8:30-10:00在韩村镇王圩村、河东村现场观摩；时间:9月1日"
    assert [text[a:b] for a, b in _clauses(text)] == ["8:30-10:00在韩村镇王圩村、河东村现场观摩；", "时间:", "9月1日"]


def test_what_was_visited_is_listed_from_the_verb_of_going():
    from rag.answer_lists import _object_list
    text = "会前，与会人员在村党支部副书记的带领下，先后到村集体的300亩黄金梨采摘园、新建成的冷库和农机服务合作社进行实地观摩。"
    at = text.find("观摩")
    a, b = _object_list(text, at, at + 2, True)
    assert text[a:b] == "村集体的300亩黄金梨采摘园、新建成的冷库和农机服务合作社"


@pytest.mark.parametrize(("question", "unit"), [("暴雨时连夜转移了多少群众？", "人"), ("一共来了多少村民代表", "人"),
                                                ("全镇有多少党员", "人"), ("一共几个村", "个")])
def test_a_count_of_people_named_by_what_they_are_asks_for_people(question, unit):
    assert analyse(question).unit == unit


NOTICE_ITEMS = doc(
    "关于召开庆祝建党97周年暨七一表彰大会的通知\n一、会议时间\n6月29日上午9:00。\n二、会议地点\n镇政府三楼会议室。\n"
    "三,会议内容\n(一)镇长胡*宣读表彰决定;\n(二)为受表彰的先进基层党组织颁奖;\n(三)新党员入党宣誓;\n(四)镇党委书记冯永刚讲话.\n"
    "四、参会人员\n(一)镇党委班子成员;\n(二)各村党支部书记.\n五,有关要求\n(一)各村要认真组织;\n(二)参会人员着装整洁.\n"
    "请各村于6月27日前将参会人员名单报镇党政办。\n",
    "items",
)


@pytest.mark.parametrize(
    ("question", "start"),
    [("七一表彰大会一共安排了几项会议内容？", "4项：(一)镇长胡*宣读表彰决定 (二)"),  # 会议内容 heads the section
     ("会议议程一共有几项", "4项：(一)"),  # 议程 is the notice's 会议内容
     ("通知提了几条要求", "2条：(一)各村要认真组织 (二)参会人员着装整洁")],
)
def test_the_numbered_items_of_the_section_asked_are_counted(question, start):
    a, by_id = answer(question, NOTICE_ITEMS)
    assert not a.refused and a.answer.startswith(start), a.answer
    cited_exactly(a, by_id)
    supported(a, first_line_only=True)


def test_a_question_naming_its_own_meeting_is_no_follow_up():
    from rag.pipeline import _elliptical
    assert not _elliptical("安全测试会由谁主持?")  # 安全测试会 names a meeting, whatever the last turn was
    assert _elliptical("会上谁讲话?")
