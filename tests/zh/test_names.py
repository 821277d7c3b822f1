import re

import pytest

from rag.zh.names import MASKED_NAME, POST, SURNAMES, TITLE_POST, forms_of_address


@pytest.mark.parametrize(
    ("name", "role", "forms"),
    [
        ("向成林", "镇党委副书记、镇长", {"向镇长", "向副书记", "向书记"}),
        ("石*", "县应急管理局副局长", {"石副局长", "石局长"}),
        ("苏文斌", "县委常委、组织部部长", {"苏部长"}),
        ("梁海燕", "街道党工委副书记、办事处主任", {"梁副书记", "梁书记", "梁主任"}),
        ("覃立军", "常务副县长", {"覃副县长", "覃县长"}),
        ("张晓楠", "镇党委委员、宣传委员", {"张委员"}),
        ("周建林", None, set()),
        ("周建林", "老党员", set()),
        ("乙丙", "镇长", set()),  # 乙 is no surname
    ],
)
def test_forms_of_address_per_post(name, role, forms):
    assert forms_of_address(name, role) == forms


@pytest.mark.parametrize(
    ("text", "post"),
    [("镇党委副书记王某某", "党委副书记"), ("常务副县长李四", "常务副县长"), ("宣传委员张晓楠", "宣传委员"),
     ("村会计胡丽萍", "会计"), ("县局股长吴明", "股长"), ("镇人大主席刘长青", "主席")],
)
def test_post_is_read_before_a_name(text, post):
    m = re.search(POST, text)
    assert m is not None and m.group(0) == post


@pytest.mark.parametrize(("text", "hit"), [("许书记", True), ("唐副镇长", True), ("吴股长", True), ("许先生", False)])
def test_title_post_after_a_surname(text, hit):
    assert (re.fullmatch(f"[{''.join(sorted(SURNAMES))}]{TITLE_POST}", text) is not None) == hit


@pytest.mark.parametrize(("text", "mark"), [("于XX主持", "于XX"), ("孙*讲话", "孙*"), ("王**", "王**"), ("刘某说", "刘某")])
def test_masked_names(text, mark):
    m = MASKED_NAME.match(text)
    assert m is not None and m.group(0) == mark
