"""Frame bodies of people with their counts, by class of wording: made-up documents."""

from __future__ import annotations

import pytest

from rag.evidence import check_evidence
from rag.meeting.frame import extract
from rag.metadata import make_document


def counts_of(text: str) -> list[tuple[int, bool]]:
    doc = make_document(text, "made_up.txt")
    frame = extract(doc)
    assert check_evidence(doc, frame) == []
    return sorted((g.count, g.approx) for g in frame.attendees + frame.speaker_groups if g.count is not None)


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # units listed before a speaking verb are counted by the list
        ("会上,县林业局作了情况说明,柳塘镇、白沙乡、龙口镇作了表态发言。", [(3, False)]),
        ("进度过半.桃坪乡,石岭镇,县工业园区管委会分别作交流发言.", [(3, False)]),
        ("东坪村、西坝村和镇农业服务中心的同志作了表态发言。", [(3, False)]),
        ("会上,上湾村、梨园村党支部书记先后作表态发言。", [(2, False)]),
        ("刚才,该镇和XX乡、xx镇作了交流发言。", [(3, False)]),
        # a pair in words before a speaking verb
        ("开班式上,来自三溪村和大塘社区的两名党组织书记作了交流发言。", [(2, False)]),
        # a counted body that takes the stage
        ("会上,全镇17个村(社区)党组织书记逐一登台,围绕党建责任进行述职。", [(17, False)]),
        # a long body before 先后发言
        ("座谈中,来自各乡镇的20余名优秀基层干部、驻村第一书记和新乡贤代表先后发言。", [(20, True)]),
        # the figure closing a roster, in a clause of its own
        ("今天参会的,除了镇领导班子成员,还有各村“两委”成员、驻村工作队员,一共一百五十余人,规模空前。", [(150, True)]),
        ("随后,参会的党员代表和居民代表共48人,对9名书记进行了现场测评。", [(48, False)]),
        # a list's total after a comma, before the attending verb
        ("各站所负责人,各村党支部书记、安全员,重点企业负责人,共计60余人参加会议。", [(60, True)]),
        # bodies listed as the subject and totalled, whatever they did next
        ("当天上午8时许,县直单位负责同志,乡党政班子成员、各村党组织书记,共计九十余人,分乘车辆前往示范村观摩。",
         [(90, True)]),
        ("全县各村党支部书记、乡直单位负责人和群众代表共计五十余人,乘坐大巴观摩了6个点位。", [(50, True)]),
        # a minutes roster line whose items carry their own figures
        ("出席:村“两委”成员6人,村民代表30余名,村务监督委员会成员3人\n", [(3, False), (6, False), (30, True)]),
        ("列席:镇纪委、党政办负责人,全镇15个村党组织书记\n", [(15, False)]),
        # not head counts: a bound, a later event's figure, a side meeting
        ("每个观摩点邀请本村群众代表不少于10名参加测评。", []),
        ("预计培训村组干部两百余人,各村民小组长也将分批参加。", []),
        ("3月5日,镇里召开动员大会,约80人参加会议。\n\n会后,镇长在二楼召开座谈会。6个村的书记逐一发言。",
         [(80, True)]),
        ("3月5日,镇里召开动员大会,约80人参加会议。\n\n会前,近两百名护林员参加了集中宣誓活动。", [(80, True)]),
        # the meeting's own party on a visit before its session: 一行N人 is its size
        ("5月8日,镇党委召开中心组学习会。\n\n会前,中心组成员和各村党组织书记一行32人来到陈列馆开展现场教学。",
         [(32, False)]),
    ],
)
def test_counted_bodies(text, counts):
    assert counts_of(text) == counts


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("会议由村党支部书记主持。应到村民代表41人,实到38人,符合法定人数。", [(38, False)]),
        ("四、参加人员\n乡党政班子成员。开班式预计到会约50人。\n", [(50, True)]),
    ],
)
def test_head_counts_after_the_attending_word(text, counts):
    assert counts_of(text) == counts


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # a body made up for the meeting: a jury, an inspection team
        ("评委由镇班子成员、部门代表和老党员代表共11人组成,现场打分。", [(11, False)]),
        # a roster's total after 参会人员, or on a line of its own
        ("参会人员:\n(一)镇党政班子成员;\n(二)各村党支部书记。\n参会人员共计约八十人。", [(80, True)]),
        ("参加人员:镇党委、政府班子成员;各村党组织书记。共计五十余人。", [(50, True)]),
        # a roster field whose list goes on after a line break; a figure with an aside after it
        ("列席:镇党建办、财政所负责人;\n全镇14个村党组织书记\n记录:镇党政办小周", [(14, False)]),
        ("出席:村党支部党员二十六名(全支部党员二十九名,因病请假三名)", [(26, False)]),
        # one figure read by two rules is one body
        ("参加人员:村民代表31人(应到35人,实到31人)", [(31, False)]),
        # bodies that take the floor in other words
        ("会上,来自各行业的15名乡贤代表围绕家乡发展畅所欲言。", [(15, False)]),
        ("9个村党组织书记依次走上讲台述职。", [(9, False)]),
        # whose report was heard is no body that spoke
        ("会议听取了9名书记的述职。", []),
    ],
)
def test_totals_rosters_and_floors_in_other_words(text, counts):
    assert counts_of(text) == counts


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # a delegation counted by 一行
        ("6月4日,邻市农业考察团一行18人来我县考察。", [(18, False)]),
        ("市政协副主席岑国强率调研组一行6人到我镇调研。", [(6, False)]),
        # the head count after 参会人员, hedged
        ("县主会场参会人员约60人。", [(60, True)]),
    ],
)
def test_delegations_and_hedged_head_counts(text, counts):
    assert counts_of(text) == counts


