"""Load: bytes of a letter (file or upload) → RawText. Decoding only; cleaning happens in rag.clean.

Text formats never assume an encoding: BOM → strict UTF-8 → strict GB18030 → charset-normalizer's best
guess. Anything we cannot read raises InputError naming the file and the fix.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
import zipfile
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from rag.errors import InputError
from rag.records import RawText

if TYPE_CHECKING:
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
_MAX_CONTROL_RATIO = 0.02  # real letters have next to no control characters; binaries have many
_DROP_TAGS = ("script", "style", "nav", "header", "footer", "noscript", "template", "head", "iframe", "svg")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
    "section", "article", "blockquote", "pre", "dt", "dd", "hr", "center", "form", "main", "aside",
)  # fmt: skip
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SOFT_WRAP = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])")  # HTML source wrap inside Chinese text
_WS_RUN = re.compile(r"[ \t\r\n\f\v]+")


def read_file(path: Path) -> RawText:
    """Read and decode one letter from disk; `source` is the resolved path."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a folder; give one letter file")
    if not p.is_file():
        raise InputError(f"{p}: no such file; check the path")
    suffix = p.suffix.lower()
    _check_suffix(suffix, str(p))  # before reading: no point loading a 2 GB video
    return _decode(p.read_bytes(), suffix, str(p.resolve()))


def read_bytes(data: bytes, name: str) -> RawText:
    """Decode an upload. `name` only gives the extension and the `source` label; it is never opened."""
    suffix = PurePath(name).suffix.lower()
    _check_suffix(suffix, name)
    return _decode(data, suffix, name)


def _check_suffix(suffix: str, label: str) -> None:
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{label}: unsupported file type {suffix or '(no extension)'!r}; "
            f"save the letter as one of: {', '.join(SUPPORTED_SUFFIXES)}"
        )


def _decode(data: bytes, suffix: str, source: str) -> RawText:
    if not data.strip():
        raise InputError(f"{source}: file is empty; export the letter's text again")
    sha = hashlib.sha256(data).hexdigest()
    if suffix == ".docx":
        text, fmt, enc = _docx_text(data, source), "docx", "docx"
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
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes  # only needed for the rare non-UTF-8, non-GB file

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(f"{source}: cannot detect the text encoding; save the file as UTF-8")
    return str(best), best.encoding


def _reject_binary(text: str, source: str) -> None:
    bad = sum(1 for c in text if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v"))
    if bad > max(2, _MAX_CONTROL_RATIO * len(text)):
        raise InputError(
            f"{source}: {bad} control or undecodable characters in {len(text)}; this is not a text letter "
            "(export it as .txt, .docx or .pdf)"
        )


def html_text(markup: str) -> str:
    """Visible text of an HTML page, one block element per line; chrome lines are left for rag.clean."""
    from bs4 import BeautifulSoup, NavigableString  # heavy import kept off the txt path

    soup = BeautifulSoup(markup, "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(string=True):
        if type(tag) is not NavigableString:  # comments, doctype, CDATA: not visible text
            tag.extract()
            continue
        if tag.parent is not None and tag.parent.name == "pre":
            continue
        # HTML renders a source line wrap as a space, but inside Chinese text it is just a wrap
        collapsed = _WS_RUN.sub(" ", _SOFT_WRAP.sub("", str(tag)))
        if collapsed != str(tag):
            tag.replace_with(collapsed)
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (ln.strip() for ln in soup.get_text().splitlines())
    return "\n".join(ln for ln in lines if ln)


def _docx_text(data: bytes, source: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise InputError(f"{source}: not a readable .docx ({e}); open and re-save it in Word/WPS") from e
    except Exception as e:  # lxml raises its own XML errors on a damaged part
        raise InputError(f"{source}: corrupt .docx ({type(e).__name__}); re-save it in Word/WPS") from e
    out: list[str] = []
    # walk the body in order so tables stay where they are in the letter
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(DocxParagraph(child, document).text)
        elif tag == "tbl":
            out.extend(_table_rows(Table(child, document)))
    return "\n".join(out)


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
    from pypdf.errors import PyPdfError

    if not data.lstrip().startswith(b"%PDF"):
        raise InputError(f"{source}: not a PDF (no %PDF header); check the file or re-export it")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{source}: the PDF is password-protected; remove the password first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        raise InputError(f"{source}: corrupt PDF ({e}); re-export or re-download it") from e
    text = "\n\n".join(pages)  # a blank line marks the page break, as in text exported from PDFs
    if not text.strip():
        raise InputError(f"{source}: the PDF has no text layer (scanned PDF? run OCR first)")
    return text
