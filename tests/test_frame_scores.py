"""The frame scorer's matching of titles: the same meeting named with or without its year,
an aside or its scope matches; a different meeting does not."""

from __future__ import annotations

import pytest

from eval.summary_metrics import MATCHERS


@pytest.mark.parametrize(
    ("gold", "ours", "same"),
    [
        ("白鹭县2022年度抓党建促乡村振兴观摩评比会", "白鹭县抓党建促乡村振兴观摩评比会", True),
        ("逊克县招商引资暨重点项目建设推进会议", "全县招商引资暨重点项目建设推进会议", True),
        ("2021年村党组织书记乡村振兴专题培训班开班式", "全县村党组织书记乡村振兴专题培训班", True),
        ('村级集体经济"强村攻坚"三年行动(2018-2020年)动员大会', '村级集体经济"强村攻坚"三年行动动员大会', True),
        ("防汛工作会议", "全县防汛工作会议", True),
        ("全县防汛会议", "全镇安全生产会议", False),
        ("防汛会议", "全县防汛工作会议", False),
        ("村党组织书记座谈会", "连城县四堡乡2022年村党组织书记抓党建促乡村振兴擂台比武活动", False),
    ],
)
def test_titles_of_the_same_meeting_match(gold, ours, same):
    assert MATCHERS["title"](gold, ours) is same
