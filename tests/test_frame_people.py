"""Frame people by class of wording: made-up documents, each line one way reports write it."""

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
    ("text", "speakers"),
    [
        # a person named with a post, then called by surname and post
        ("3月2日,柳河镇召开防汛会。镇党委副书记、镇长马晓丽通报了汛情。会上,马镇长要求各村落实巡查。",
         ["马晓丽"]),
        ("会议由县委副书记郑国平主持。县应急管理局副局长石*通报案例。郑书记作了讲话。",
         ["郑国平", "石*"]),
        # a post written before another post of the same person
        ("出席:区委组织部副部长,区委两新工委书记车文斌;街道党工委书记柏志远\n\n车部长在点评中指出,要比出干劲。",
         ["车文斌"]),
        ("学习研讨.镇党委书记、中心组组长左建华主持会议.左书记强调,要学以致用。", ["左建华"]),
        # the post in brackets after the name, on a minutes field line
        ("时间:5月6日\n主持:向成林(镇党委副书记、镇长)\n\n会议听取汇报。向镇长要求各村抓好落实。",
         ["向成林"]),
    ],
)
def test_speakers_called_by_surname_and_post_are_one_person(text, speakers):
    assert sorted(p.name for p in frame_of(text).speakers) == sorted(speakers)


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # names ending the items of a counted list, described by no post
        ("6月30日,镇里召开表彰大会。镇党委书记冯立强讲话。东坡村党总支、西岭村老党员蒋德福、镇中学党支部书记陶春梅"
         "三位代表作了发言。", ["冯立强", "蒋德福", "陶春梅"]),
        # a post of the next name between two listed names
        ("会上,镇党委副书记杜秋云、镇党委委员、组织委员柏志强、镇人大主席华明理和镇党委委员、武装部部长"
         "邬建民先后作交流发言。", ["杜秋云", "柏志强", "华明理", "邬建民"]),
        # a list of units is no list of people
        ("会上,沙田村、桥头社区、后山村3个村(社区)作了交流发言。", []),
        # a duration before 发言 is no list
        ("作表态发言的单位请准备5分钟左右发言材料。", []),
        # places counted as villages are no people, whatever their first character
        ("(三)金岭、白石、双河三个重点村作表态发言;", []),
    ],
)
def test_speakers_listed_before_a_speaking_verb(text, speakers):
    assert sorted(p.name for p in frame_of(text).speakers) == sorted(speakers)


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("在全县春耕生产调度会上的讲话\n\n县委常委、副县长  裴东升\n(2023年3月2日)\n\n同志们:\n今天召开会议。",
         "裴东升", "县委常委、副县长"),
        ("在全镇老干部座谈会上的讲话\n镇党委书记 **\n（2024年6月12日）\n\n同志们：\n今天我们座谈。", "**", "镇党委书记"),
    ],
)
def test_the_author_of_a_printed_speech_speaks(text, name, role):
    first = frame_of(text).speakers[0]
    assert (first.name, first.role, first.act) == (name, role, "讲话")


def test_roster_lines_name_people_without_posts():
    text = ("安全生产调度会会议纪要\n\n时间:2023年5月6日下午\n主持:韦成功(镇党委副书记、镇长)\n"
            "列席:县交通局副局长钱*、县供电公司驻镇负责人XX\n记录:镇党政办柴小雨\n\n"
            "会议听取了汇报。韦镇长作了讲话。\n\n参会人员:韦成功、卜家宁、钱*、符所长、梅建兵及各村书记共28人。")
    frame = frame_of(text)
    assert [p.name for p in frame.speakers] == ["韦成功"]
    assert sorted(p.name for p in frame.participants) == sorted(["钱*", "柴小雨", "卜家宁", "符所长", "梅建兵"])


def test_a_subject_who_only_attends_does_not_speak():
    text = "我镇党委书记柏青山、镇长甘立平参加会议，镇长甘立平代表我镇作表态发言。"
    frame = frame_of(text)
    assert [p.name for p in frame.speakers] == ["甘立平"]
    assert [p.name for p in frame.participants] == ["柏青山"]


