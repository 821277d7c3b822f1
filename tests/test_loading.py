"""rag.loading: every bad file is one clear LoadError; every supported file reads back its text.

Real files only: .docx made with python-docx, PDFs drawn by matplotlib's PDF
backend (or written by hand where the test needs a particular structure), text
in each encoding produced by Python's own codecs from the seed documents.
"""

from __future__ import annotations

import io
import random
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import SEEDS

from rag.cleaning import clean
from rag.errors import LoadError
from rag.ingest import source_key
from rag.loading import decode_bytes, iter_files, load_text
from rag.settings import Settings

ZH_SIMPLIFIED = (SEEDS / "004_41f6191bd45bc140.txt").read_text(encoding="utf-8")
# The traditional seed without its pinyin notes, so that Big5 can encode all of it.
ZH_TRADITIONAL = clean((SEEDS / "000_1e9d919d8109f11d.txt").read_text(encoding="utf-8")).display
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def plot_pdf(lines: list[str], font: Path | None = None) -> bytes:
    """A real text PDF drawn by matplotlib: standard Helvetica, or an embedded CJK font."""
    import matplotlib

    matplotlib.use("pdf")
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    kw = {"fontproperties": FontProperties(fname=str(font))} if font else {}
    with matplotlib.rc_context({"pdf.use14corefonts": font is None, "pdf.fonttype": 42}):
        fig = plt.figure(figsize=(6, 1 + len(lines) * 0.4))
        for i, line in enumerate(lines):
            fig.text(0.05, 0.9 - i * 0.8 / len(lines), line, **kw)
        buf = io.BytesIO()
        fig.savefig(buf, format="pdf")
        plt.close(fig)
    return buf.getvalue()


