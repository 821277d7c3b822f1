"""The frame across ways of writing the same facts that the development corpus rarely or never
uses: minutes fields, news reports, posts written less often. Made-up sentences."""

from __future__ import annotations

import pytest

from rag.evidence import check_evidence
from rag.meeting.frame import extract
from rag.metadata import make_document


def frame_of(text: str):
    doc = make_document(text, "made_up.txt")
    frame = extract(doc)
    assert check_evidence(doc, frame) == []
    return frame


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        # a minutes field named 会址/会场, or a venue 设在 a building
        ("会议纪要\n会址:镇政府二楼大会议室\n主持:韦国华\n", "镇政府二楼大会议室"),
        ("6月3日下午,县应急管理局组织召开汛期安全工作会议,会议地点设在县应急指挥中心。", "县应急指挥中心"),
        # a village's office is a building
        ("11月8日,红岩村“两委”在村部召开村民代表大会。", "村部"),
        # a place is no venue
        ("8月18日,全镇乡村振兴工作推进会在镇政府召开。", None),
    ],
)
def test_venues_in_other_words(text, venue):
    got = frame_of(text).venue
    assert (got.value if got else None) == venue


def test_a_minutes_field_line_is_no_title():
    frame = frame_of("时间:5月6日上午\n会议地点:县人民政府五楼会议室\n")
    assert frame.title is None


@pytest.mark.parametrize(
    ("text", "chair"),
    [
        # 在 after a name is the preposition of 在主持会议时 (和 may end a name before a verb)
        ("镇党委书记刘刚在主持会议时强调,要压实责任。", "刘刚"),
        ("副县长范庆和主持会议。", "范庆和"),
    ],
)
def test_the_chair_before_zai_or_a_verb(text, chair):
    assert frame_of(text).chair.name == chair


def test_posts_written_less_often():
    text = "县长助理胡建新,村支书何大勇,扶贫专干邹小兰,镇党建办干事汪琳出席会议。"
    assert [(p.name, p.role) for p in frame_of(text).participants] == [
        ("胡建新", "县长助理"), ("何大勇", "村支书"), ("邹小兰", "扶贫专干"), ("汪琳", "干事")]


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # present without a seat or a speech: 莅临, 一同参加, 以…身份参加
        ("县委常委、宣传部部长毛晓燕莅临现场。", ["毛晓燕"]),
        ("县政协副主席钱明一同参加调研。", ["钱明"]),
        ("镇党委书记刘刚以普通党员身份参加所在支部的组织生活会。", ["刘刚"]),
        # seated on the platform, or listed as the other leaders present
        ("在主席台就座的有县委书记吕国平、县长赵立新。", ["吕国平", "赵立新"]),
        ("与会领导还有:县委常委、组织部部长张红梅,县委常委、宣传部部长毛晓燕。", ["张红梅", "毛晓燕"]),
        # who hands out the awards was there
        ("县领导吕国平、赵立新为获奖单位颁奖。", ["吕国平", "赵立新"]),
        ("县委副书记吴斌为受表彰的先进集体颁发奖牌。", ["吴斌"]),
        # a name ends before 及 (a body follows); an engineer is described, not posted
        ("镇党委委员、副镇长李青及各村党支部书记参加会议。", ["李青"]),
        ("特邀县农业农村局高级农艺师魏雪芬参加座谈。", ["魏雪芬"]),
        # leading a visit is no attending
        ("镇党委书记刘刚带领镇村干部参观了示范基地。", []),
    ],
)
def test_participants_present_in_other_words(text, participants):
    assert sorted(p.name for p in frame_of(text).participants) == sorted(participants)


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        # the act in the clause after a lead-in (结合…, 围绕…)
        ("会前,与会人员参观了陈列馆。在展厅,镇纪委书记高立远结合本地查处的3起典型案例,为大家上了一堂警示教育课。",
         {"高立远": "上了一堂警示教育课"}),
        # a name honoured as 同志 after a description, leading the oath and telling a story
        ("由党龄最长的老党员、七十九岁的宋德厚同志领誓,重温入党誓词。宋德厚同志简要讲述了入党时的经历。",
         {"宋德厚": "领誓"}),
        # a surname and post, then 当场 and the act
        ("对于这些问题,分管乡村振兴工作的孙副镇长当场作了回应。", {"孙副镇长": "回应"}),
    ],
)
def test_speakers_after_a_lead_in_or_honoured_as_comrade(text, acts):
    assert {p.name: p.act for p in frame_of(text).speakers} == acts


def test_an_act_word_used_as_a_noun_is_no_act():
    text = ("会上,8个乡镇党委书记进行现场述职。县人大常委会主任伏建国、县政协主席成文华等县领导参加会议"
            "并对述职对象进行测评。")
    frame = frame_of(text)
    assert frame.speakers == []
    assert sorted(p.name for p in frame.participants) == ["伏建国", "成文华"]