def test_people_quoted_at_the_meeting_spoke_there():
    text = ("5月8日,县里召开新乡贤座谈会。县委副书记柯远航主持会议。新乡贤代表、在外企业家褚明达说,愿意为家乡做事。"
            "\n\n会后,柯远航在二楼召开小型座谈会,镇党委书记巫立平表示将全力配合。")
    frame = frame_of(text)
    assert {p.name: p.act for p in frame.speakers} == {"柯远航": "主持", "褚明达": "说"}
    assert frame.chair is not None and frame.chair.name == "柯远航"
    # quoted at the later meeting of its own, not at this one (the gold frames list neither)
    assert [p.name for p in frame.participants] == []


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # a surname and post after a unit, after 的, after a half-width full stop
        ("会议听取汇报。县委宣传部理论科满科长作了辅导。分管农业的唐副镇长谈到,要抓好春耕.贝县长要求,各乡镇抓好落实。",
         ["满科长", "唐副镇长", "贝县长"]),
        # a name ending in a character that is usually a conjunction, before a verb
        ("副县长范庆和主持会议并讲话。", ["范庆和"]),
        # a post that commands a task force
        ("副县长、县森林防火指挥部总指挥邬立群通报了火情。", ["邬立群"]),
        # a name before 向大家介绍, a report, a story told
        ("在示范园,种植大户蔺永强向大家介绍了技术。村会计贝丽萍报告了收支情况。村党支部书记巫春梅讲述了经过。",
         ["蔺永强", "贝丽萍", "巫春梅"]),
        # reporting a problem is taking the floor
        ("大郢村党支部书记刘*反映,该村用地指标紧张。", ["刘*"]),
    ],
)
def test_more_ways_people_take_the_floor(text, speakers):
    assert sorted(p.name for p in frame_of(text).speakers) == sorted(speakers)


def test_a_roster_under_its_heading():
    text = ("关于举办村干部培训班的通知\n\n各村:\n\n三、参加人员\n(一)乡党委书记甘志宏,乡党委副书记、乡长籍晓梅及乡党政班子成员;\n"
            "(二)各村党支部书记。\n\n四、有关要求\n请乡党委副书记符东明负责会务。")
    assert sorted(p.name for p in frame_of(text).participants) == sorted(["籍晓梅", "甘志宏"])


def test_a_surname_and_post_after_a_unit_attends():
    text = "会议传达了精神,县委宣传部理论科满科长到会列席指导。"
    assert [p.name for p in frame_of(text).participants] == ["满科长"]


RECORD = (
    "石板溪村村民代表会议记录\n时间：12月27日下午\n主持人：向德明（村党支部书记，村委会主任）\n记录人：田小芳（村文书）\n"
    "会议记录：\n"
    "向德明（村党支部书记，村委会主任）：今天开会主要是两件事，先讨论分红方案。\n"
    "田小芳（村文书）：我把今年的收支报告一下，村集体经营性收入共计26.8万元。\n"
    "王局长：防汛物资要在本周内全部到位，各村要逐一清点。\n"
    "杨秀英（五组村民代表）：我同意这个方案。\n"
)


