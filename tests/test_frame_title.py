"""The meeting's title is never a page's furniture: a site's or an account's name, a
bulletin's masthead, a post's time stamp, navigation. Made-up documents."""

from __future__ import annotations

import pytest

from rag.metadata import make_document
from rag.rules_facts import title

BODY = "12月7日上午，槐树街道召开2021—2022年度农村党员冬春训练动员部署会，街道党工委书记罗建平讲话。"


@pytest.mark.parametrize(
    "head",
    [
        "连城县四堡乡人民政府网\n今天是:2018年1月26日星期五    [登录] [注册]    搜索\n",
        "槐树街道工作简报\n第12期\n槐树街道党政办公室编                2021年12月10日\n",
        "金川凤鸣发布 2023-06-30 18:30 发表于金川\n",
    ],
)
def test_page_furniture_is_not_the_title(head):
    doc = make_document(head + BODY, "furniture.txt")
    got = title(doc)
    assert got is not None and got.value == "2021—2022年度农村党员冬春训练动员部署会"
    assert doc.text[got.evidence.start : got.evidence.end] == got.value


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # meetings named by what is done there
        ("5月9日,县委组织部在县委党校召开全县村党组织书记培训班开班仪式。", "全县村党组织书记培训班开班仪式"),
        ("6月18日上午,县委理论学习中心组召开2025年第三次集体学习会。", "2025年第三次集体学习会"),
        ("近日,县委组织部组织召开全县组织工作务虚会,部机关全体干部参加。", "全县组织工作务虚会"),
        ("11月2日,全县冬春火灾防控工作会商会在县消防救援大队召开。", "全县冬春火灾防控工作会商会"),
        ("3月28日,我县举行2025年重点项目集中开工仪式。", "2025年重点项目集中开工仪式"),
        # an event carried out rather than convened, in the report's first sentences
        ("6月28日,青山村党支部开展“七一”主题党日活动。", "“七一”主题党日活动"),
        ("下一步,各村要开展“清河护河”志愿活动。", None),
        # held in a form rather than at a place
        ("12月3日,全县党员冬训工作动员会以视频会议形式召开。", "全县党员冬训工作动员会"),
        # a minutes field naming the meeting; a heading 会议纪要 names none
        ("会议纪要\n时间:2025年3月2日\n会议名称:全镇春季植树造林工作调度会\n", "全镇春季植树造林工作调度会"),
        ("县委第三巡察组向柳湾镇党委反馈巡察情况会议记录\n时间:2025年3月2日\n", "县委第三巡察组向柳湾镇党委反馈巡察情况会议"),
        # the report's first sentence names the meeting in full where the headline shortened it
        ("石门县召开驻村第一书记座谈会\n\n6月20日,全县驻村第一书记工作交流会暨新乡贤助力乡村振兴座谈会在黄水镇召开。",
         "全县驻村第一书记工作交流会暨新乡贤助力乡村振兴座谈会"),
        ("全县特色产业发展现场推进会在桃源乡召开\n\n10月24日,溪口县特色产业发展暨\"党建+产业\"现场推进会在桃源乡召开。",
         "溪口县特色产业发展暨\"党建+产业\"现场推进会"),
        # a year and an issue number in front say no more than the headline
        ("六坝镇党委中心组召开专题学习会议\n\n6月21日,六坝镇党委中心组召开2019年第六次专题学习会议。", "专题学习会议"),
    ],
)
def test_meetings_named_in_other_words(text, name):
    doc = make_document(text, "made_up.txt")
    got = title(doc)
    assert (got.value if got else None) == name
    if got is not None:
        assert doc.text[got.evidence.start : got.evidence.end] == got.value


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a headline's slogan or column tag before its subject
        ("学党史 悟思想 办实事——白云镇推进党史学习教育\n\n今年以来,白云镇扎实推进党史学习教育。",
         "白云镇推进党史学习教育"),
        # the headline says more than the sentence: it stays
        ("我县举行2025年春季征兵欢送仪式\n\n3月5日上午,县人武部在县广场举行新兵欢送仪式。", "2025年春季征兵欢送仪式"),
        # a training carried out
        ("5月20日,白云镇组织开展党史学习教育专题培训,全镇党员干部60余人参加。", "党史学习教育专题培训"),
    ],
)
def test_headlines_with_slogans_and_trainings_carried_out(text, name):
    got = title(make_document(text, "made_up.txt"))
    assert got is not None and got.value == name


def test_the_date_of_an_event_carried_out():
    from rag.rules_facts import dates

    doc = make_document("5月20日,白云镇组织开展党史学习教育专题培训,全镇党员干部60余人参加。", "made_up.txt")
    assert [d.value for d in dates(doc) if d.kind == "meeting"] == ["5月20日"]
    doc = make_document("今年4月9日至5月25日,县委巡察组对大滩镇党委开展了常规巡察。", "made_up.txt")
    assert [d.value for d in dates(doc) if d.kind == "meeting"] == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # a masked day in a speech's date line, a time field, a held sentence
        ("在全镇安全生产工作会议上的讲话\n乡党委副书记、乡长 XXX\n(2024年3月**日)\n同志们:\n", "2024年3月**日"),
        ("一、会议时间\n2025年1月**日(星期四)上午9:00\n", "2025年1月**日"),
        ("3月XX日,柳河镇召开防汛工作会议。", "3月XX日"),
        # a masked deadline is no meeting date
        ("请各村于1月**日前报送材料。", None),
    ],
)
def test_masked_meeting_dates(text, date):
    from rag.rules_facts import dates

    got = [d.value for d in dates(make_document(text, "made_up.txt")) if d.kind == "meeting"]
    assert got == ([date] if date else [])


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("5月8日,县应急管理局在白沙镇举行2025年森林防火应急演练。", "2025年森林防火应急演练"),
        ("6月3日晚,红岩村在村文化广场召开人居环境整治院坝会。", "人居环境整治院坝会"),
    ],
)
def test_events_held_rather_than_sat(text, name):
    got = title(make_document(text, "made_up.txt"))
    assert got is not None and got.value == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # an excerpt names its meeting only in passing
        ("要在要素保障上持续发力,推动签约项目早落地、早开工。签约仪式上,澄江镇与八家企业现场签订投资协议,协议总投资三十七亿元。",
         "签约仪式"),
        ("工作要落实到每一个村组、每一处隐患点。在全县防汛工作会议上,县长贾立新强调,要守住底线。", "全县防汛工作会议"),
        # what was said about a meeting is no name of this one
        ("对座谈会上反映的问题,各单位要逐条梳理、建立台账,一周内拿出办理意见,一个月内向反映人反馈办理结果。", None),
    ],
)
def test_an_excerpt_names_its_meeting_in_passing(text, name):
    got = title(make_document(text, "made_up.txt"))
    assert (got.value if got else None) == name
