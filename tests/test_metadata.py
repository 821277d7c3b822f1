import pytest

from rag.metadata import doc_id_for, find_dates


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
