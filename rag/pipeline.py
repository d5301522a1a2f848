"""Wires the stages together for the CLI, the API and evaluation. Heavy parts load lazily, once."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rag.answer.base import Answerer, AnswerEvent
from rag.answer.respond import Responder, Response  # Response stays importable from here
from rag.core.errors import DiskFullError, IndexMismatchError, InputError, NotFoundError, ReadOnlyError
from rag.core.records import Answer, Filters, Hit
from rag.core.settings import Settings
from rag.index.store import Store

# each stage is imported where it is first used: `rag docs` needs only the store, and no command pays
# for FAISS, BM25, the embedder, the answerers or the letter readers it does not use
if TYPE_CHECKING:
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.answer.generate import Generator
    from rag.core.tokens import Tokenizer
    from rag.draft import Draft, DraftRequest
    from rag.embed.base import Embedder
    from rag.index.generation import BuildStats
    from rag.ingest.ingestor import Ingestor, Report
    from rag.search.retrieve import Retriever


logger = logging.getLogger(__name__)

PENDING_NOTE = ("待索引：已读入，但检索索引还没有收录它（上次建索引被中断或失败），回答暂时用不到它。"
                "运行 rag index --rebuild（或重新运行上次的 rag index）完成索引。")


class Pipeline:
    def __init__(self, settings: Settings, embedder: Embedder | None = None, lock_timeout: float = 0.0) -> None:
        self.settings = settings
        self._embedder = embedder
        self._embedder_lock = threading.Lock()
        self._write_lock = threading.Lock()  # threads of this process queue up here ...
        self.lock_timeout = lock_timeout  # ... other processes get BusyError after this many seconds
        self._live: tuple[str | None, dict[str, str] | None] | None = None  # generation → its letters

    # components -------------------------------------------------------------------------------
    @cached_property
    def store(self) -> Store:
        """The SQLite store in index_dir, or with RAG_MILVUS_URI the shared Milvus backend in its place."""
        from rag.index.factory import open_store

        return open_store(self.settings, lambda: self.embedder)  # type: ignore[return-value]

    @property
    def on_milvus(self) -> bool:
        return bool(self.settings.milvus_uri)

    @cached_property
    def tokenizer(self) -> Tokenizer:
        from rag.core.tokens import get_tokenizer

        return get_tokenizer(str(self.settings.user_dict) if self.settings.user_dict else None)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            with self._embedder_lock:  # one model load when the first requests come at once
                if self._embedder is None:
                    from rag.embed.factory import get_embedder

                    self._embedder = get_embedder(self.settings)
        return self._embedder

    @cached_property
    def retriever(self) -> Retriever:
        if self.on_milvus:
            from rag.search.milvus import MilvusRetriever as Retriever
        else:
            from rag.search.retrieve import Retriever

        return Retriever(self.settings, self.store, self.tokenizer, lambda: self.embedder)

    @cached_property
    def ingestor(self) -> Ingestor:
        from rag.ingest.ingestor import Ingestor

        return Ingestor(self.store, self.tokenizer, self.settings.chunk_chars,
                        max_bytes=int(self.settings.max_upload_mb * 2**20))

    @cached_property
    def extractive(self) -> ExtractiveAnswerer:
        from rag.answer.extractive import ExtractiveAnswerer

        return ExtractiveAnswerer(self.tokenizer, self.settings.min_support, library=self.store.document,
                                  similarity=self._similarity, names=self.retriever.quoted_names)

    def _similarity(self, question: str, texts: Sequence[str]) -> list[float]:
        """Cosine of the question and each text under the index's embedder (vectors are L2-normalised)."""
        q = self.embedder.embed_queries([question])[0]
        return [float(x) for x in self.embedder.embed_passages(list(texts)) @ q]

    def answerer(self, mode: str | None = None) -> Answerer:
        mode = mode or self.settings.answer_mode
        if mode == "extractive":
            return self.extractive
        if mode == "llm":
            return self.llm_answerer
        raise InputError(f"unknown answer mode {mode!r}: use extractive or llm")

    @cached_property
    def responder(self) -> Responder:
        """The question-answering flow. It gets accessors, not the parts: building it loads nothing, and the
        retriever, tokenizer and answerers still load in the properties above, on first use. It searches through
        self.search, so a subclass that filters its searches (eval/bench/retrieval.py) filters its answers too."""
        return Responder(search=self.search, retriever=lambda: self.retriever,
                         tokens=lambda text: self.tokenizer.tokens(text), answerer=self.answerer,
                         extractive=lambda: self.extractive, k=self.settings.k)

    @cached_property
    def generator(self) -> Generator | None:
        """The configured LLM (RAG_LLM_URL or RAG_LLM_MODEL), or None."""
        from rag.answer.generate import get_generator

        return get_generator(self.settings)

    @cached_property
    def llm_answerer(self) -> Answerer:
        from rag.answer.llm import LLMAnswerer

        gen = self.generator
        if gen is None:
            raise InputError(
                "answer mode 'llm' needs a model: set RAG_LLM_MODEL to a .gguf file or RAG_LLM_URL to an "
                "OpenAI-compatible server (e.g. http://127.0.0.1:8080/v1)"
            )
        return LLMAnswerer(gen, fallback=self.extractive, max_tokens=self.settings.llm_max_tokens,
                           temperature=self.settings.llm_temperature)

    # write path ---------------------------------------------------------------------------------
    @contextmanager
    def _writing(self, what: str, incoming: Callable[[], int] = lambda: 0) -> Iterator[None]:
        """One writer per index dir: this process's threads wait, another process gets BusyError. A read-only
        folder is refused before anything is tried (ReadOnlyError), and a disk that fills up mid-write becomes
        one DiskFullError that says how much space is needed (`incoming`: bytes of letters not stored yet).
        (SQLite damage is reported by the store itself, on every read and write.)"""
        from rag.index.connection import read_only_message, store_writable
        from rag.index.generation import write_lock
        from rag.index.space import disk_full_error, is_disk_full

        if self.on_milvus:  # no index dir: each write is ordered to be safe to repeat (rag/index/milvus.py)
            with self._write_lock:
                yield
            return
        index_dir, db = self.settings.index_dir, self.settings.db_path
        if not store_writable(db):
            raise ReadOnlyError(read_only_message(index_dir))
        try:
            if self.store.read_only:  # opened while the disk was full: try again, there may be room now
                self.store.reopen()
            if self.store.read_only:
                raise DiskFullError(f"the disk holding {index_dir} is full")
            with self._write_lock, write_lock(index_dir, what, self.lock_timeout):
                yield
        except (OSError, sqlite3.Error, RuntimeError, DiskFullError) as e:
            if not (isinstance(e, DiskFullError) or is_disk_full(e, index_dir)):
                raise
            logger.info("%s stopped: the disk is full (%s)", what, e)  # the error says it to the user
            raise disk_full_error(index_dir, self._stored_chunks(), incoming()) from e

    def _stored_chunks(self) -> int:
        try:
            return self.store.count()[1]
        except Exception:  # only feeds an estimate in an error message
            return 0

    def _new_bytes(self, paths: Sequence[Path]) -> int:
        """Bytes of the letter files under `paths` the store does not hold yet (for the disk-full estimate)."""
        from rag.ingest.ingestor import Report, expand

        try:
            stored = set(self.store.sources())
            return sum(f.stat().st_size for f in expand(paths, Report()) if str(f.resolve()) not in stored)
        except Exception:  # only feeds an estimate in an error message
            return 0

    def index(
        self,
        paths: Sequence[Path] = (),
        prune: bool = False,
        progress: bool = False,
        on_file: Callable[[Path], None] | None = None,
        force_build: bool = False,
    ) -> tuple[Report, BuildStats | None]:
        """Ingest paths (default: the corpus dir) and rebuild the search indexes if anything changed."""
        paths = list(paths) or [self.settings.corpus_dir]
        with self._writing("`rag index`", lambda: self._new_bytes(paths)):
            report = self.ingestor.ingest_paths(paths, on_file=on_file)
            if prune:
                self.ingestor.prune_missing(report)
            stale = report.changed or force_build or not self._index_is_current()
            stats = self._rebuild(progress) if stale else None
            return report, stats

    def rebuild(self, progress: bool = False) -> BuildStats:
        """A fresh generation from the store alone (`rag index --rebuild`): repairs a damaged index without
        reading any letter file; cached vectors are reused, so only missing ones are embedded."""
        with self._writing("`rag index --rebuild`"):
            return self._rebuild(progress)

    def add_bytes(self, files: Sequence[tuple[str, bytes, str]]) -> tuple[Report, BuildStats | None]:
        """Ingest uploaded (name, data, source) triples, then rebuild once."""
        from rag.ingest.ingestor import Report

        with self._writing("upload", lambda: sum(len(data) for _, data, _ in files)):
            report = Report()
            for name, data, source in files:
                self.ingestor.ingest_bytes(data, name, source, report)
            stats = self._rebuild(False) if report.changed or not self._index_is_current() else None
            return report, stats

    def remove(self, doc_ids: Sequence[str]) -> tuple[list[str], BuildStats | None]:
        with self._writing("removal"):
            removed = [d for d in doc_ids if self.store.remove_document(d)]
            stats = self._rebuild(False) if removed else None
            return removed, stats

    def _rebuild(self, progress: bool) -> BuildStats:
        from rag.index.generation import build

        if self.on_milvus:  # the letters were embedded and written as they were stored: nothing to build
            return self._milvus_stats()
        stats = build(self.store, self.embedder, self.settings.index_dir,
                                self.settings.hnsw_threshold, progress=progress, bm25=self._bm25_params)
        self.retriever.invalidate()
        return stats

    def _milvus_stats(self) -> BuildStats:
        from rag.index.generation import BuildStats

        self.retriever.invalidate()
        store = self.store
        embedded, store.embedded = store.embedded, 0  # type: ignore[attr-defined]
        return BuildStats(store.count()[1], embedded, "milvus", 0.0, store.fingerprint())

    def has_index(self) -> bool:
        """Whether a generation is live in the index dir (intact or not: `rag index` repairs it)."""
        from rag.index.generation import current_name

        if self.on_milvus:
            return self.store.count()[1] > 0
        return current_name(self.settings.index_dir) is not None

    def index_status(self) -> tuple[str | None, str | None]:
        """(the live index's name, the embedder its vectors came from); (None, None) before the first index.
        Embedded: the generation in index_dir and its manifest. Milvus: the store's version, which every write
        from any replica changes, so caches keyed by it (the welcome overview) follow the other replicas."""
        if self.on_milvus:
            store = self.store
            if not store.exists():  # type: ignore[attr-defined]
                return None, None
            return store.version(), store.state().get("embedder")  # type: ignore[attr-defined]
        import json

        from rag.index.generation import current_name

        gen = current_name(self.settings.index_dir)
        manifest = self.settings.index_dir / gen / "manifest.json" if gen else None
        if manifest is None or not manifest.exists():
            return None, None
        return gen, json.loads(manifest.read_text())["embedder"]

    def _index_is_current(self) -> bool:
        # the embedder's name is a hash of its files: no model load when nothing changed
        from rag.index.generation import is_current

        if self.on_milvus:
            return True
        return is_current(self.store, self.settings.index_dir, self.embedder.name, self._bm25_params)

    @property
    def _bm25_params(self) -> dict[str, float]:
        return {"k1": self.settings.bm25_k1, "b": self.settings.bm25_b}

    def documents(self) -> list[dict[str, object]]:
        """The stored letters, each marked with whether the live index answers from it. `rag index` stores
        letters before it builds their index; killed or failed in between, the store runs ahead of the index
        until the next run: those letters are `indexed: False`, with `index_note` saying how to finish."""
        from rag.index.live import current_name, live_letters

        name = current_name(self.settings.index_dir)
        if self._live is None or self._live[0] != name:  # one manifest read per generation
            self._live = (name, live_letters(self.settings.index_dir))
        live = self._live[1] or {}
        versions = self.store.versions()
        rows = self.store.list_documents()
        for r in rows:
            doc_id = str(r["doc_id"])
            built = live.get(doc_id)
            r["indexed"] = built is not None and versions.get(doc_id, "").startswith(built)
            r["index_note"] = None if r["indexed"] else PENDING_NOTE
        return rows

    def resolve_doc_id(self, ref: str) -> str:
        """Accept a doc id, a unique id prefix, or a source file name."""
        ids = self.store.doc_ids()
        if ref in ids:
            return ref
        pref = [d for d in ids if d.startswith(ref)]
        if len(pref) == 1:
            return pref[0]
        by_name = [d for s, d in self.store.sources().items() if Path(s).name == ref or s == ref]
        if len(by_name) == 1:
            return by_name[0]
        raise NotFoundError(f"no document {ref!r}: list them with `rag docs`")

    # read path ----------------------------------------------------------------------------------
    def warm_up(self) -> bool:
        """Load what the first question needs (jieba's dictionaries, the index, the embedder's session:
        ~7 s from a cold disk) by answering one question extractively; a server calls it at start so its first user does
        not wait. False when there is no index yet (the first `rag index` or upload builds it)."""
        q = "养老服务有哪些？"
        try:
            self.extractive.answer(q, self.search(q, k=1))  # the answerer loads jieba's POS tagger on first use
        except (NotFoundError, IndexMismatchError) as e:
            logger.info("warm-up skipped: %s", e)
            return False
        return True

    def search(self, query: str, k: int | None = None, mode: str | None = None,
               filters: Filters | None = None) -> list[Hit]:
        return self.retriever.search(query, k, mode, filters)

    def resolve_question(self, question: str, history: Sequence[str] = ()) -> str:
        """The question as meant in its conversation (Responder.resolve_question)."""
        return self.responder.resolve_question(question, history)

    def respond(self, question: str, history: Sequence[str] = (), k: int | None = None, mode: str | None = None,
                filters: Filters | None = None, answer_mode: str | None = None, depth: int | None = None) -> Response:
        """The one path from a question to its answer (Responder.respond)."""
        return self.responder.respond(question, history, k, mode, filters, answer_mode, depth)

    def respond_stream(self, question: str, history: Sequence[str] = (), k: int | None = None,
                       mode: str | None = None, filters: Filters | None = None, answer_mode: str | None = None,
                       ) -> tuple[str, Iterator[AnswerEvent]]:
        """Like respond, the answer streamed (Responder.respond_stream)."""
        return self.responder.respond_stream(question, history, k, mode, filters, answer_mode)

    def ask(self, question: str, k: int | None = None, mode: str | None = None, filters: Filters | None = None,
            answer_mode: str | None = None, history: Sequence[str] = ()) -> Answer:
        return self.respond(question, history, k, mode, filters, answer_mode).answer

    def draft(self, request: DraftRequest, use_llm: bool | None = None) -> Draft:
        """Draft a reply from precedent; rewritten by the LLM when one is configured (or asked for)."""
        from rag.draft import draft  # drafting pulls in its own modules; asking does not need them

        gen = self.generator if use_llm in (None, True) else None
        if use_llm and gen is None:
            raise InputError("drafting with the LLM needs RAG_LLM_MODEL or RAG_LLM_URL")
        return draft(request, self.retriever, generator=gen)

    def ask_stream(self, question: str, k: int | None = None, mode: str | None = None,
                   filters: Filters | None = None, answer_mode: str | None = None,
                   history: Sequence[str] = ()) -> Iterator[AnswerEvent]:
        yield from self.respond_stream(question, history, k, mode, filters, answer_mode)[1]
