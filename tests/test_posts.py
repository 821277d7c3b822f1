"""A post written before a name is read whole: never 委副书记 for 镇党委副书记."""

from __future__ import annotations

import pytest

from rag.question import role_before


@pytest.mark.parametrize(
    ("text", "name", "post"),
    [("镇党委副书记林晓燕", "林晓燕", "镇党委副书记"),
     ("会议由石桥镇党委副书记林晓燕主持", "林晓燕", "石桥镇党委副书记"),
     ("县委常委、组织部部长邹立群", "邹立群", "组织部部长"),
     ("县纪委书记王明", "王明", "县纪委书记"),
     ("由县委副书记叶崧", "叶崧", "县委副书记"),
     ("市委书记刘玉杰主持", "刘玉杰", "市委书记"),
     ("副县长林涛", "林涛", "副县长")],
)
def test_role_before_keeps_the_whole_post(text, name, post):
    assert role_before(text, text.index(name)) == post