def test_everyone_with_a_turn_in_a_meeting_record_spoke():
    doc = make_document(RECORD, "record.txt")
    frame = extract(doc)
    got = {p.name: p.role for p in frame.speakers}
    assert got == {"向德明": "村党支部书记、村委会主任", "田小芳": "村文书", "王局长": None, "杨秀英": "五组村民代表"}
    assert not {"主持人", "记录人", "会议记录"} & set(got)
    assert check_evidence(doc, frame) == []


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # the name ends where an adverb or a preposition before the act begins
        ("座谈会上,石桥村党支部书记房志坚则坦言,村里缺少年轻人。", ["房志坚"]),
        ("会上,镇党委委员、宣传委员葛丽云依据督查记录逐一点评。", ["葛丽云"]),
        ("返乡创业的青年代表祁文涛建议建设冷链仓库。", ["祁文涛"]),
        ("驻村第一书记柴立新谈到,村里的路灯已全部修好。", ["柴立新"]),
        # who someone is without a post: 干部, 教师
        ("退休教师蔺秀华建议在村里办夜校。县林业局干部邢永安介绍了护林经验。", ["蔺秀华", "邢永安"]),
    ],
)
def test_speakers_named_before_an_adverb_or_without_a_post(text, speakers):
    assert sorted(p.name for p in frame_of(text).speakers) == sorted(speakers)


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        # a post that does the act itself, on an agenda line or after its unit
        ("四、会议议程\n(一)镇水利站站长通报汛期准备情况;\n(二)县委书记作总结讲话。", ["站长", "县委书记"]),
        # a wholly masked name: the post speaks, nobody is named
        ("随后,白石乡党委书记潘立军、青山镇党委书记**作交流发言。", ["党委书记"]),
        ("(一)街道党工委副书记XX传达上级会议精神;", ["党工委副书记"]),
        # bodies and lists of units are groups, not one nameless person
        ("会上,各乡镇党委书记作表态发言。", []),
        ("会上,排名靠后的三个乡镇党委书记作表态发言。", []),
        ("会上,东岗村、西岗村党支部书记作表态发言。", []),
        # a surname and post is a person, not a nameless post
        ("会议结束前,许书记强调,要抓好落实。", []),
        # the posts before a post are no list of units; the level in one character; 人大 is a unit
        ("三、会议议程\n(一)县委常委、宣传部部长作动员讲话;", ["部长"]),
        ("会议议程:\n1.镇人大主席作工作报告;\n2.镇党委书记讲话。", ["主席", "镇党委书记"]),
        # the post attends and speaks
        ("会议由县委副书记主持,县委书记出席并讲话。", ["县委书记"]),
    ],
)
def test_posts_that_speak_without_a_name(text, roles):
    got = [p.role for p in frame_of(text).speakers if p.name is None]
    assert got == roles


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        # the heading as a subtitle after a dash, the byline below it
        ("守住底线\n——在全镇廉政教育大会上的讲话\n镇党委书记 樊立群\n(2024年5月9日)\n\n同志们:\n今天开会。",
         "樊立群", "镇党委书记"),
        # a date line between the heading and the byline
        ("在全乡防汛调度会上的讲话\n(2024年6月**日)\n乡党委副书记、乡长 聂长河\n同志们:\n今天开会。",
         "聂长河", "乡党委副书记、乡长"),
    ],
)
def test_the_author_of_a_printed_speech_under_a_subtitle_or_a_date(text, name, role):
    first = frame_of(text).speakers[0]
    assert (first.name, first.role, first.act) == (name, role, "讲话")


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # present without a seat: came to guide, accompanied, led the visit
        ("6月3日,镇里召开防汛会。镇党委书记甘立平主持会议。县水利局副局长庞文杰到会指导。", ["庞文杰"]),
        ("观摩当天,该乡书记单志远、副乡长钮红梅全程陪同。", ["单志远", "钮红梅"]),
        ("与会人员在村党支部书记晏德茂的带领下,察看了新建的冷库。", ["晏德茂"]),
        # a later attending verb whose subject is not the first one named
        ("县委书记滕建国出席会议并讲话,县长卞晓明主持会议,副县长裘雅芬出席。", ["裘雅芬"]),
    ],
)
def test_participants_present_in_other_words(text, participants):
    assert sorted(p.name for p in frame_of(text).participants) == sorted(participants)