def hand_pdf(content: bytes) -> bytes:
    """A minimal one-page PDF with Helvetica and a Flate-compressed content stream."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    document.save(str(path))
    return path


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _random_bytes(n: int, lo: int, hi: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(lo, hi) for _ in range(n))


# name -> (bytes, reason pattern). Each is something a user could plausibly feed the tool.
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", r"the file is empty \(no text\)"),
    "blank.md": (" \r\n\t\n\u3000\n".encode(), r"the file is empty"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _random_bytes(3000, 0, 256), r"binary data"),
    "elf.md": (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + _random_bytes(2000, 0, 256), r"binary data"),
    # No NUL byte and valid 7-bit ASCII, but a third of it is control characters.
    "controls.txt": (_random_bytes(4000, 1, 128), r"binary data"),
    # A UTF-16 byte-order mark followed by noise must not pass as UTF-16 text.
    "bom-noise.txt": (b"\xff\xfe" + _random_bytes(4000, 1, 256), r"not valid UTF-16"),
    "bom-noise-no-surrogates.txt": (
        b"\xff\xfe" + bytes(b if i % 2 == 0 or not 0xD8 <= b <= 0xDF else 0x41
                             for i, b in enumerate(_random_bytes(4000, 1, 256))),
        r"binary data",
    ),
    "undecodable.txt": (bytes([0x80, 0x81, 0xFE, 0xFF, 0xC0, 0xC1]) * 50, r"undecodable bytes"),
    "latin1-noise.html": (_random_bytes(3000, 0x80, 0x100, seed=3), r"undecodable bytes|garbled"),
    "not-a-zip.docx": (b"PK? this was renamed from .txt", r"not a valid \.docx \(it is not a zip archive, or it is truncated\)"),
    "zip-not-docx.docx": (_zip({"hello.txt": b"hi"}), r"not a readable \.docx"),
    "empty.docx": (b"", r"not a valid \.docx"),
    "empty.pdf": (b"", r"not a readable PDF"),
    "garbage.pdf": (b"%PDF-1.7\n" + _random_bytes(500, 0, 256), r"not a readable PDF|no extractable text"),
    "no-text.pdf": (hand_pdf(b"0 0 m 100 100 l S"), r"no extractable text \(a scan\?\)"),
    "slides.pptx": (b"PK\x03\x04", r"unsupported format \.pptx"),
    "README": (b"text", r"unsupported format \(none\)"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_load_text_bad_file_is_one_line_load_error(tmp_path, name):
    data, reason = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError, match=reason) as err:
        load_text(path)
    assert err.value.path == str(path)
    assert str(err.value) == f"{path}: {err.value.reason}"
    assert "\n" not in str(err.value) and len(err.value.reason) < 200


@pytest.mark.parametrize("frac", [0.2, 0.5, 0.9, 0.99])
def test_load_text_truncated_pdf_is_refused(tmp_path, frac, caplog):
    data = plot_pdf(["Meeting chaired by Liu Yujie on March 28."])
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * frac)])
    with pytest.raises(LoadError, match=r"not a readable PDF \(.+\); is it truncated or encrypted\?"):
        load_text(path)
    # pypdf's own warnings ("EOF marker not found") must not add stray lines to the CLI's stderr.
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


def test_load_text_truncated_docx_is_refused(tmp_path):
    whole = make_docx(tmp_path / "whole.docx", ["座谈会由刘玉杰主持。"]).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(LoadError, match=r"not a valid \.docx"):
        load_text(path)


def test_load_text_missing_file_and_folder(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load_text(tmp_path / "nope.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(LoadError, match="not a regular file"):
        load_text(tmp_path / "dir.txt")


# --- size limits ------------------------------------------------------------


def test_default_file_size_limit_is_50_mb(tmp_path):
    assert Settings().max_file_mb == 50
    assert Settings.model_fields["max_file_mb"].default == 50
    import inspect

    assert inspect.signature(load_text).parameters["max_mb"].default == 50


def test_load_text_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes("会议纪要。".encode() * 5000)  # 75 KB
    with pytest.raises(LoadError, match=r"file is 0\.1 MB, over the 0\.05 MB limit \(MEETRAG_MAX_FILE_MB\)"):
        load_text(path, max_mb=0.05)
    assert load_text(path, max_mb=0.1).startswith("会议纪要。")


def test_load_text_docx_that_expands_past_the_limit_is_refused(tmp_path):
    """A zip compresses repetitive text ~1000:1, so the file size alone does not bound the text."""
    path = make_docx(tmp_path / "bomb.docx", ["会议" * 1_000_000])  # 6 MB of text, ~30 KB on disk
    assert path.stat().st_size < 100_000
    with pytest.raises(LoadError, match=r"expands to \d+\.\d MB.*over the 1 MB limit"):
        load_text(path, max_mb=1)
    assert len(load_text(path, max_mb=10)) == 2_000_000


def test_load_text_pdf_with_more_text_than_the_limit_is_refused(tmp_path):
    line = b"(" + b"Minutes of the meeting " * 20 + b") Tj T* "
    path = tmp_path / "dense.pdf"
    path.write_bytes(hand_pdf(b"BT /F1 1 Tf 14 TL 10 780 Td " + line * 1000 + b"ET"))  # ~460 KB of text
    assert path.stat().st_size < 20_000
    with pytest.raises(LoadError, match=r"PDF holds \d+\.\d MB of text, over the 0\.1 MB limit"):
        load_text(path, max_mb=0.1)


# --- encodings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "text", "prefix"),
    [
        ("utf-8", ZH_SIMPLIFIED, b""),
        ("gbk", ZH_SIMPLIFIED, b""),
        ("gb18030", ZH_SIMPLIFIED + "\n𠀀𪚥 (GB18030 四字节字)", b""),
        ("gbk", ZH_TRADITIONAL, b""),  # traditional characters saved as GBK
        ("big5", ZH_TRADITIONAL, b""),
        ("utf-8", ZH_TRADITIONAL, b"\xef\xbb\xbf"),  # UTF-8 with BOM (Notepad)
        ("utf-16-le", ZH_SIMPLIFIED, b"\xff\xfe"),  # Windows "Unicode"
        ("utf-16-be", ZH_TRADITIONAL, b"\xfe\xff"),
        ("utf-16-le", ZH_SIMPLIFIED, b""),  # no BOM: told apart from binary by where the NULs are
        ("utf-16-be", ZH_SIMPLIFIED, b""),
    ],
)
def test_load_text_chinese_encodings_round_trip(tmp_path, encoding, text, prefix):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(prefix + text.encode(encoding))
    assert load_text(path) == text


def test_decode_bytes_names_the_encoding():
    assert decode_bytes("会议".encode("gbk") * 20)[1] == "gb18030"
    assert decode_bytes("會議".encode("big5") * 20)[1] == "big5"
    assert decode_bytes(b"\xef\xbb\xbf" + "会议".encode())[1] == "utf-8-sig"


def test_load_text_keeps_a_few_stray_control_characters(tmp_path):
    path = tmp_path / "dos.txt"
    path.write_bytes("会议纪要\f第二页。\n".encode() * 50 + b"\x1a")  # form feeds and a DOS EOF mark
    assert load_text(path).startswith("会议纪要\f第二页。")


# --- formats ------------------------------------------------------------------


def test_load_text_real_docx_with_table(tmp_path):
    path = make_docx(
        tmp_path / "纪要.docx",
        ["全市优秀基层党组织书记座谈会", "市委书记刘玉杰主持会议并讲话。"],
        table=[["姓名", "职务"], ["王波", "市委常委"]],
    )
    text = load_text(path)
    assert text.split("\n") == ["全市优秀基层党组织书记座谈会", "市委书记刘玉杰主持会议并讲话。", "姓名 职务", "王波 市委常委"]


def _docx_with_doctype(tmp_path: Path, dtd: str, body: str) -> Path:
    """A real .docx whose document.xml was edited to declare ``dtd`` and hold ``body``."""
    with zipfile.ZipFile(make_docx(tmp_path / "base.docx", ["PLACEHOLDER"])) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts["word/document.xml"].decode()
    cut = xml.index("?>") + 2
    parts["word/document.xml"] = (xml[:cut] + dtd + xml[cut:]).replace("PLACEHOLDER", body).encode()
    path = tmp_path / "evil.docx"
    path.write_bytes(_zip(parts))
    return path


def test_load_text_docx_external_entity_reads_no_local_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42", encoding="utf-8")
    path = _docx_with_doctype(
        tmp_path, f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>', "会议 &xxe; 结束"
    )
    assert "TOPSECRET" not in load_text(path)


def test_load_text_docx_entity_bomb_is_refused_at_once(tmp_path):
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = _docx_with_doctype(tmp_path, f'<!DOCTYPE w:document [<!ENTITY l0 "会议">{levels}]>', "&l9;")
    t0 = time.perf_counter()
    with pytest.raises(LoadError, match=r"not a readable \.docx"):
        load_text(path)  # 10^9 copies if expanded
    assert time.perf_counter() - t0 < 5


def test_load_text_real_pdf_ascii(tmp_path):
    path = tmp_path / "minutes.pdf"
    path.write_bytes(plot_pdf(["Meeting chaired by Liu Yujie.", "84 secretaries attended."]))
    text = load_text(path)
    assert "Meeting chaired by Liu Yujie." in text and "84 secretaries attended." in text


def test_load_text_hand_written_pdf(tmp_path):
    path = tmp_path / "hand.pdf"
    path.write_bytes(hand_pdf(b"BT /F1 12 Tf 72 720 Td (The meeting was held on 28 March.) Tj ET"))
    assert load_text(path) == "The meeting was held on 28 March."


@pytest.mark.skipif(not WQY.exists(), reason="needs the WenQuanYi CJK font")
def test_load_text_real_pdf_chinese(tmp_path):
    path = tmp_path / "纪要.pdf"
    path.write_bytes(plot_pdf(["座谈会由市委书记刘玉杰主持。", "会议强调要深入学习贯彻。"], font=WQY))
    assert load_text(path).split("\n") == ["座谈会由市委书记刘玉杰主持。", "会议强调要深入学习贯彻。"]


def test_load_text_html_drops_scripts_and_styles(tmp_path):
    markup = """<!doctype html><html><head><title>座谈会纪要</title>
    <script>document.write('脚本里的字')</script><style>p { color: red }</style></head>
    <body><p>市委书记刘玉杰主持会议。</p><SCRIPT type="text/javascript">var secret = "秘密";</SCRIPT>
    <noscript>请启用脚本</noscript><p>王波&amp;吕国平出席。</p>
    <script>unterminated('到文件末尾都是脚本')"""
    path = tmp_path / "page.html"
    path.write_text(markup, encoding="utf-8")
    assert load_text(path) == "座谈会纪要\n市委书记刘玉杰主持会议。\n王波&吕国平出席。"


@pytest.mark.parametrize(
    "markup",
    [
        "<html><head><meta charset=utf-8><title>座谈会</title><body><p>刘玉杰主持会议。</p></body></html>",
        "<head><title>座谈会</title><style>p {}</style><p>刘玉杰主持会议。</p>",  # no </head>, no <body>
        "<html><head><title>座谈会</title></head><body><p>刘玉杰主持会议。</p></body></html>",
    ],
)
def test_load_text_html_keeps_the_body_when_head_is_not_closed(tmp_path, markup):
    path = tmp_path / "page.html"
    path.write_text(markup, encoding="utf-8")
    assert load_text(path) == "座谈会\n刘玉杰主持会议。"


def test_load_text_html_in_gbk(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes("<p>市委书记刘玉杰主持会议。</p><script>x()</script>".encode("gbk"))
    assert load_text(path) == "市委书记刘玉杰主持会议。"


# --- paths --------------------------------------------------------------------


def test_paths_are_taken_as_given_relative_dotdot_and_absolute(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    target = tmp_path / "a" / "纪要.txt"
    target.write_text("座谈会由刘玉杰主持。", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "b")
    spellings = [Path("../a/纪要.txt"), tmp_path / "b" / ".." / "a" / "纪要.txt", target.resolve()]
    for p in spellings:
        assert load_text(p) == "座谈会由刘玉杰主持。"
    # One file, however it was named, is one source (so re-ingesting it is "unchanged").
    assert {source_key(p) for p in spellings} == {str(target.resolve())}
    with pytest.raises(LoadError) as err:
        load_text(Path("../a/../../no/such.txt"))
    assert err.value.path == "../a/../../no/such.txt"  # reported as the user typed it


def test_iter_files_walks_folders_and_skips_hidden_and_unsupported(tmp_path):
    for name in ("b.txt", "a.md", "sub/c.docx", ".hidden.txt", "notes.xlsx", "sub/.git/x.txt"):
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    got = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert got == ["a.md", "b.txt", "sub/c.docx"]  # nor files inside hidden folders (.git, .venv)
    assert list(iter_files([tmp_path / "notes.xlsx"])) == [tmp_path / "notes.xlsx"]  # given files pass as given