def test_a_notice_names_its_main_room_and_no_one_in_charge():
    text = ("关于召开全市秋冬季森林防火工作视频会议的通知\n"
            "一、会议时间:10月28日下午3:00\n"
            "二、会议地点:主会场设在市政府二楼视频会议室,各县(区)设分会场。\n"
            "三、参会人员:市政府分管副市长,市森林防火指挥部各成员单位分管负责同志。\n")
    frame = frame_of(text)
    assert frame.venue is not None and frame.venue.value == "市政府二楼视频会议室"
    assert frame.participants == []


def test_a_parenthesised_publication_stamp_is_no_meeting_date():
    text = "云溪镇召开后备干部培训会\n(发布时间:2025-04-18)\n4月17日,云溪镇后备干部培训会在镇便民服务中心三楼会议室举行。\n"
    dates = frame_of(text).dates
    assert [(d.value, d.kind) for d in dates if d.kind == "meeting"] == [("4月17日", "meeting")]


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # minutes fields 实到党员:33人; a list item's total written 共计 is no part of its body
        ("应到党员:38人 实到党员:33人\n", [(33, False)]),
        ("全县各乡镇党委书记,部分“两代表一委员”共计260余人参加会议。", [(260, True)]),
    ],
)
def test_minutes_fields_and_totals_in_lists(text, counts):
    frame = frame_of(text)
    assert sorted((g.count, g.approx) for g in frame.attendees if g.count is not None) == counts
    assert not any(g.group.endswith("共") for g in frame.attendees)


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        # surnames common today that the classic list leaves out
        ("县人武部部长邝志强作动员讲话,县委常委肖建平、副县长付丽君、闫海涛出席会议。", {"邝志强": "动员"}),
        # a speech's 刚才,X同志… names who spoke before the speaker
        ("刚才,丁卫东同志传达了省委全会精神,尤素芳同志通报了全镇一季度经济运行情况。",
         {"丁卫东": "传达", "尤素芳": "通报"}),
    ],
)
def test_speakers_with_surnames_and_comrades_in_other_words(text, acts):
    assert {p.name: p.act for p in frame_of(text).speakers} == acts


def test_participants_with_surnames_common_today():
    text = "县人武部部长邝志强作动员讲话,县委常委肖建平、副县长付丽君、闫海涛出席会议。"
    assert sorted(p.name for p in frame_of(text).participants) == sorted(["肖建平", "付丽君", "闫海涛"])


def test_a_post_s_meeting_name_before_an_emoji():
    frame = frame_of("【乡村振兴】\n今天上午,我镇召开春耕备耕工作会🌾\n镇长诸葛明主持会议。")
    assert frame.title is not None and frame.title.value == "春耕备耕工作会"


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # names without posts, then who they are (counted, or 等) and the attending verb
        ("邵德清、祁秀兰、包海龙三位老党员应邀参加座谈。", ["邵德清", "祁秀兰", "包海龙"]),
        ("蒋长福、汪素珍等村民代表列席会议。", ["蒋长福", "汪素珍"]),
        # a three-character name the dictionary tags as an idiom or a place
        ("受县委书记委托,县委副书记卓文彬出席会议。", ["卓文彬"]),
        # a slogan before 等 is no list of names
        ("乡村振兴、产业发展等负责同志参加会议。", []),
    ],
)
def test_participants_named_before_who_they_are(text, participants):
    assert sorted(p.name for p in frame_of(text).participants) == sorted(participants)


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        # rooms and buildings of other kinds
        ("会议在县人民法院审判庭举行。", "县人民法院审判庭"),
        ("培训班在镇中心小学举行。", "镇中心小学"),
        ("座谈会在村农家书屋召开。", "村农家书屋"),
        # held in a form after the room
        ("会议在县应急指挥调度室以视频形式召开。", "县应急指挥调度室"),
        # a cooperative's premises name no room
        ("现场会在红星合作社召开。", None),
    ],
)
def test_venues_of_other_kinds(text, venue):
    got = frame_of(text).venue
    assert (got.value if got else None) == venue


def test_the_chair_under_whose_chairing_the_meeting_went():
    assert frame_of("会议在县委副书记邬家明的主持下进行。").chair.name == "邬家明"


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        ("县委党校常务副校长马文清以《深入学习贯彻党的二十大精神》为题作专题报告。", {"马文清": "专题报告"}),
        ("县委书记吕国平代表县委、县政府向受表彰的先进集体和个人表示祝贺。", {"吕国平": "表示祝贺"}),
        ("会上,镇党委书记钟伟为大家讲授专题党课。", {"钟伟": "讲授"}),
        # quoted, with where it was said between the name and the verb
        ("“一定要把好事办好。”县委书记吕国平在座谈时说。", {"吕国平": "说"}),
        ("“这条路修得好。”县委书记吕国平也在会上表示。", {"吕国平": "也表示"}),
    ],
)
def test_speakers_reporting_congratulating_or_quoted_where(text, acts):
    assert {p.name: p.act for p in frame_of(text).speakers} == acts


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        # numbered turns of a meeting record
        ("讨论发言\n1.伍德明(村会计):去年村集体收入18万元。\n2.卢秀英:建议增加路灯。\n",
         {"伍德明": "发言", "卢秀英": "发言"}),
        # comrades who think or propose in a record of the discussion
        ("与会人员讨论情况:\n刘长顺同志认为,方案可行。\n邱月英同志建议,加大宣传力度。\n",
         {"刘长顺": "认为", "邱月英": "建议"}),
    ],
)
def test_speakers_of_a_meeting_record_in_other_words(text, acts):
    frame = frame_of(text)
    assert {p.name: p.act for p in frame.speakers} == acts
    assert frame.title is None  # a section's label is no meeting's name