def test_a_roster_head_count_names_nobody():
    text = ("参加人员:村民代表28人(应到31人,实到28人);镇机关各办负责人十余名。共计四十余人。\n"
            "出席:镇长柏林峰、县农商行、何志明")
    assert sorted(p.name for p in frame_of(text).participants) == sorted(["柏林峰", "何志明"])


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        # the chair takes the floor: listed among the speakers with the act 主持
        ("县委常委、副县长邬志平主持会议。县农业农村局局长闻海东通报了进度。", {"邬志平": "主持", "闻海东": "通报"}),
        # a chair who also spoke keeps that act
        ("镇党委书记庞振宇主持会议并讲话。", {"庞振宇": "讲话"}),
        # a post whose holder is wholly masked names no chair
        ("主持:镇党委副书记XX\n\n会议听取了汇报。", {}),
        ("会议由镇党委书记XXX主持。镇长贺立群讲话。", {"贺立群": "讲话"}),
    ],
)
def test_the_chair_is_among_the_speakers(text, acts):
    assert {p.name: p.act for p in frame_of(text).speakers} == acts


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("时间:3月2日\n主持:郭立群村党支部书记、村委会主任\n出席:村党支部党员二十名", "郭立群", "村党支部书记、村委会主任"),
        ("主持：范志远镇党委副书记\n\n会议听取了汇报。", "范志远", "镇党委副书记"),
    ],
)
def test_a_chair_field_with_the_name_before_its_post(text, name, role):
    chair = frame_of(text).chair
    assert chair is not None and (chair.name, chair.role) == (name, role)


def test_a_minutes_heading_line_is_no_turn():
    text = "会议纪要\n\n现将议定事项\n纪要如下：\n一、关于比武内容。会议确定比武分三轮进行。"
    assert [p.name for p in frame_of(text).speakers] == []


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # a mask in the middle of a name
        ("镇党委委员、组织委员柏*兰,县农业农村局副局长尤永强参加活动。", ["柏*兰", "尤永强"]),
        # surname and post before a verb of duty
        ("请该镇做好保障工作,该镇卫书记、贺镇长须全程陪同。", ["卫书记", "贺镇长"]),
        # the minutes-taker's field: the name, then the post
        ("时间:7月1日\n记录:柯晓燕村党支部组织委员\n\n会议学习了党章。", ["柯晓燕"]),
        # a roster line of units sharing one post names nobody
        ("参加人员:城东镇、后湖乡党委副书记、扶贫专干;\n记录:镇党政办", []),
    ],
)
def test_participants_masked_mid_name_or_named_before_their_post(text, participants):
    assert sorted(p.name for p in frame_of(text).participants) == sorted(participants)


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # the attending word first, the names after it
        ("4月2日,全县植树造林动员会召开。出席会议的县领导有县委副书记宁国栋、副县长詹秀云。", ["宁国栋", "詹秀云"]),
        ("4月2日,全县植树造林动员会召开。参加会议的还有县人大常委会副主任雷志明和县政府办主任池晓东。",
         ["雷志明", "池晓东"]),
        # names without posts, said to be leaders after them
        ("4月2日,全县植树造林动员会召开。宁国栋、詹秀云、雷志明等县领导出席会议。", ["宁国栋", "詹秀云", "雷志明"]),
        # 列席, 应邀出席
        ("镇人大主席詹秀云,副镇长雷志明列席会议。", ["詹秀云", "雷志明"]),
        ("市林业局副局长池晓东应邀出席。", ["池晓东"]),
    ],
)
def test_participants_named_after_the_attending_word_or_as_leaders(text, participants):
    assert sorted(p.name for p in frame_of(text).participants) == sorted(participants)


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        # people listed with their own posts, then 分别/先后 and the act
        ("县应急局局长苗海峰,县气象局局长郜晓东分别就汛情和天气形势作了通报。", {"苗海峰": "通报", "郜晓东": "通报"}),
        ("县委书记宁国栋、副县长詹秀云先后讲话。", {"宁国栋": "讲话", "詹秀云": "讲话"}),
    ],
)
def test_speakers_listed_before_each_did_the_act(text, acts):
    assert {p.name: p.act for p in frame_of(text).speakers} == acts


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        # the verb after 进行/作 is the act; an act word before it is its object
        ("会上,县委组织部副部长詹秀云对各乡镇述职情况逐一进行点评。", {"詹秀云": "点评"}),
        ("常务副县长雷志明对下一阶段工作进行了安排部署。", {"雷志明": "部署"}),
    ],
)
def test_the_act_done_is_the_verb_after_jinxing(text, acts):
    assert {p.name: p.act for p in frame_of(text).speakers} == acts


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # leading a delegation, accompanying a visit
        ("市政协副主席岑国强率调研组一行6人到我镇调研。", ["岑国强"]),
        ("镇党委书记晏德茂、镇长尤立新陪同调研。", ["晏德茂", "尤立新"]),
        # 和 before a post is no surname: "书记和镇长" are two posts
        ("各乡镇党委书记和镇长、县直部门主要负责人参加会议。", []),
        # names honoured as 同志 need no post; 全体同志, 相关同志 are nobody
        ("宁国栋同志、詹秀云同志出席会议。全体同志参加会议,相关同志列席。", ["宁国栋", "詹秀云"]),
        # seated on the platform
        ("县委书记宁国栋,县长詹秀云,县政协主席雷志明在主席台就座。", ["宁国栋", "詹秀云", "雷志明"]),
        # names listed after one description share it
        ("会议由镇长池晓东主持,班子成员雷志明、苗永福参加会议。", ["雷志明", "苗永福"]),
    ],
)
def test_participants_leading_or_accompanying(text, participants):
    assert sorted(p.name for p in frame_of(text).participants) == sorted(participants)



