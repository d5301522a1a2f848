"""Ingestion: files and folders → structured documents and chunks in the store.

Bad files are skipped and reported by name with the reason; they never stop the batch, and the
store changes in one transaction per document, so a failure never damages what is stored. A bug in a
loader on some odd file is reported the same way (as an internal error) rather than losing the batch.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rag.core.errors import InputError
from rag.core.records import Document, RawText
from rag.core.tokens import Tokenizer
from rag.index.store import Store
from rag.ingest.chunk import chunk_document
from rag.ingest.load import MAX_BYTES, SUPPORTED_SUFFIXES, check_file, read_bytes
from rag.ingest.structure import parse_document

logger = logging.getLogger(__name__)


@dataclass
class Report:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    doc_ids: dict[str, str] = field(default_factory=dict)  # source → doc_id
    replaced: dict[str, str] = field(default_factory=dict)  # source of an update → source of the version it replaced

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    @property
    def ok(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def to_json(self) -> dict[str, object]:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "removed": self.removed, "skipped": [{"source": s, "reason": r} for s, r in self.skipped],
            "doc_ids": self.doc_ids, "replaced": self.replaced,
        }


# A reply letter has a salutation, an answer and a signature: hundreds of characters. 20 lets through a
# one-sentence note (tests/data/no-meta.txt has 31) and refuses a 1-byte file, a stray word or a file name.
MIN_LETTER_HANZI = 20
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

UPLOAD_PREFIX = "upload:"  # source ids of uploaded letters (never a path on disk)


def doc_id_for(source: str) -> str:
    """The id a letter gets from the first source it is read from; it keeps it through its later versions."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class _Plan:
    """Where a letter just read goes, decided against the store before anything is written."""

    status: str  # added | updated | unchanged
    doc_id: str
    retire: tuple[str, ...] = ()  # live versions that go to history (replaced by this one)
    replaced: str | None = None  # the source of the version this one replaces, for the report
    write: bool = True  # False: the store holds this text already; only the source is recorded


