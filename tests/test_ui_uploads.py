"""Uploads: names cannot escape the uploads folder; wrong types and sizes are refused with reasons."""

from __future__ import annotations

import pytest

from rag.settings import load_settings
from ui.uploads import check_upload, is_upload, safe_name, save_uploads, uploads_dir


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("会议纪要.txt", "会议纪要.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("/etc/cron.d/evil.md", "evil.md"),
        ("C:\\Users\\张三\\会议.docx", "会议.docx"),
        ("..\\..\\x.pdf", "x.pdf"),
        ("..", "upload"),
        ("", "upload"),
        (".hidden.txt", "hidden.txt"),
        ('a<b>:"c"|?*.txt', "abc.txt"),
        ("line\nbreak\x00.txt", "linebreak.txt"),
    ],
)
def test_safe_name_keeps_a_plain_base_name(name, expected):
    assert safe_name(name) == expected


def test_safe_name_shortens_long_names_keeping_the_suffix():
    out = safe_name("长" * 300 + ".docx")
    assert out.endswith(".docx") and len(out) <= 120


@pytest.fixture
def settings(tmp_path):
    return load_settings(environ={}, home=tmp_path / "home", max_upload_mb=0.01)  # 10 KB


def write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.exe", b"MZ", "不支持“.exe”文件"),
        ("README", b"x", "不支持没有扩展名的文件"),
        ("big.txt", b"x" * 20_000, "超过上限 0.01 MB"),
        ("empty.txt", b"", "文件是空的"),
    ],
)
def test_check_upload_refuses_with_a_reason(tmp_path, settings, name, data, reason):
    assert reason in check_upload(write(tmp_path / "f", data), name, settings)


def test_check_upload_accepts_a_small_supported_file(tmp_path, settings):
    assert check_upload(write(tmp_path / "f", "会议".encode()), "会议.TXT", settings) is None


def test_save_uploads_copies_under_uploads_with_safe_names(tmp_path, settings):
    a = write(tmp_path / "a", "第一份".encode())
    b = write(tmp_path / "b", "第二份".encode())
    c = write(tmp_path / "c", b"MZ")
    saved, refused = save_uploads([a, b, c], settings, names=["../../会议.txt", "/abs/会议.txt", "x.exe"])
    assert [p.name for p in saved] == ["会议.txt", "会议-2.txt"]
    assert all(p.parent == uploads_dir(settings).resolve() for p in saved)
    assert saved[0].read_text(encoding="utf-8") == "第一份"
    assert [(r.path, r.status) for r in refused] == [("x.exe", "failed")]
    assert is_upload(str(saved[0]), settings)
    assert not is_upload(str(tmp_path / "a"), settings)
