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
