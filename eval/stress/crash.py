"""Crash test for `rag index`: kill -9 it at random points over a large corpus; the index must survive.

    .venv/bin/python -m eval.stress.crash --letters 600 --kills 5 --seed 0    # the real default embedder
    .venv/bin/python -m eval.stress.crash --letters 200 --kills 3 --tiny      # a tiny random model, ~1 min

A baseline index of a few letters is built first (the "previous index"). Then `rag index` runs as a
subprocess `--kills` times, each after a new slice of the letters is put in the corpus folder, and each
killed with SIGKILL at a seeded random point: while reading letters (once a random number more are
stored), while embedding (once a random share of the missing vectors are cached), while writing the new
generation, or at a random time after it took the write lock. The last slice goes to the final run, which
is not interrupted.
After each kill this process checks that the index still opens (checksums, counts) and answers, that
the index never claims to be current (`rag.index.generation.is_current`) unless it holds exactly the stored chunks,
and that the letter list (`rag docs`) marks as indexed only letters the live index has rows for.
A last, uninterrupted run must exit 0 and index every letter. tests/test_crash.py runs this at reduced size.

The letters are SYNTHETIC (eval/generators/distractors.py): machine-generated, not real documents.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from rag.index.generation import LOCK_NAME, current_name  # the child writes "<pid> `rag index`" into LOCK_NAME

TRIGGERS = ("reading", "embedding", "writing", "anytime")
BASELINE = 10  # letters in the previous index
RUN_TIMEOUT = 1800.0  # seconds one `rag index` may take before it counts as hung


@dataclass
class Round:
    number: int
    trigger: str
    target: str
    killed: bool = False  # False: the run ended before its kill point came
    seconds: float = 0.0
    docs: int = 0
    vectors: int = 0
    generation: str = ""
    swapped: bool = False
    failures: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    rounds: list[Round]
    final: Round
    letters: int
    chunks: int = 0

    @property
    def ok(self) -> bool:
        return not any(r.failures for r in [*self.rounds, self.final])


def build_tiny_model(out: Path, seed: int = 0) -> Path:
    """A randomly initialised 1-layer BERT sentence-transformers model with a character vocabulary, built
    offline in seconds: it embeds hundreds of chunks a second on a busy 2-core machine, so a crash test runs the
    real CLI path
    (sentence-transformers, FAISS, BM25, SQLite) without the real model's minutes of embedding."""
    if (out / "modules.json").exists():
        return out
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    try:
        from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    except ImportError:  # sentence-transformers 5
        from sentence_transformers.models import Normalize, Pooling, Transformer

    hf = out.with_name(out.name + "-hf")
    hf.mkdir(parents=True, exist_ok=True)
    # one token per character (BERT splits CJK into characters): GB2312's 6763 hanzi, ASCII, punctuation
    chars = [bytes((hi, lo)).decode("gb2312", "ignore") for hi in range(0xB0, 0xF8) for lo in range(0xA1, 0xFF)]
    punct = "。，、；：？！“”‘’（）《》〔〕【】…—"
    ascii_ = [chr(c) for c in range(33, 127)]
    vocab = list(dict.fromkeys(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *ascii_, *(f"##{c}" for c in ascii_),
                                *punct, *filter(None, chars)]))
    BertTokenizerFast(vocab={t: i for i, t in enumerate(vocab)}, do_lower_case=False).save_pretrained(hf)
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=512)
    BertModel(config).save_pretrained(hf)
    modules = [Transformer(str(hf), max_seq_length=256), Pooling(config.hidden_size, pooling_mode="mean"), Normalize()]
    SentenceTransformer(modules=modules, device="cpu").save(str(out))
    shutil.rmtree(hf)
    return out


def _counts(db: Path) -> tuple[int, int, int]:
    """(documents, chunks, cached vectors) as another process sees them (WAL: reading never blocks the writer)."""
    with closing(sqlite3.connect(db, timeout=5)) as c:
        return tuple(c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("documents", "chunks", "vectors"))


Cond = Callable[[subprocess.Popen[bytes]], bool]


