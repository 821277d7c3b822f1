"""Read user files into text: .txt/.md (any common Chinese encoding), .html, .docx, .pdf.

Every failure is a ``LoadError`` naming the file and the reason, so a batch can
report it in one line and go on with the next file.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from rag.errors import LoadError

SUPPORTED = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


@dataclass(frozen=True)
class Skipped:
    """Something in a folder that is not indexed, and why; ``failed`` when it is an
    error the user should fix (an unreadable folder), not a choice (a link out)."""

    path: Path
    reason: str
    failed: bool = False


_SPECIAL = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device",
            stat.S_IFBLK: "a device"}


def walk(paths: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    """Expand folders (recursively, in sorted path order) into supported files; files
    pass as given. What a folder holds but is not indexed comes out as ``Skipped``:

    * a folder that cannot be read (failed: its files would be missing silently);
    * a symbolic link leading outside the folder given (``notes.txt -> /etc/passwd``
      must not put a system file in the index), or a broken one;
    * a named pipe, socket or device with a supported suffix (reading a FIFO blocks).

    Silently left out, on purpose: hidden files and everything in hidden folders
    (``.git``, ``.venv``, ``.meetrag``: ``meetrag ingest .`` must not index a
    virtualenv), other formats, and links to folders inside the folder (their
    files are walked already; following them could loop).
    """
    for p in map(Path, paths):
        try:
            is_dir = p.is_dir()
        except OSError as e:  # a parent folder cannot be searched
            yield Skipped(p, f"cannot read it ({e.strerror}): check the permissions of its folders", True)
            continue
        if is_dir:
            yield from _walk_folder(p, p.resolve())
        else:
            yield p


def _walk_folder(folder: Path, root: Path) -> Iterator[Path | Skipped]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield Skipped(folder, f"cannot read the folder ({e.strerror}): fix its permissions "
                              f"(`chmod u+rx`), or move the files out of it", True)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        supported = path.suffix.lower() in SUPPORTED
        try:
            if entry.is_symlink():
                target = Path(os.path.realpath(path))
                if target != root and root not in target.parents:
                    if supported or path.is_dir():
                        yield Skipped(path, f"a symbolic link to {target}, outside {root}: not followed")
                    continue
                if not target.exists():
                    if supported:
                        yield Skipped(path, "a broken symbolic link")
                    continue
                if target.is_dir():
                    continue  # walked already where it lives, inside this folder
            if entry.is_dir():
                yield from _walk_folder(path, root)
            elif entry.is_file():
                if supported:
                    yield path
            elif supported:
                kind = _SPECIAL.get(stat.S_IFMT(entry.stat().st_mode), "not a regular file")
                yield Skipped(path, f"{kind}, not a regular file")
        except OSError as e:
            yield Skipped(path, f"cannot read it ({e.strerror})", True)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files ``walk`` finds, without what it skips."""
    return (p for p in walk(paths) if isinstance(p, Path))


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text bytes; returns (text, encoding). Tries UTF-8 (with or without
    BOM), UTF-16 (with BOM, or without one when the NUL bytes line up as in
    UTF-16), then GB18030 and Big5, picking the best-scoring one. Bytes that
    decode but come out as control characters are binary data, not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _text_or_binary(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ValueError("starts with a UTF-16 byte-order mark but is not valid UTF-16 text") from e
        if _score(text) < 0.5:
            raise ValueError("starts with a UTF-16 byte-order mark but the text looks garbled (binary data?)")
        return _text_or_binary(text, "utf-16")
    if b"\x00" in data[:8192]:
        return _utf16_without_bom(data)
    try:
        return _text_or_binary(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((_score(text := data.decode(enc)), enc, text))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise ValueError("undecodable bytes: not UTF-8, GB18030/GBK or Big5")
    score, enc, text = max(candidates)
    if score < 0.5:
        raise ValueError(f"text decodes as {enc} but looks garbled; save it as UTF-8")
    return _text_or_binary(text, enc)


# C0/C1 control characters other than tab, line breaks and form feed; surrogates;
# private-use characters. Text has none or a stray few; binary data decoded by
# chance is full of them (random 7-bit bytes: one in four).
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffe\uffff]")


def _text_or_binary(text: str, enc: str) -> tuple[str, str]:
    sample = text[:100_000]  # binary data shows at once; bounded work on a 50 MB file
    bad = sum(1 for _ in _NOT_TEXT.finditer(sample))
    if bad > max(2, len(sample) // 100):
        raise ValueError(f"binary data ({bad} control characters when read as {enc}), not a text file")
    return text, enc


def _utf16_without_bom(data: bytes) -> tuple[str, str]:
    """UTF-16 text saved without a BOM has most NULs (the high bytes of ASCII
    characters) on one side: odd offsets for little-endian, even for big-endian.
    Binary data with NULs fails the checks on the decoded text instead."""
    head = data[:8192]
    enc = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    if len(data) % 2 == 0:
        try:
            text = data.decode(enc)
            if _score(text) >= 0.5:
                return _text_or_binary(text, enc)
        except (UnicodeDecodeError, ValueError):
            pass
    raise ValueError("binary data (NUL bytes), not a text file")


# The 500 most frequent Chinese characters cover ~75% of running text; a wrong
# decoding produces rare characters instead. Simplified and traditional forms.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龍會國們這個說時來對於與為書黨組織縣鄉鎮領導習鳳發"
)


def _score(text: str) -> float:
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 1.0 if text.isprintable() or "\n" in text else 0.0
    return sum(c in _COMMON for c in han) / len(han) / 0.5  # ~0.5+ for real text


class _TextExtractor(HTMLParser):
    """HTML -> text: drops script/style, turns block elements into line breaks."""

    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "title"}
    # Not "head": its end tag is optional in HTML, and skipping it would drop the whole
    # body of such a page. Its text-bearing children (title, script, style) are handled.
    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self.SKIP:
            self._skip += 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self.SKIP and self._skip:
            self._skip -= 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif not self._skip:
            self.parts.append(data)

    def text(self) -> str:
        body = re.sub(r"[ \t]*\n[ \t\n]*", "\n", "".join(self.parts)).strip()
        title = "".join(self._title).strip()
        if title and not body.startswith(title):
            body = f"{title}\n{body}"
        return body