def test_the_posts_of_a_named_person_are_no_body():
    text = "县委常委、县纪委书记、县监委主任宁国栋,各乡镇党委书记、县直有关单位主要负责人出席会议。"
    doc = make_document(text, "made_up.txt")
    assert [g.group for g in extract(doc).attendees] == ["各乡镇党委书记", "县直有关单位主要负责人"]


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # the attending word first, then the bodies and their total
        ("参加此次培训的有全县各乡镇组织委员、村党组织书记110余人。", [(110, True)]),
        # watching at the branch venues is attending
        ("会议开到乡镇,全县共2000余名党员干部在各分会场收听收看。", [(2000, True)]),
        # 进行了 before the act is no part of the body
        ("会上,7名村党支部书记进行了现场述职。", [(7, False)]),
    ],
)
def test_rosters_opened_by_the_attending_word_and_watching(text, counts):
    assert counts_of(text) == counts
    doc = make_document(text, "made_up.txt")
    assert all("进行" not in g.group for g in extract(doc).speaker_groups)


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # a total in a clause of its own after the attending verb, or after a list 参会人员包括…
        ("镇党委副书记冯刚,各村支书参加会议,共计60人。", [(60, False)]),
        ("参会人员包括各村党支部书记、村委会主任和驻村干部,共计75人。", [(75, False)]),
        # who attended, then their figure; or the figure right after who attended
        ("到会党员45名,占应到会人数的90%。", [(45, False)]),
        ("参加培训的学员共98名。", [(98, False)]),
        ("与会的60余名代表围绕议题展开讨论。", [(60, True)]),
        ("会议规模:约80人。", [(80, True)]),
        # one secretary per village: the village count is the head count (two posts each are not)
        ("全县28个村党组织书记参加培训。", [(28, False)]),
        ("全镇11个村党组织书记、村委会主任参加会议。", []),
        ("参训学员:全乡14个村的党支部书记\n", [(14, False)]),
        # a counted body that reports in turn
        ("会上,6个村党支部书记依次汇报了党建工作。", [(6, False)]),
        ("随后,十二名村党组织书记逐一进行述职。", [(12, False)]),
        # a figure that counts one item of a list is no count of those who spoke
        ("派出所、供电所和三个片区的负责同志分别汇报了工作进展。", []),
    ],
)
def test_head_counts_written_after_the_verb_or_per_village(text, counts):
    assert counts_of(text) == counts


