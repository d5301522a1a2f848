"""Load: bytes of a letter (file or upload) → RawText. Decoding only; cleaning happens in rag.ingest.clean.

Text formats never assume an encoding: BOM → strict UTF-8 → UTF-8 and GB18030 line by line (a file pasted
together from both) → strict GB18030 → charset-normalizer's best guess. Anything we cannot read, including a
file over MAX_MB, a truncated PDF or a file whose content does not match its extension, raises InputError
naming the file and the fix; no other exception escapes read_file/read_bytes on bad content.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
import zipfile
from functools import lru_cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from rag.core.errors import InputError
from rag.core.records import RawText

if TYPE_CHECKING:
    from bs4 import PageElement, Tag
    from docx.table import Table

SUPPORTED_SUFFIXES: tuple[str, ...] = (".docx", ".htm", ".html", ".md", ".pdf", ".txt")
_TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html"}

# longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MAX_MB = 20  # the default of RAG_MAX_UPLOAD_MB, which the ingestor passes in
MAX_BYTES = MAX_MB * 1024 * 1024
_MAX_UNZIPPED = 200 * 1024 * 1024  # a .docx that inflates beyond this is a zip bomb, not a letter
_PDF_EOF_WINDOW = 1024  # a complete PDF ends with %%EOF (readers look in the last KB)
_MAX_CONTROL_RATIO = 0.02  # real letters have next to no control characters; binaries have many
_DROP_TAGS = ("script", "style", "nav", "header", "footer", "noscript", "template", "head", "iframe", "svg")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
    "section", "article", "blockquote", "pre", "dt", "dd", "hr", "center", "form", "main", "aside",
)  # fmt: skip
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_SPACE_RUN = re.compile(r"\s+")
_WS_RUN = re.compile(r"[ \t\r\n\f\v]+")


def read_file(path: Path) -> RawText:
    """Read and decode one letter from disk; `source` is the resolved path."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a folder; give one letter file")
    if not p.is_file():
        raise InputError(f"{p}: no such file; check the path")
    check_file(p)  # before reading: no point loading a 2 GB video
    return _decode(p.read_bytes(), p.suffix.lower(), str(p.resolve()), MAX_BYTES)


def check_file(path: Path, max_bytes: int = MAX_BYTES) -> None:
    """Refuse a file by its extension and size alone, without reading it."""
    _check_suffix(path.suffix.lower(), str(path))
    _check_size(path.stat().st_size, str(path), max_bytes)


def read_bytes(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> RawText:
    """Decode an upload. `name` only gives the extension and the `source` label; it is never opened."""
    suffix = PurePath(name).suffix.lower()
    _check_suffix(suffix, name)
    _check_size(len(data), name, max_bytes)
    return _decode(data, suffix, name, max_bytes)


def _check_suffix(suffix: str, label: str) -> None:
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{label}: unsupported file type {suffix or '(no extension)'!r}; "
            f"save the letter as one of: {', '.join(SUPPORTED_SUFFIXES)}"
        )


def _check_size(size: int, label: str, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(
            f"{label}: {size / 2**20:.1f} MB is over the {max_bytes / 2**20:g} MB limit for one letter; "
            "check it is the letter itself (not a scan or an archive), split it into one file per letter, "
            "or raise RAG_MAX_UPLOAD_MB"
        )


# (magic bytes, what the file really is, what to do); checked against the extension before decoding
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "pdf", "a PDF file; rename it to .pdf"),
    (b"PK\x03\x04", "zip", "a ZIP archive (a .docx is one); if it is a Word file rename it to .docx, else unpack it"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "an old Word .doc/.wps file; open it in Word/WPS and save as .docx"),
    (b"{\\rtf", "rtf", "an RTF file; open it in Word/WPS and save as .docx"),
    (b"\x89PNG", "image", "a PNG image; run OCR on it and save the text as .txt or .docx"),
    (b"\xff\xd8\xff", "image", "a JPEG image; run OCR on it and save the text as .txt or .docx"),
    (b"GIF8", "image", "a GIF image; run OCR on it and save the text as .txt or .docx"),
    (b"II*\x00", "image", "a TIFF image (a fax or scan?); run OCR on it and save the text"),
    (b"MM\x00*", "image", "a TIFF image (a fax or scan?); run OCR on it and save the text"),
    (b"\x1f\x8b", "archive", "a gzip archive; unpack it first"),
    (b"Rar!", "archive", "a RAR archive; unpack it first"),
    (b"7z\xbc\xaf", "archive", "a 7-Zip archive; unpack it first"),
)
_EXPECTED = {".docx": "zip", ".pdf": "pdf"}  # text suffixes expect no signature at all