def _wait(proc: subprocess.Popen[bytes], cond: Cond, timeout: float) -> bool:
    """Poll until cond(proc) holds (True) or the process ends or times out (False)."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if cond(proc):
                return True
        except (sqlite3.OperationalError, OSError):  # the writer holds a lock for a moment; no lock file yet
            pass
        time.sleep(0.005)
    return False


class CrashTest:
    def __init__(self, workdir: Path, letters: int, kills: int, seed: int, embed_model: Path | None,
                 log: Callable[[str], None] = print) -> None:
        from rag.core.settings import Settings
        from rag.embed import get_embedder

        self.workdir, self.letters, self.kills, self.log = workdir, letters, kills, log
        self.rng = random.Random(seed)
        self.seed = seed
        self.corpus, self.index_dir = workdir / "corpus", workdir / "index"
        self.settings = Settings(index_dir=self.index_dir, corpus_dir=self.corpus,
                                 embed_model=str(embed_model or ""), _env_file=None)
        self.env = {**os.environ, "RAG_EMBED_MODEL": str(embed_model or ""), "HF_HUB_OFFLINE": "1",
                    "RAG_INDEX_DIR": str(self.index_dir)}
        self.embedder = get_embedder(self.settings)  # the checker's own copy, to search after each kill
        self.in_corpus = 0  # letters in the corpus folder this round
        self.longest = 10.0  # seconds: the longest run so far (or the baseline) bounds the "anytime" kills

    def run(self) -> Outcome:
        from eval.generators.distractors import generate
        from rag.pipeline import Pipeline

        staged = generate(self.workdir / "letters", self.letters, self.seed)
        self.corpus.mkdir(parents=True, exist_ok=True)
        for p in staged[:BASELINE]:
            shutil.copy(p, self.corpus)
        t0 = time.perf_counter()
        base = Pipeline(self.settings, embedder=self.embedder)
        _, stats = base.index([self.corpus])
        self.probe = next(c for c, _ in base.store.all_chunks() if len(c.text) > 60)
        base.store.close()
        self.longest = max(self.longest, time.perf_counter() - t0)
        self.log(f"baseline: {BASELINE} letters, {stats.chunks if stats else 0} chunks in "
                 f"{time.perf_counter() - t0:.1f}s → {stats.generation if stats else '?'}")
        rest = staged[BASELINE:]
        rounds: list[Round] = []
        for i in range(self.kills + 1):  # each run gets a new slice of letters to read, embed and write
            for p in rest[i * len(rest) // (self.kills + 1) : (i + 1) * len(rest) // (self.kills + 1)]:
                shutil.copy(p, self.corpus)
            self.in_corpus = sum(1 for _ in self.corpus.iterdir())
            rounds.append(self._round(i + 1 if i < self.kills else 0, kill=i < self.kills))
        final = rounds.pop()
        out = Outcome(rounds, final, self.letters)
        docs, out.chunks, _ = _counts(self.settings.db_path)
        if final.failures == [] and docs != self.letters:
            final.failures.append(f"the store holds {docs} letters after the final run, not {self.letters}")
        return out

    def _round(self, number: int, kill: bool = True) -> Round:
        db = self.settings.db_path
        docs0, _, vecs0 = _counts(db)
        before = current_name(self.index_dir)
        feasible = [t for t in TRIGGERS if not (t == "reading" and docs0 >= self.in_corpus)]
        trigger = self.rng.choice(feasible) if kill else "none"
        cond, target = self._trigger(trigger, docs0, vecs0)
        log_path, out_path = self.workdir / f"round-{number}.log", self.workdir / f"round-{number}.json"
        t0 = time.perf_counter()
        with open(log_path, "wb") as log, open(out_path, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "rag.cli", "index", str(self.corpus), "--index-dir", str(self.index_dir),
                 "--json"], cwd=self.workdir, env=self.env, stdout=out, stderr=log)
            r = Round(number, trigger, target)
            if _wait(proc, cond if kill else lambda _: False, RUN_TIMEOUT) and kill:
                if trigger == "embedding":
                    time.sleep(self.rng.uniform(0, 0.3))  # land inside a batch, not just after a commit
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    r.killed = True
            if not r.killed and proc.poll() is None:  # neither killed nor finished: hung
                proc.kill()
                r.failures.append(f"`rag index` was still running after {RUN_TIMEOUT:.0f}s: see {log_path}")
            rc = proc.wait()
        r.seconds = time.perf_counter() - t0
        if not kill and rc != 0:
            r.failures.append(f"the uninterrupted run exited {rc}: {log_path.read_text(errors='replace')[-2000:]}")
        if kill and not r.killed and rc != 0:
            r.failures.append(f"the run failed on its own with exit {rc}: see {log_path}")
        self.longest = max(self.longest, r.seconds)
        r.docs, _, r.vectors = _counts(db)
        r.generation = current_name(self.index_dir) or ""
        r.swapped = r.generation != before
        r.failures += self._check(final=not kill)
        if not kill and rc == 0:
            build = json.loads(out_path.read_text()).get("build") or {}
            r.target = f"{build.get('embedded', 0)} vectors embedded, the rest cached by the killed runs"
        if r.killed:
            what = f"killed while {trigger} ({target}) at {r.seconds:.1f}s"
        elif kill:
            what = f"ran to the end in {r.seconds:.1f}s (exit {rc}) before its kill point ({trigger}: {target})"
        else:
            what = f"ran to the end in {r.seconds:.1f}s (exit {rc}; {r.target})"
        self.log(f"round {number or 'final'}: {what}; store {docs0}→{r.docs} letters, vectors {vecs0}→{r.vectors}; "
                 f"live generation {'swapped to ' + r.generation if r.swapped else 'unchanged'}; "
                 + ("checks ok" if not r.failures else "FAILED: " + "; ".join(r.failures)))
        return r

    def _trigger(self, trigger: str, docs0: int, vecs0: int) -> tuple[Cond, str]:
        db = self.settings.db_path
        if trigger == "reading":
            target = self.rng.randint(docs0 + 1, self.in_corpus)
            return (lambda _: _counts(db)[0] >= target), f"after {target} letters stored"
        if trigger == "embedding":
            share = self.rng.random()

            def embedding(_: subprocess.Popen[bytes]) -> bool:  # all letters stored, a share of vectors cached
                docs, chunks, vecs = _counts(db)
                return docs >= self.in_corpus and vecs >= vecs0 + share * max(0, chunks - vecs0)
            return embedding, f"once {share:.0%} of the missing vectors are cached"
        if trigger == "writing":
            return (lambda _: any(self.index_dir.glob(".gen-*.tmp"))), "once the new generation is being written"
        if trigger == "anytime":
            delay, began = self.rng.uniform(0, self.longest), []

            def anytime(proc: subprocess.Popen[bytes]) -> bool:  # counted from when the run takes the lock
                if not began and (self.index_dir / LOCK_NAME).read_text().startswith(f"{proc.pid} "):
                    began.append(time.perf_counter())
                return bool(began) and time.perf_counter() >= began[0] + delay
            return anytime, f"{delay:.1f}s after it took the write lock"
        return (lambda _: False), "no kill"

    def _check(self, final: bool) -> list[str]:
        """What must hold whenever no writer runs: the index opens, answers, and is current only if exact."""
        from rag.core.errors import RagError
        from rag.index import generation as index_mod
        from rag.pipeline import Pipeline

        fails: list[str] = []
        pipe = Pipeline(self.settings, embedder=self.embedder)
        try:
            gen = index_mod.load(self.index_dir, self.embedder.name)
            for mode in ("bm25", "dense", "hybrid"):
                hits = pipe.search(self.probe.text, k=10, mode=mode)
                if not hits:
                    fails.append(f"{mode} search returned nothing")
                if mode == "bm25" and self.probe.id not in [h.chunk.id for h in hits]:
                    fails.append("bm25 does not find a baseline chunk from its own text")
            stored = {c.id for c, _ in pipe.store.all_chunks()}
            current = index_mod.is_current(pipe.store, self.index_dir, self.embedder.name)
            if current and set(gen.ids) != stored:
                fails.append(f"is_current says yes but the index has {len(gen.ids)} chunks, the store {len(stored)}")
            if final and not current:
                fails.append("after the uninterrupted run the index is not current")
            if final and set(gen.row_docs) != set(pipe.store.doc_ids()):
                fails.append("some stored letters have no row in the index")
            listed = {str(d["doc_id"]) for d in pipe.documents() if d["indexed"]}
            if listed - set(gen.row_docs):  # `rag docs` must not run ahead of the live index
                fails.append(f"{len(listed - set(gen.row_docs))} letters are listed as indexed but have no row "
                             "in the live index")
        except RagError as e:
            fails.append(f"the index does not open or answer: {e}")
        finally:
            pipe.store.close()
        return fails


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="kill -9 `rag index` at random points; check the index survives")
    ap.add_argument("--letters", type=int, default=600, help="synthetic letters to index (default 600)")
    ap.add_argument("--kills", type=int, default=5, help="killed runs before the final one (default 5)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tiny", action="store_true", help="use a tiny random model instead of the default embedder")
    ap.add_argument("--workdir", type=Path, help="keep the corpus, index and logs here (default: a temp dir)")
    args = ap.parse_args(argv)
    if args.letters <= BASELINE:
        ap.error(f"--letters must be more than the {BASELINE} baseline letters")
    tmp = None if args.workdir else tempfile.TemporaryDirectory(prefix="rag-crash-")
    workdir = args.workdir or Path(tmp.name)  # type: ignore[union-attr]
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        model = build_tiny_model(workdir / "tiny-model") if args.tiny else None
        t0 = time.perf_counter()
        test = CrashTest(workdir, args.letters, args.kills, args.seed, model)
        print(f"crash test: {args.letters} synthetic letters, {args.kills} kills, seed {args.seed}, "
              f"embedder {test.embedder.name}, workdir {workdir}")
        outcome = test.run()
        killed = [r.trigger for r in outcome.rounds if r.killed]
        print(f"{len(killed)} of {args.kills} runs killed mid-work ({', '.join(killed)})"
              f"; final run {outcome.final.seconds:.1f}s: {outcome.letters} letters, {outcome.chunks} chunks; "
              f"total {time.perf_counter() - t0:.0f}s")
        print("OUTCOME:", "PASS" if outcome.ok else "FAIL")
        return 0 if outcome.ok else 1
    finally:
        if tmp:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