def test_a_counted_list_item_leaves_the_speaking_list_uncounted():
    doc = make_document("派出所、供电所和三个片区的负责同志分别汇报了工作进展。", "made_up.txt")
    groups = extract(doc).speaker_groups
    assert [(g.group, g.count) for g in groups] == [("派出所、供电所和三个片区的负责同志", None)]
    groups = extract(make_document("随后,十二名村党组织书记逐一进行述职。", "made_up.txt")).speaker_groups
    assert [g.group for g in groups] == ["村党组织书记"]


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # units whose people take the floor in turn, counted by the list
        ("会上,县公安局、县市场监管局、县应急管理局负责人分别发言。", [(3, False)]),
        ("随后,东坪村、西坝村、南岭村党支部书记分别汇报了村级集体经济发展情况。", [(3, False)]),
        # units alone that report in turn are listed one by one, uncounted
        ("会上,县农业农村局、县财政局、县水利局分别汇报了项目进展情况。", []),
    ],
)
def test_units_whose_people_take_the_floor_in_turn(text, counts):
    assert counts_of(text) == counts


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # a delegation named by its leader; those who actually attended
        ("4月3日,市委常委、宣传部部长邵建新一行5人到我县调研。", [(5, False)]),
        ("会议应出席委员35名,实际出席32名。", [(32, False)]),
    ],
)
def test_delegations_led_by_a_person_and_actual_attendance(text, counts):
    assert counts_of(text) == counts


def test_one_body_name_with_two_counts_is_two_bodies():
    text = "会上,金竹村、沙坝村等6个村党组织书记进行现场述职,其余11个村党组织书记进行书面述职。"
    assert counts_of(text) == [(6, False), (11, False)]


def test_an_agenda_item_number_is_no_part_of_the_units():
    doc = make_document("四、会议议程\n(二)龙口镇、柳塘乡作表态发言;\n", "made_up.txt")
    assert [(g.group, g.count) for g in extract(doc).speaker_groups] == [("龙口镇、柳塘乡", 2)]


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("本次培训共有学员86名。", [(86, False)]),
        ("会议共有代表120名,实到112名。", [(112, False), (120, False)]),
        ("与会人员:镇党政班子成员,各村党支部书记,共35人。", [(35, False)]),
    ],
)
def test_the_meeting_has_so_many_and_roster_fields_with_totals(text, counts):
    assert counts_of(text) == counts


def _speaking(text: str) -> list[tuple[str, int | None]]:
    doc = make_document(text, "made_up.txt")
    return sorted(((g.group, g.count) for g in extract(doc).speaker_groups), key=str)


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        # units each with its post, counted by the list
        ("会上,石门镇党委书记、龙口乡乡长和县林业局局长分别作表态发言。",
         [("石门镇党委书记、龙口乡乡长和县林业局局长", 3)]),
        # 等 leaves a list of units open: uncounted
        ("县发改局、县财政局、县自然资源局等单位负责人作了表态发言。", [("县发改局、县财政局、县自然资源局等单位", None)]),
        # every item counted: a body each
        ("会上,3名驻村第一书记、2名村党组织书记分别作了交流发言。", [("村党组织书记", 2), ("驻村第一书记", 3)]),
        # the body without what they spoke about, and the units without their post
        ("会上,7个乡镇党委书记围绕各自工作作了交流发言。", [("乡镇党委书记", 7)]),
        ("石门镇、龙口乡、白沙镇党委书记先后作交流发言。", [("石门镇、龙口乡、白沙镇", 3)]),
    ],
)
def test_speaking_bodies_in_other_words(text, groups):
    assert _speaking(text) == groups


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # a list of bodies counted in words
        ("来自全县各乡镇的十八名村党组织书记、十名驻村第一书记和二十二名致富带头人参加座谈会。",
         [(10, False), (18, False), (22, False)]),
        ("一百二十余名基层武装干部参加会议。", [(120, True)]),
    ],
)
def test_listed_bodies_counted_in_words(text, counts):
    assert counts_of(text) == counts
    doc = make_document(text, "made_up.txt")
    assert all(g.group[:1] not in "一二三四五六七八九十来" for g in extract(doc).attendees)