def html_to_text(markup: str) -> str:
    """The text of an HTML page. Character references are decoded once, by the
    parser (``convert_charrefs``): ``&amp;lt;`` is the text ``&lt;``, not ``<``."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return parser.text()


def _read_docx(path: Path, max_mb: float) -> str:
    if not zipfile.is_zipfile(path):
        raise ValueError("not a valid .docx (it is not a zip archive, or it is truncated); re-save it from Word")
    # The size limit must hold for what is parsed, not just the compressed file:
    # a 30 KB .docx can expand to gigabytes of XML (images are not parsed).
    try:
        with zipfile.ZipFile(path) as z:
            expanded = sum(i.file_size for i in z.infolist() if not i.filename.startswith("word/media/"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as e:
        raise ValueError(f"not a valid .docx ({e}); re-save it from Word") from e
    if expanded / 1e6 > max_mb:
        raise ValueError(
            f"the .docx expands to {expanded / 1e6:.1f} MB of text and markup, "
            f"over the {max_mb:g} MB limit (MEETRAG_MAX_FILE_MB)"
        )
    import docx  # lazy: python-docx

    try:
        document = docx.Document(str(path))
    except Exception as e:  # python-docx raises several unrelated types for broken packages
        raise ValueError(f"not a readable .docx ({type(e).__name__}: {e})") from e
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _read_pdf(path: Path, max_mb: float) -> str:
    import pypdf  # lazy

    # pypdf logs repairs ("EOF marker not found") to stderr; our error says it in one line.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as e:  # pypdf raises many types for damaged files
        raise ValueError(f"not a readable PDF ({type(e).__name__}: {e}); is it truncated or encrypted?") from e
    text = "\n".join(pages)
    if not text.strip():
        raise ValueError("the PDF has no extractable text (a scan?); run OCR on it first")
    # Compressed content streams let a small PDF hold far more text than its size.
    size_mb = len(text.encode("utf-8")) / 1e6
    if size_mb > max_mb:
        raise ValueError(f"the PDF holds {size_mb:.1f} MB of text, over the {max_mb:g} MB limit (MEETRAG_MAX_FILE_MB)")
    return text


def load_text(path: Path, max_mb: float = 50.0) -> str:
    """Return the text of one file, or raise LoadError with a one-line reason."""
    try:
        if not path.exists():
            raise ValueError("no such file")
        if not path.is_file():
            raise ValueError("not a regular file")
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED:
            raise ValueError(f"unsupported format {suffix or '(none)'}; supported: {', '.join(SUPPORTED)}")
        size_mb = path.stat().st_size / 1e6
        if size_mb > max_mb:
            raise ValueError(f"file is {size_mb:.1f} MB, over the {max_mb:g} MB limit (MEETRAG_MAX_FILE_MB)")
        if suffix == ".docx":
            text = _read_docx(path, max_mb)
        elif suffix == ".pdf":
            text = _read_pdf(path, max_mb)
        else:
            text, _ = decode_bytes(path.read_bytes())
            if suffix in (".html", ".htm"):
                text = html_to_text(text)
    except LoadError:
        raise
    except (ValueError, UnicodeError, OSError) as e:
        raise LoadError(str(path), str(e)) from e
    if not text.strip():
        raise LoadError(str(path), "the file is empty (no text)")
    return text