@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # posts of the courts, the police, state firms and civil-service ranks
        ("县人民检察院检察长宁国栋,县公安局政委詹秀云,县政府党组成员雷志明出席会议。", ["宁国栋", "詹秀云", "雷志明"]),
        ("县政府调研员池晓东,县供电公司经理苗永福参加会议。", ["池晓东", "苗永福"]),
    ],
)
def test_participants_with_less_common_posts(text, participants):
    assert sorted(p.name for p in frame_of(text).participants) == sorted(participants)


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        # whose report the meeting heard
        ("会议听取了县水利局局长宁国栋关于汛前准备的汇报。", {"宁国栋": "汇报"}),
        ("会议听取了县水利局局长宁国栋、县气象局局长詹秀云的汇报。", {"宁国栋": "汇报", "詹秀云": "汇报"}),
        ("会议听取了各村的汇报,镇长雷志明讲话。", {"雷志明": "讲话"}),
        # a lecture; 要求 as the object of the act done
        ("会议邀请了省委党校教授池晓东作专题讲座。", {"池晓东": "讲座"}),
        ("县委组织部组织科科长苗永福结合案例,对换届纪律要求进行了逐条解读。", {"苗永福": "解读"}),
    ],
)
def test_reports_heard_and_lectures(text, acts):
    frame = frame_of(text)
    assert {p.name: p.act for p in frame.speakers} == acts
    assert all(p.organisation is None or "听取" not in p.organisation for p in frame.speakers)


def test_speakers_of_a_meeting_held_afterwards_are_not_the_meetings():
    text = ("5月6日,县里召开廉政警示教育大会。县委书记宁国栋出席会议并讲话。\n\n"
            "会后,当天下午,城关镇召开专题座谈会。镇纪委书记詹秀云通报了自查情况。\n\n"
            "会前,与会人员参观了廉政教育基地,讲解员雷小燕介绍了基地的建设情况。")
    acts = {p.name: p.act for p in frame_of(text).speakers}
    assert acts == {"宁国栋": "讲话", "雷小燕": "介绍"}


