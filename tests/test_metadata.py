import pytest

from rag.metadata import doc_id_for, find_dates, is_page_chrome, make_document


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3月28日上午,全市", ["3月28日"]),
        ("2022-09-23 11", ["2022-09-23"]),
        ("10月8日-9日,我市召开", ["10月8日-9日"]),
        ("2023年5月6日和5月6日", ["2023年5月6日", "5月6日"]),
        ("没有日期", []),
    ],
)
def test_find_dates(text, expected):
    assert find_dates(text) == expected


def test_seed_dates(seed_docs):
    assert seed_docs["000_1e9d919d8109f11d"].dates[0] == "3月28日"
    assert seed_docs["001_22e3048d9cfc27bc"].dates[0] == "3月30日"
    assert seed_docs["002_41ec3728fe3387ef"].dates[0] == "2022-09-23"
    assert seed_docs["003_04edc0192fabf55a"].dates[0] == "10月8日-9日"
    assert seed_docs["004_41f6191bd45bc140"].dates == ()


def test_doc_id_is_a_content_hash():
    assert doc_id_for("abc") == doc_id_for("abc") != doc_id_for("abd")
    assert len(doc_id_for("abc")) == 16


@pytest.mark.parametrize(
    ("line", "chrome"),
    [("首页 | 政务公开 | 政务动态 | 乡镇动态", True), ("当前位置：首页 > 政务动态 > 乡镇动态", True),
     ("首页 > 新闻中心 > 基层动态", True), ("我县召开特色水果产业发展现场推进会", False),
     ("县委书记 | 县长", False), ("时间：2024年3月5日 | 地点：镇政府三楼", False)],
)
def test_page_chrome_is_told_from_text(line, chrome):
    assert is_page_chrome(line) is chrome


def test_a_web_pages_navigation_is_never_the_title():
    raw = ("首页 | 政务公开 | 政务动态 | 部门动态 | 乡镇动态\n\n当前位置：首页 > 政务动态 > 乡镇动态\n\n"
           "丰源镇召开秋冬季秸秆禁烧工作部署会\n2024-10-08\n10月8日，丰源镇召开秋冬季秸秆禁烧工作部署会。\n")
    assert make_document(raw, "/tmp/page.txt").title == "丰源镇召开秋冬季秸秆禁烧工作部署会"