def test_an_agenda_item_is_no_heading():
    frame = frame_of("会议议程\n一、镇党委书记章海作动员讲话;\n二、镇长苏敏部署具体工作;\n")
    assert frame.title is None
    assert [p.name for p in frame.speakers] == ["章海", "苏敏"]


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # led in the village's work is no attending; led on a visit is
        ("近年来,在村党支部书记郝大勇的带领下,村里发展起了花椒产业。", []),
        ("与会人员在村党支部书记郝大勇的带领下,实地观摩了花椒基地。", ["郝大勇"]),
        # someone held up as an example is not there
        ("县委书记吕国平要求,各乡镇要向石门镇党委书记韦国华学习。", []),
    ],
)
def test_people_named_in_the_story_are_no_participants(text, participants):
    assert sorted(p.name for p in frame_of(text).participants) == participants


def test_a_later_item_of_a_report_of_several_events_is_another_event():
    text = ("乡镇动态(第8期)\n"
            "一、青峰乡召开人居环境整治推进会。3月12日,青峰乡召开人居环境整治推进会,乡党委书记阎立军出席并讲话,"
            "乡长戴海燕主持。\n"
            "二、红石镇召开党建工作会议。3月14日,红石镇召开2025年党建工作会议,镇党委书记黎明华作工作报告。\n")
    frame = frame_of(text)
    assert sorted(p.name for p in frame.speakers) == ["戴海燕", "阎立军"]


def test_bodies_at_a_side_meeting_are_not_the_meeting_s():
    text = ("3月5日,县委党校召开村党组织书记培训班开班式,96名村党组织书记参加培训。\n\n"
            "当天下午,于副校长在县委党校二楼会议室召开学员座谈会,10名来自不同乡镇的村党组织书记代表参加座谈会。")
    frame = frame_of(text)
    assert sorted(g.count for g in frame.attendees if g.count) == [96]


def test_quoted_at_a_meeting_of_its_own_is_not_at_this_one():
    text = ("1月18日,槐树街道召开述职评议会。街道党工委书记罗建平主持会议,街道党工委副书记梁*出席。\n\n"
            "会后,当天下午2时,街道在二楼召开年轻干部座谈会,区委组织部组织二科科长王*与15名年轻干部面对面交流。"
            "王科长表示,将把意见建议梳理汇总。")
    assert [p.name for p in frame_of(text).participants] == ["梁*"]


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        # a long title in 《》 between the name and the act
        ("县委党校副校长马文清作了题为《以高质量党建引领乡村全面振兴的实践与思考》的专题辅导。", {"马文清": "辅导"}),
        # a speech refers to what a surname and post said before
        ("刚才,李县长的讲话很重要,大家要认真贯彻。", {"李县长": "讲话"}),
        # a speech's 精神 is no act of the one named
        ("在县委书记吕国平的讲话精神指引下,各乡镇迅速行动。", {}),
    ],
)
def test_speakers_across_a_title_or_by_their_speech(text, acts):
    assert {p.name: p.act for p in frame_of(text).speakers} == acts


@pytest.mark.parametrize(
    ("text", "title", "venue"),
    [
        # the formal 于: a place, or a date before 在
        ("2025年3月5日,全县组织工作会议于县委党校报告厅召开。", "全县组织工作会议", "县委党校报告厅"),
        ("3月5日,全县组织工作会议于3月5日在县委党校召开。", "全县组织工作会议", "县委党校"),
        # where the participants moved to, as the meeting's own sentence; a later move is another event
        ("观摩结束后与会人员来到村党群服务中心召开现场推进会。", "现场推进会", "村党群服务中心"),
        ("3月5日,镇里召开春耕动员会。随后,与会人员移步镇政府三楼会议室召开座谈会。", "春耕动员会", None),
    ],
)
def test_formal_yu_and_moving_to_the_room(text, title, venue):
    frame = frame_of(text)
    assert (frame.title.value if frame.title else None) == title
    assert (frame.venue.value if frame.venue else None) == venue


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # names without posts honoured together as 同志, or with 等 right before the verb
        ("县委办主任许文军,以及滕国良、钱明、邹永福等同志参加会议。", ["许文军", "滕国良", "钱明", "邹永福"]),
        ("滕国良、钱明、邹永福等出席会议。", ["滕国良", "钱明", "邹永福"]),
        ("乡村振兴、产业发展等出席会议。", []),
    ],
)
def test_names_listed_before_deng_and_the_verb(text, participants):
    assert sorted(p.name for p in frame_of(text).participants) == sorted(participants)
