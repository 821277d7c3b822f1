import pytest

from rag.zh.numerals import cn_to_int, counts


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一百二十", 120), ("十五", 15), ("十", 10), ("二十", 20), ("两百", 200), ("一千零五", 1005),
     ("三万五千", 35000), ("一百", 100), ("120", 120), ("1,200", 1200), ("一些", None), ("", None)],
)
def test_cn_to_int_reads_numerals(numeral, value):
    assert cn_to_int(numeral) == value


@pytest.mark.parametrize(
    ("text", "value", "approx"),
    [("一百二十余人参加", 120, True), ("120多人", 120, True), ("共计160余人参加会议", 160, True),
     ("近两百人", 200, True), ("30余名同志", 30, True), ("84名书记", 84, False), ("二十三个村", 23, False)],
)
def test_counts_keep_value_and_approximation(text, value, approx):
    (c,) = counts(text)
    assert (c.value, c.approx) == (value, approx)
    assert text[c.start : c.end].endswith(c.unit)


def test_counts_skip_articles():
    assert counts("一名同志作了发言") == []


def test_counts_keep_pairs_when_asked():
    assert counts("两名党组织书记作了交流发言") == []
    (c,) = counts("两名党组织书记作了交流发言", pairs=True)
    assert (c.value, c.unit) == (2, "名")
    assert counts("一名同志发言", pairs=True) == []