def _check_content_type(data: bytes, suffix: str, source: str) -> None:
    head = data[:1024].lstrip()  # leading whitespace is harmless; the magic bytes decide
    for magic, kind, fix in _SIGNATURES:
        if head.startswith(magic):
            if kind != _EXPECTED.get(suffix):
                raise InputError(f"{source}: named {suffix} but the content is {fix}")
            return


def _decode(data: bytes, suffix: str, source: str, max_bytes: int) -> RawText:
    if not data.strip():
        raise InputError(f"{source}: file is empty; export the letter's text again")
    sha = hashlib.sha256(data).hexdigest()
    _check_content_type(data, suffix, source)
    if suffix == ".docx":
        text, fmt, enc = _docx_text(data, source, max_bytes), "docx", "docx"
    elif suffix == ".pdf":
        text, fmt, enc = _pdf_text(data, source), "pdf", "pdf"
    else:
        text, enc = decode_text(data, source)
        fmt = _TEXT_SUFFIXES[suffix]
        if fmt == "html":
            text = html_text(text)
    if not text.strip().strip("\ufeff\u200b").strip():  # a stray BOM or zero-width space is no text
        raise InputError(f"{source}: no text found in the {fmt} file; check it is the letter itself")
    return RawText(source=source, text=text, fmt=fmt, encoding=enc, sha256=sha)