@pytest.mark.parametrize(
    ("text", "participants", "speakers"),
    [
        # whatever was attended: an opening ceremony, a visit, an appraisal, a named meeting
        ("县人大常委会副主任尤立新出席开幕式。", ["尤立新"], []),
        ("县委常委、副县长晏德茂参加观摩。", ["晏德茂"], []),
        ("县政协副主席苗永福参加了本次述职评议。", ["苗永福"], []),
        ("县委副书记池晓东出席了在县会议中心召开的全县经济工作会议。", ["池晓东"], []),
        # attending and then speaking is speaking
        ("县委书记宁国栋出席会议并作重要讲话。", [], ["宁国栋"]),
    ],
)
def test_participants_of_whatever_was_attended(text, participants, speakers):
    frame = frame_of(text)
    assert sorted(p.name for p in frame.participants) == sorted(participants)
    assert sorted(p.name for p in frame.speakers) == sorted(speakers)


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # leaders who accompany a visit, named in a 陪同 clause
        ("9月2日,市委常委、宣传部部长邵建新一行到我县调研,在县委书记吕国平、县委常委、宣传部部长毛晓燕的陪同下,"
         "先后察看了两个文化站点。", ["邵建新", "吕国平", "毛晓燕"]),
        # names without posts after the words that say they attended
        ("出席会议的县领导有:邹永福、雷秀珍、黎建国、钱明。", ["邹永福", "雷秀珍", "黎建国", "钱明"]),
        ("参加会议的有各乡镇党委书记、乡镇长、县直有关单位负责人等90余人。", []),
        # the unit of someone listed after 还有 starts after it
        ("镇长曹文华在讲话中要求,各村要扛起责任。出席会议的还有镇党委副书记彭家兴、镇纪委书记鲁晓梅。",
         ["彭家兴", "鲁晓梅"]),
        # a standing-committee member is a post, and names listed after it share it
        ("县委书记严正明主持并讲话。县委副书记华建国,县委常委金晓东、魏明辉、陶春生参加学习。",
         ["华建国", "金晓东", "魏明辉", "陶春生"]),
        # leaders named by their level and body
        ("县委、县政府领导孔德明、罗晓红出席会议。", ["孔德明", "罗晓红"]),
        # a body's word after a surname-like character is no name (分管领导: 管 is a surname)
        ("三、参会人员\n县政府分管领导;各乡镇乡镇长、分管副乡镇长。\n", []),
    ],
)
def test_participants_accompanying_listed_after_the_verb_or_by_level(text, participants):
    assert sorted(p.name for p in frame_of(text).participants) == sorted(participants)


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        # two leaders who share one act after the list
        ("县委书记杨振宇、县长马立军出席会议并讲话。", {"杨振宇": "讲话", "马立军": "讲话"}),
        ("县委书记邬志军,县委副书记、县长卞红梅出席并讲话。", {"邬志军": "讲话", "卞红梅": "讲话"}),
        # someone whose clause ends before another's act shares nothing
        ("县委书记邬志军主持会议,县长卞红梅讲话。", {"邬志军": "主持", "卞红梅": "讲话"}),
        # 作 after a name is the verb, not the last character of the name
        ("县委宣传部部长姜红作领学发言。", {"姜红": "领学"}),
    ],
)
def test_speakers_sharing_an_act_after_a_list(text, acts):
    assert {p.name: p.act for p in frame_of(text).speakers} == acts


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        # acts that arrange, dissect or explain, and the words that lead into them after a name
        ("会上,县农业农村局局长卫东升就春耕备耕工作进行了安排。", {"卫东升": "进行了安排"}),
        ("县长龚卫国对下一步工作作出具体安排。", {"龚卫国": "作出具体安排"}),
        ("县纪委常委、监委委员邓海涛对典型案例进行了剖析。", {"邓海涛": "剖析"}),
        ("县水利局局长余小平汇报了水毁工程修复情况,县气象局局长丁一鸣分析了近期天气趋势。",
         {"余小平": "汇报", "丁一鸣": "分析了"}),
        ("副县长孟凡军就做好防汛工作提了三点意见。", {"孟凡军": "提了"}),
        # a researcher is described, not posted
        ("市农科院研究员魏雪芬现场讲解了水稻病虫害防治技术。", {"魏雪芬": "讲解"}),
    ],
)
def test_more_acts_of_taking_the_floor(text, acts):
    assert {p.name: p.act for p in frame_of(text).speakers} == acts
