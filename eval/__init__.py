"""Evaluation, benchmarks and stress tests, kept outside the installed package (as bm25s keeps its
benchmarks). Run each as a module from the repository root, so `import eval…` and `import rag…` work
without any path setup:

    python -m eval.bench                 the benchmark suite (make bench)
    python -m eval.bench.retrieval       QA quality with N synthetic distractor letters
    python -m eval.bench.latency | dense | embed
    python -m eval.stress.crash          kill -9 during `rag index`
    python -m eval.stress.load           concurrent readers and writers against a real server
    python -m eval.generators.distractors   write synthetic letters

`eval/data/` holds the QA sets; reports go to `eval/reports/` (not in git).
"""
