import pytest

from rag.zh.predicates import same_meaning, written


@pytest.mark.parametrize(
    ("word", "text"),
    [("参加", "市领导出席会议"), ("开", "会议在县委六楼召开"), ("召开", "推进会在石桥镇举行"),
     ("参会", "160余人参加会议"), ("观摩", "与会人员参观了示范基地")],
)
def test_written_finds_a_verb_of_the_same_meaning(word, text):
    assert written(word, text)


@pytest.mark.parametrize(("word", "text"), [("参加", "县委书记主持会议"), ("主持", "县长讲话"), ("经费", "出席会议")])
def test_written_does_not_cross_meanings(word, text):
    assert not written(word, text)


def test_same_meaning_of_an_unknown_word_is_itself():
    assert same_meaning("经费") == {"经费"}


def test_verbs_of_saying_are_one_meaning_only_when_asked():
    assert written("讲话", "县委书记强调", speech=True)
    assert not written("发言", "县委书记讲话")  # 交流发言 names a genre, not any speech