def expand(paths: Iterable[Path], report: Report) -> list[Path]:
    """Files under the given paths with a supported suffix; others are reported as skipped."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not f.name.startswith("."):
                    if f.suffix.lower() in SUPPORTED_SUFFIXES:
                        out.append(f)
                    else:
                        report.skipped.append((str(f), f"unsupported type {f.suffix or '(none)'}"))
        elif p.is_file():
            out.append(p)
        else:
            report.skipped.append((str(p), "no such file or folder"))
    return out


class Ingestor:
    def __init__(self, store: Store, tokenizer: Tokenizer, chunk_chars: int, max_bytes: int = MAX_BYTES) -> None:
        self.store = store
        self.tokenizer = tokenizer
        self.chunk_chars = chunk_chars
        self.max_bytes = max_bytes  # per letter file, from RAG_MAX_UPLOAD_MB: one limit for uploads and `rag index`

    def ingest_paths(
        self, paths: Iterable[Path], report: Report | None = None, on_file: Callable[[Path], None] | None = None
    ) -> Report:
        report = report or Report()
        self._backfill()
        for f in expand(paths, report):
            if on_file:
                on_file(f)
            source = str(f.resolve())
            known = self.store.find_source(source)
            try:
                check_file(f, self.max_bytes)  # size and type before reading: a 2 GB file is refused unread
                data = f.read_bytes()
            except InputError as e:
                report.skipped.append((str(f), str(e)))
                continue
            except OSError as e:
                report.skipped.append((str(f), f"{f}: cannot read: {e.strerror}; check the file's permissions"))
                continue
            if known and known[1] == hashlib.sha256(data).hexdigest():
                report.unchanged.append(source)
                report.doc_ids[source] = known[0]
                continue
            self._put(data, str(f), source, report, known[0] if known else None)
        return report

    def ingest_bytes(self, data: bytes, name: str, source: str, report: Report | None = None) -> Report:
        """For uploads: `name` gives the format, `source` the stored identity (never a path we open)."""
        report = report or Report()
        self._backfill()
        known = self.store.find_source(source)
        if known and known[1] == hashlib.sha256(data).hexdigest():
            report.unchanged.append(source)
            report.doc_ids[source] = known[0]
            return report
        self._put(data, name, source, report, known[0] if known else None)
        return report

    def _backfill(self) -> None:
        with self.store.transaction():
            self.store.backfill_identities()

    def _put(self, data: bytes, name: str, source: str, report: Report, before: str | None) -> None:
        """Decode, parse, chunk and tokenize in memory first; only a complete result touches the store.

        A letter is known by what it is (Document.identity), not by its file: the same text under another
        name or encoding is "unchanged", a new version of a letter replaces the live one (which is kept as
        history), and a file or upload only records which letter it holds (`before`: the one it held)."""
        try:
            doc = self._parse(data, name, source)
            plan = self._plan(doc, source, before)
            if plan.write:
                doc = _with_id(doc, plan.doc_id)
                chunks = chunk_document(doc, self.chunk_chars)
                tokens = [self.tokenizer.tokens(c.header + "\n" + c.text) for c in chunks]
        except InputError as e:
            report.skipped.append((name, str(e)))
            return
        except Exception as e:  # a bug on one odd file must not lose the rest of the batch
            logger.exception("internal error while reading %s", name)
            report.skipped.append((name, f"{name}: internal error while reading it ({type(e).__name__}: {e}); "
                                         "the file was not indexed: please report it with the file attached"))
            return
        status, replaced = plan.status, plan.replaced
        with self.store.transaction():
            if before is not None and before != plan.doc_id:
                orphan = self.store.drop_source(source)  # the file now holds another letter
                if orphan is not None and orphan not in plan.retire:
                    if status == "unchanged":  # ... one the store held already: the file's old letter goes
                        status, replaced = "updated", self.store.source_of(orphan)
                    self.store.retire_document(orphan, "replaced", successor=source)
            for old in plan.retire:
                self.store.retire_document(old, "replaced", successor=source)
            if plan.write:
                self.store.put_document(doc, chunks, tokens)
            else:
                self.store.add_source(source, plan.doc_id, doc.sha256)
        getattr(report, status).append(source)
        report.doc_ids[source] = plan.doc_id
        if replaced is not None:
            report.replaced[source] = replaced

    def _plan(self, doc: Document, source: str, before: str | None) -> _Plan:
        live = self.store.find_letter(doc.identity)
        if live is not None:
            live_id, live_text, live_source = live
            if live_text == doc.text_hash:  # the same letter word for word, whatever the file
                return _Plan("unchanged", live_id, write=False)
            return _Plan("updated", live_id, retire=(live_id,), replaced=live_source)
        if before is not None and len(self.store.sources_of(before)) <= 1:
            # this file was the letter's only source and now holds another text: that letter's next version
            return _Plan("updated", before, retire=(before,), replaced=self.store.source_of(before))
        taken = set(self.store.doc_ids())
        doc_id = doc_id_for(source)
        if doc_id in taken:  # the id this source gave a letter that lives on elsewhere
            doc_id = doc_id_for(f"{source}\x1f{doc.identity}")
        return _Plan("added", doc_id)

    def _parse(self, data: bytes, name: str, source: str) -> Document:
        raw = read_bytes(data, name, self.max_bytes)  # `name` gives the format and the label in messages
        doc = parse_document(RawText(source, raw.text, raw.fmt, raw.encoding, raw.sha256), doc_id_for(source))
        if not any(p.text.strip() for p in doc.paragraphs):
            raise InputError(f"{name}: no text left after cleaning (empty or only page chrome)")
        hanzi = sum(len(_HANZI.findall(p.text)) for p in doc.paragraphs)
        if hanzi < MIN_LETTER_HANZI:
            raise InputError(f"{name}: no letter text found: {len(data):,} bytes with {hanzi} Chinese characters, "
                             f"and even a one-paragraph reply letter has {MIN_LETTER_HANZI} or more; check it is "
                             "the letter itself and upload its full text")
        return doc

    def prune_missing(self, report: Report) -> Report:
        """Forget files that no longer exist on disk; a letter leaves the index (kept as history) once none
        of its sources is left. Uploaded letters have no file (their source is ``upload:<sha>:<name>``):
        they stay until deleted through the API, and so does a letter that was also uploaded."""
        for source in sorted(self.store.sources()):
            if source.startswith(UPLOAD_PREFIX) or Path(source).exists():
                continue
            with self.store.transaction():
                orphan = self.store.drop_source(source)
                if orphan is not None:
                    self.store.retire_document(orphan, "removed")
            if orphan is not None:
                report.removed.append(source)
        return report


def _with_id(doc: Document, doc_id: str) -> Document:
    if doc.doc_id == doc_id:
        return doc
    paras = tuple(replace(p, id=f"{doc_id}-p{p.index:03d}", doc_id=doc_id) for p in doc.paragraphs)
    return replace(doc, doc_id=doc_id, paragraphs=paras)
