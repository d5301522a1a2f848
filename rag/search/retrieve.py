"""Retrieval: BM25 and dense candidates, filtered inside each index, fused by min-max score fusion
(`RAG_FUSION=score`), reciprocal rank (`rrf`), or score fusion with each BM25 list weighted by how much of
the question its top chunk covers (`adaptive`, `coverage`), or with the BM25 list over all letters weighted so
only when dense search does not rank that chunk among its first five (`agreement`; eval/README.md).

A question that names a place served by a bureau in the corpus ("温州…") also gets each mode's ranking
restricted to that bureau's letters, fused with weight `place_boost` next to the unrestricted ones (0 turns
it off). Searching inside the bureau finds its passages even when thousands of other letters outrank them
(a bonus on the unrestricted top 50 cannot), while the unrestricted lists keep a way back for questions
whose answer sits in another bureau's letter. Measured against a bonus and a hard filter in eval/README.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from rag.core.errors import InputError
from rag.core.places import places_in, places_of
from rag.core.records import Filters, Hit, Metadata
from rag.core.settings import RETRIEVAL_MODES, Settings
from rag.core.text import quoted_names, quoted_phrases, squash
from rag.core.tokens import Tokenizer
from rag.embed.base import Embedder
from rag.index import generation as index_mod
from rag.index.store import Store
from rag.search.collapse import comparison_key, group, pool
from rag.search.fusion import agreement_confidence, coverage, idf, lexical_confidence, rrf, score_fusion


@dataclass(frozen=True)
class _Loaded:
    gen: index_mod.Generation
    metas: dict[str, Metadata]
    place_docs: dict[str, set[str]]  # place name → doc ids of bureaus there
    doc_rows: dict[str, np.ndarray]  # doc id → its rows: masks are built from these, not by np.isin per query

    def rows_mask(self, doc_ids: Iterable[str]) -> np.ndarray:
        mask = np.zeros(len(self.gen.ids), dtype=bool)
        for d in doc_ids:
            rows = self.doc_rows.get(d)
            if rows is not None:
                mask[rows] = True
        return mask


class Retriever:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        tokenizer: Tokenizer,
        embedder_factory: Callable[[], Embedder],
    ) -> None:
        self.settings = settings
        self.store = store
        self.tokenizer = tokenizer
        self._embedder_factory = embedder_factory
        self._embedder: Embedder | None = None
        self._loaded: _Loaded | None = None
        self._names: tuple[str, frozenset[str]] | None = None  # generation name, its quoted names
        self._doc_names: dict[str, frozenset[str]] = {}  # doc id → what that letter quotes
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._embedder_factory()
        return self._embedder

    def _current(self) -> _Loaded:
        """The live generation; reloaded when `rag index` or an upload swapped in a new one."""
        name = index_mod.current_name(self.settings.index_dir)
        loaded = self._loaded
        if loaded is not None and loaded.gen.name == name:
            return loaded
        with self._lock:
            if self._loaded is None or self._loaded.gen.name != name:
                gen = index_mod.load(self.settings.index_dir, self.embedder.name)
                metas = self.store.all_metadata()
                place_docs: dict[str, set[str]] = {}
                for doc_id, m in metas.items():
                    for p in places_of(m.bureau):
                        place_docs.setdefault(p, set()).add(doc_id)
                order = np.argsort(gen.row_docs, kind="stable")
                docs, starts = np.unique(gen.row_docs[order], return_index=True)
                doc_rows = dict(zip(docs.tolist(), np.split(order, starts[1:]), strict=True)) if len(order) else {}
                self._loaded = _Loaded(gen, metas, place_docs, doc_rows)
            return self._loaded

    def invalidate(self) -> None:
        with self._lock:
            self._loaded = None

    def known_places(self) -> set[str]:
        return set(self._current().place_docs)

    def in_vocabulary(self, token: str) -> bool:
        """Whether any letter of the live index has this search token (a BM25 term)."""
        model = self._current().gen.sparse.model
        return model is not None and token in model.vocab_dict

    def quoted_names(self) -> frozenset[str]:
        """What the letters of the live index name in quotes (“时间银行”, “一键通”): their programmes, which a
        question may name. Read once per generation."""
        cur = self._current()
        if self._names is None or self._names[0] != cur.gen.name:
            for doc_id in cur.metas.keys() - self._doc_names.keys():  # ids hash the content: read each letter once
                doc = self.store.document(doc_id)
                self._doc_names[doc_id] = frozenset().union(*(quoted_names(p.text) for p in doc.paragraphs)
                                                            ) if doc else frozenset()
            self._names = (cur.gen.name, frozenset().union(*(self._doc_names[d] for d in cur.metas)))
        return self._names[1]

    def catalog(self) -> dict[str, Metadata]:
        """Every letter's metadata, by doc id, as of the live index."""
        return self._current().metas

    def search(
        self, query: str, k: int | None = None, mode: str | None = None, filters: Filters | None = None
    ) -> list[Hit]:
        query = query.strip()
        if not query:
            raise InputError("the question is empty: type a question, e.g. 温州市有多少家养老机构？")
        mode = mode or self.settings.mode
        if mode not in RETRIEVAL_MODES:
            raise InputError(f"unknown retrieval mode {mode!r}: use one of {', '.join(RETRIEVAL_MODES)}")
        k = k or self.settings.k
        cur = self._current()
        gen = cur.gen
        if not gen.ids:
            return []
        allowed = self._mask(cur, filters) if filters else None
        masks: dict[str, np.ndarray | None] = {"": allowed}
        place = self._place_mask(cur, query, allowed)
        if place is not None:
            masks["@place"] = place
        s = self.settings
        tokens = self.tokenizer.tokens(query) if mode in ("bm25", "hybrid") else None
        qv = self.embedder.embed_queries([query])[0] if mode in ("dense", "hybrid") else None
        phrases = quoted_phrases(query) if s.weight_phrase else []
        depth = max(s.candidates, k)
        while True:
            lists: dict[str, list[tuple[int, float]]] = {}
            weights: dict[str, float] = {}
            if tokens is not None:
                for tag, mask in masks.items():
                    lists["bm25" + tag] = gen.sparse.search(tokens, depth, mask)
                    weights["bm25" + tag] = s.weight_bm25 * (s.place_boost if tag else 1.0)
            if qv is not None:
                for tag, mask in masks.items():
                    lists["dense" + tag] = gen.dense.search(qv, depth, mask)
                    weights["dense" + tag] = s.weight_dense * (s.place_boost if tag else 1.0)
            deep = any(len(found) >= depth for found in lists.values())  # more rows there than were fetched
            rows = {r for found in lists.values() for r, _ in found}
            texts = self.store.chunk_texts(gen.ids[r] for r in rows)  # a chunk gone from the store drops out
            # copies word for word are one passage: its votes add up in fusion instead of being split
            keys = {r: comparison_key(t) for r in rows if (t := texts.get(gen.ids[r]))}
            lists, members = pool(lists, keys)
            if mode == "hybrid" and s.fusion in ("adaptive", "coverage", "agreement") and tokens:
                weights = self._adapt(gen, tokens, lists, weights, texts)
            fused = self._fuse(lists, weights)
            if phrases:
                lists["phrase"] = self._phrase_ranking(cur, fused, phrases)
                weights["phrase"] = s.weight_phrase
                fused = self._fuse(lists, weights)
            hits = self._distinct(cur, fused, keys, members, k)
            if len(hits) >= k or not deep or depth >= len(gen.ids):
                return hits
            depth *= 4  # copies of a few passages filled the candidates: look deeper for k different ones

    def _mask(self, cur: _Loaded, f: Filters) -> np.ndarray:
        ok = set()
        for doc_id, m in cur.metas.items():
            bureau = m.bureau or ""
            if f.bureau and f.bureau not in bureau:
                continue
            if f.region and f.region not in bureau:
                continue
            if f.year is not None and m.year != f.year:
                continue
            if f.doc_number and squash(f.doc_number) not in squash(m.doc_number or ""):
                continue
            if f.doc_ids is not None and doc_id not in f.doc_ids:
                continue
            ok.add(doc_id)
        return cur.rows_mask(ok)

    def _place_mask(self, cur: _Loaded, query: str, allowed: np.ndarray | None) -> np.ndarray | None:
        """Rows of the letters of bureaus whose place the question names (within `allowed`), or None."""
        if not self.settings.place_boost:
            return None
        docs: set[str] = set()
        for p in places_in(query, cur.place_docs):
            docs |= cur.place_docs[p]
        if not docs:
            return None
        mask = cur.rows_mask(docs)
        if allowed is not None:
            mask &= allowed
        return mask if mask.any() else None

    def _fuse(self, lists: dict[str, list[tuple[int, float]]],
              weights: dict[str, float]) -> list[tuple[int, float, dict[str, int]]]:
        if self.settings.fusion == "rrf":
            return rrf({name: [r for r, _ in hits] for name, hits in lists.items()}, weights, self.settings.rrf_k)
        return score_fusion(lists, weights)

    def _adapt(self, gen: index_mod.Generation, tokens: list[str], lists: dict[str, list[tuple[int, float]]],
               weights: dict[str, float], texts: dict[str, str]) -> dict[str, float]:
        """The fusion weights for this question: each BM25 list's weight times its top chunk's coverage
        (`adaptive`, `coverage`); with `agreement`, only the list over all letters and only when dense's first
        five do not hold that chunk. A list restricted to the bureau of a place the question names keeps its
        weight there: its passages are all of the place the question names, its most specific word, so its
        top is not the match on common words that coverage guards against."""
        if self.settings.fusion == "agreement":
            found = lists.get("bm25")
            if not found:
                return weights
            top, dense = found[0][0], [r for r, _ in lists.get("dense", [])]
            factor = agreement_confidence(top, dense, self._coverage(gen, tokens, top))
            return lexical_confidence(weights, {"bm25": factor})
        tops = {name: found[0][0] for name, found in lists.items() if name.startswith("bm25") and found}
        whole = self.settings.fusion == "coverage"  # every question term, judged on the top chunk's text too
        covs = {n: self._coverage(gen, tokens, r, texts.get(gen.ids[r]) if whole else None, whole)
                for n, r in tops.items()}
        return lexical_confidence(weights, covs)

    @staticmethod
    def _coverage(gen: index_mod.Generation, tokens: list[str], row: int, text: str | None = None,
                  unindexed: bool = False) -> float:
        """IDF-weighted share of the question's distinct terms that chunk `row` contains, read from the BM25
        index's postings (bm25s keeps one column of document scores per term: its length is the term's df).

        `adaptive` (no `text`, `unindexed` False) leaves out a term no chunk holds: no passage can match it.
        `coverage` counts it, with the IDF of a term in no chunk, and also counts a term as present when the
        chunk's `text` contains it verbatim. The question's most specific words are often ones no passage
        shares (a place or ministry the answer spans never repeat: outside set); a top chunk that holds
        only the rest matched on the question's common words, and dense should decide. The text check keeps
        a name that the tokenizer cut differently in the question than in the letter (华宇乐颐养院: jieba's
        fragments are in no chunk's tokens, but the right chunk says the name) counted as matched."""
        model = gen.sparse.model
        if model is None:
            return 1.0
        postings, starts, n_docs = model.scores["indices"], model.scores["indptr"], int(model.scores["num_docs"])
        flat = squash(text).lower() if text else ""
        dfs, present = [], []
        for t in dict.fromkeys(tokens):
            j = model.vocab_dict.get(t)
            if j is None and not unindexed:
                continue
            docs = postings[starts[j]:starts[j + 1]] if j is not None else postings[:0]
            dfs.append(len(docs))
            present.append(bool(np.any(docs == row)) or (bool(flat) and t in flat))
        return coverage(idf(dfs, n_docs), present)

    def _phrase_ranking(self, cur: _Loaded, pool: list[tuple[int, float, dict[str, int]]],
                        phrases: list[str]) -> list[tuple[int, float]]:
        """The candidates that contain quoted phrases verbatim, scored by the share of the phrases they
        contain, most first, then in fused order.

        A quoted term (“银龄安康行动”) names the thing asked about; an embedding blurs it into its
        neighbourhood, so a lexical vote for the passages that really say it keeps them on top."""
        rows = [r for r, _, _ in pool]
        texts = self.store.chunk_texts(cur.gen.ids[r] for r in rows)
        keys = [squash(p) for p in phrases]
        counted = []
        for order, r in enumerate(rows):
            t = texts.get(cur.gen.ids[r])
            n = sum(k in squash(t) for k in keys) if t else 0
            if n:
                counted.append((-n, order, r))
        return [(r, -n / len(keys)) for n, _, r in sorted(counted)]

    def _distinct(self, cur: _Loaded, fused: list[tuple[int, float, dict[str, int]]], keys: dict[int, str],
                  members: dict[int, list[int]], k: int) -> list[Hit]:
        """The first k different passages of the fused list, each naming the other letters that hold a copy of it
        (word for word: `members`, or nearly: rag.search.collapse.group). `keys`: row → comparison key."""
        ranked = [(r, score, ranks) for r, score, ranks in fused if r in keys]
        groups = group([keys[r] for r, _, _ in ranked], k)
        chunks = self.store.chunks(cur.gen.ids[ranked[g[0]][0]] for g in groups)
        paras = self.store.paragraphs(p for c in chunks.values() for p in c.paragraph_ids)
        hits = []
        for g in groups:
            row, score, ranks = ranked[g[0]]
            c = chunks.get(cur.gen.ids[row])
            if c is None:  # removed from the store a moment ago
                continue
            rows = [m for i in g for m in members.get(ranked[i][0], [ranked[i][0]])]
            copies = dict.fromkeys(d for r in rows if (d := str(cur.gen.row_docs[r])) != c.doc_id)
            also = tuple((d, (cur.metas.get(d) or Metadata()).name) for d in copies)
            hits.append(Hit(c, score, cur.metas.get(c.doc_id) or Metadata(), ranks,
                            tuple(paras[p] for p in c.paragraph_ids if p in paras), also))
        return hits