def decode_text(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Bytes of a text file → (text, encoding name). Raises InputError on binary or undecodable data."""
    text, enc = _try_decode(data, source)
    _reject_binary(text, source)
    return text, enc


def _try_decode(data: bytes, source: str) -> tuple[str, str]:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise InputError(f"{source}: starts with a {enc} BOM but is not valid {enc}: {e}") from e
    if b"\x00" in data:  # UTF-16 without BOM is too ambiguous to guess; binary files are full of NULs
        raise InputError(
            f"{source}: contains NUL bytes, so it looks binary; if it is UTF-16 text, save it with a BOM or as UTF-8"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed, "utf-8+gb18030"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only needed for the rare non-UTF-8, non-GB file

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(f"{source}: cannot detect the text encoding; save the file as UTF-8")
    return str(best), best.encoding


def _decode_mixed(data: bytes) -> str | None:
    """A file pasted together from UTF-8 and GBK parts (one section copied from a web page, the rest
    from an old document): decode each line on its own. None unless both encodings are really there;
    decoding the whole file as GB18030 would silently turn the UTF-8 lines into mojibake."""
    out: list[str] = []
    seen = {"utf-8": 0, "gb18030": 0}
    # \n and \r never occur inside a multi-byte UTF-8 or GB18030 character, so splitting bytes is safe
    for line in data.splitlines(keepends=True):
        if line.isascii():
            out.append(line.decode("ascii"))
            continue
        u, g = _strict(line, "utf-8"), _strict(line, "gb18030")
        if u is None and g is None:
            return None
        # valid both ways: real text is mostly common characters, mojibake mostly rare ones
        enc = "utf-8" if u is not None and (g is None or _common_share(u) > _common_share(g)) else "gb18030"
        seen[enc] += 1
        out.append(u if enc == "utf-8" else g)  # type: ignore[arg-type]
    return "".join(out) if all(seen.values()) else None


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """GB2312 level 1: the 3755 most frequent characters, the bulk of any real Chinese text."""
    pairs = (bytes((hi, lo)) for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF))
    return frozenset(c for b in pairs if (c := _strict(b, "gb2312")) is not None)


def _common_share(text: str) -> float:
    common = _common_hanzi()
    ok = sum(1 for c in text if c in common or c.isascii() or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    return ok / max(1, len(text))


def _reject_binary(text: str, source: str) -> None:
    bad = sum(1 for c in text if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v"))
    if bad > max(2, _MAX_CONTROL_RATIO * len(text)):
        raise InputError(
            f"{source}: {bad} control or undecodable characters in {len(text)}; this is not a text letter "
            "(export it as .txt, .docx or .pdf)"
        )


def html_text(markup: str) -> str:
    """Visible text of an HTML page, one block element per line; chrome lines are left for rag.ingest.clean.

    One walk over the parsed page in document order, with the open elements on a stack: a newline where a
    block element starts and where it ends, script/style/nav… skipped whole. Inserting those newlines into
    the tree instead costs bs4 a walk to the element's last descendant each time: quadratic in the depth
    (20,000 nested <div> took 73 s).
    """
    from bs4 import BeautifulSoup, NavigableString, Tag  # heavy import kept off the txt path

    soup = BeautifulSoup(markup, "lxml")
    out: list[str] = []
    stack: list[Tag] = []  # the elements the walk is inside, outermost first
    el = soup.contents[0] if soup.contents else None
    while el is not None:
        while stack and el.parent is not stack[-1]:  # the walk has left these elements
            if stack.pop().name in _BLOCK_TAGS:
                out.append("\n")
        if isinstance(el, Tag):
            if el.name in _DROP_TAGS:
                el = _after(el)
                continue
            if el.name in _BLOCK_TAGS:
                out.append("\n")
            stack.append(el)
        elif type(el) is NavigableString:  # comments, doctype, CDATA, script text: not visible text
            text = str(el)
            if el.parent is None or el.parent.name != "pre":
                # HTML renders a source line wrap as a space, but inside Chinese text it is just a wrap
                text = _WS_RUN.sub(" ", unwrap(text))
            out.append(text)
        el = el.next_element
    out += ["\n" for tag in stack if tag.name in _BLOCK_TAGS]
    lines = (ln.strip() for ln in "".join(out).splitlines())
    return "\n".join(ln for ln in lines if ln)


def unwrap(text: str) -> str:
    """Remove the HTML source wraps inside Chinese text: what `(?<=[CJK])\\s*\n\\s*(?=[CJK])` removes, in
    linear time. That regex tries every position after a Chinese character, and U+3000 (the ideographic
    space) is one while also being a space: in a run of them it re-scans the rest of the run from each
    one (quadratic). Per run of spaces that holds a line break, the regex removes
    from the first position after a Chinese character (the character before the run, or a U+3000 in it)
    to the last position before one (a U+3000 in the run, or the character after it), when a line break
    lies between the two; nothing else."""
    if "\n" not in text:
        return text
    out: list[str] = []
    done = 0
    for run in _SPACE_RUN.finditer(text):
        a, b = run.span()
        if "\n" not in run.group():
            continue
        if a > 0 and _CJK_CHAR.match(text, a - 1):
            start = a
        else:
            ideographic = text.find("\u3000", a, b - 1)
            if ideographic < 0:
                continue
            start = ideographic + 1
        newline = text.find("\n", start, b)
        if newline < 0:
            continue
        end = b if b < len(text) and _CJK_CHAR.match(text, b) else text.rfind("\u3000", newline + 1, b)
        if end <= newline:  # -1: no Chinese character after the line break
            continue
        out += [text[done:start]]
        done = end
    return "".join([*out, text[done:]])


def _after(tag: Tag) -> PageElement | None:
    """The first element after `tag` and everything inside it, in document order."""
    node: PageElement | None = tag
    while node is not None and node.next_sibling is None:
        node = node.parent
    return node.next_sibling if node is not None else None


def _docx_text(data: bytes, source: str, max_bytes: int = MAX_BYTES) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    _check_zip(data, source, max_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise InputError(f"{source}: not a readable .docx ({e}); open and re-save it in Word/WPS") from e
    except Exception as e:  # lxml raises its own XML errors on a damaged part
        raise InputError(f"{source}: corrupt .docx ({type(e).__name__}); re-save it in Word/WPS") from e
    out: list[str] = []
    try:
        # walk the body in order so tables stay where they are in the letter
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""  # comments have no str tag
            if tag == "p":
                out.append(DocxParagraph(child, document).text)
            elif tag == "tbl":
                out.extend(_table_rows(Table(child, document)))
    except Exception as e:  # a damaged body (odd merges, bad attributes) fails deep inside python-docx
        raise InputError(f"{source}: corrupt .docx body ({type(e).__name__}: {e}); re-save it in Word/WPS") from e
    return "\n".join(out)


def _check_zip(data: bytes, source: str, max_bytes: int) -> None:
    """Before python-docx inflates anything: a cut-off archive, a zip that is no Word file, a zip bomb, and
    a text part over the size limit of a letter (python-docx reads ~1 MB of it per second however small
    the file: 67 KB of tiny paragraphs unpack to 10 MB)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as e:
        raise InputError(
            f"{source}: not a readable .docx ({e}; truncated download or copy?); copy it again or re-save it "
            "in Word/WPS"
        ) from e
    body = next((i for i in infos if i.filename == "word/document.xml"), None)
    if body is None:
        raise InputError(f"{source}: a ZIP archive but not a Word document (no word/document.xml); "
                         "save the letter as .docx from Word/WPS")
    if body.file_size > max_bytes:
        raise InputError(
            f"{source}: its text part (word/document.xml) unpacks to {body.file_size / 2**20:.1f} MB, over the "
            f"{max_bytes / 2**20:g} MB limit for one letter; check it is the letter itself, split it into one "
            "file per letter, or raise RAG_MAX_UPLOAD_MB"
        )
    if sum(i.file_size for i in infos) > _MAX_UNZIPPED:
        raise InputError(f"{source}: the .docx would unpack to over {_MAX_UNZIPPED // 2**20} MB; "
                         "that is not a letter (re-save it in Word/WPS without embedded media)")


def _table_rows(table: Table) -> list[str]:
    """One line per table row, cells separated by a tab (so a cell is never mistaken for a heading)."""
    rows = []
    for row in table.rows:
        seen: list[object] = []  # holding the elements keeps their proxies (and identities) alive
        cells = []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):  # a merged cell repeats once per grid column
                continue
            seen.append(cell._tc)
            cells.append(" ".join(cell.text.split("\n")))
        rows.append("\t".join(cells))
    return rows


def _pdf_text(data: bytes, source: str) -> str:
    from pypdf import PdfReader

    if b"%PDF" not in data[:1024]:
        raise InputError(f"{source}: not a PDF (no %PDF header); check the file or re-export it")
    tail = data[-_PDF_EOF_WINDOW:]
    end = tail.rfind(b"%%EOF")
    # cut off inside an appended revision, the file still holds the older revision's %%EOF and pypdf quietly
    # reads that revision (fewer pages): only padding may follow the last marker
    if end < 0 or tail[end + 5 :].strip(b" \t\r\n\x00\x0c"):
        raise InputError(f"{source}: corrupt PDF: it ends without the %%EOF marker (truncated download or "
                         "copy, or data appended after it); copy it again or re-export it")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{source}: the PDF is password-protected; remove the password first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as e:  # damaged objects fail deep inside pypdf with any error type, not only PyPdfError
        raise InputError(f"{source}: corrupt PDF ({type(e).__name__}: {e}); re-export or re-download it") from e
    text = "\n\n".join(pages)  # a blank line marks the page break, as in text exported from PDFs
    if not text.strip():
        raise InputError(f"{source}: the PDF has no text layer (scanned PDF? run OCR first)")
    return text
