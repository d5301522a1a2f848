"""Rebuild the outside retrieval set (real government Q&A, not from this project) from its source file.

    .venv/bin/python eval/data/outside/build.py NCPPolicies_train_20200301.csv --out /tmp/outside

The source is the training file of DataFountain's 2020 "疫情政务问答助手" competition (tab-separated
``id, docid, question, answer``: a question about a government policy notice, the answer span from that
notice and the notice's id); the copy used here is the one stored in github.com/LHT-Curry/COVID19_QA_baseline.
It carries no licence, so the data is not in this repository (eval/data/outside/README.md): this script
turns a copy of it into what the benchmark reads:

- ``OUT/corpus/<docid>.txt``: one passage per policy notice, its answer spans in file order (a notice
  asked about twice gives a passage of two spans). Every answer of the first ``--rows`` rows is in a
  passage, short ones included, so they act as distractors; but a passage with fewer Chinese characters
  than a letter must have (``rag.ingest.ingestor.MIN_LETTER_HANZI``, 20) is not written, since ``rag
  index`` would skip it as "no letter text found", and a question about it is left out.
- ``OUT/qa.jsonl``: one question per row whose answer has at least ``--min-answer`` characters (a bare
  value such as "免征增值税" says nothing a retriever could match), with the passage it must find
  (``doc``), ``evidence`` (the start of the answer, so ``rag eval --qa … --corpus OUT/corpus`` works too)
  and ``split``: ``tune`` or ``heldout`` by a fixed hash of the question (sha256, first byte even = tune).
  With ``--fresh-after N`` the questions of rows after the first N get the split ``fresh`` instead: a
  held-out set that was transcribed after the fusion was chosen and is never used to choose anything.
  Their passages join the one corpus, so every split is searched among the same, larger distractor pool.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from pathlib import Path

from rag.ingest.ingestor import MIN_LETTER_HANZI

ROWS = 304  # the rows measured in eval/README.md ("Retrieval on outside material")
FRESH_AFTER = 304  # rows after these are the `fresh` split (eval/README.md, "… a fresh held-out set")
MIN_ANSWER = 20
EVIDENCE_CHARS = 16
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")  # as the ingest counts them


def squash(s: str) -> str:
    return "".join(s.split())


def split_of(question: str) -> str:
    return "tune" if hashlib.sha256(question.encode("utf-8")).digest()[0] % 2 == 0 else "heldout"


def read_rows(path: Path, rows: int) -> list[tuple[str, str, str]]:
    """(docid, question, answer) of the first `rows` data rows, whitespace collapsed."""
    csv.field_size_limit(sys.maxsize)
    out = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            if len(out) == rows:
                break
            docid, q, a = (" ".join((row.get(k) or "").split()) for k in ("docid", "question", "answer"))
            if docid and q and a:
                out.append((docid[:8], q, a))
    return out


def build(rows: list[tuple[str, str, str]], out: Path, min_answer: int = MIN_ANSWER,
          fresh_after: int | None = None) -> tuple[int, int]:
    passages: dict[str, list[str]] = {}
    for docid, _, a in rows:
        if a not in passages.setdefault(docid, []):
            passages[docid].append(a)
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    written = set()
    for docid, answers in passages.items():
        text = "\n".join(answers) + "\n"
        if len(_HANZI.findall(text)) >= MIN_LETTER_HANZI:
            (corpus / f"{docid}.txt").write_text(text, encoding="utf-8")
            written.add(docid)
    items = []
    for n, (docid, q, a) in enumerate(rows, 1):
        if len(squash(a)) >= min_answer and docid in written:
            items.append({"id": f"o{n:03d}", "question": q, "doc": f"{docid}.txt",
                          "evidence": squash(a)[:EVIDENCE_CHARS], "answers": [], "type": "outside",
                          "split": "fresh" if fresh_after is not None and n > fresh_after else split_of(q)})
    (out / "qa.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items),
                                  encoding="utf-8")
    return len(written), len(items)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="NCPPolicies_train_20200301.csv (tab-separated, with header)")
    ap.add_argument("--out", type=Path, required=True, help="folder to write corpus/ and qa.jsonl into")
    ap.add_argument("--rows", type=int, default=ROWS, help=f"first data rows to use (default {ROWS})")
    ap.add_argument("--min-answer", type=int, default=MIN_ANSWER,
                    help=f"shortest answer (characters) whose question is kept (default {MIN_ANSWER})")
    ap.add_argument("--fresh-after", type=int, default=None, metavar="N",
                    help=f"questions of the rows after the first N form the split `fresh` (the fresh held-out "
                         f"set: --rows 929 --fresh-after {FRESH_AFTER}); default: no fresh split")
    a = ap.parse_args(argv)
    n_passages, n_items = build(read_rows(a.source, a.rows), a.out, a.min_answer, a.fresh_after)
    print(f"{n_passages} passages → {a.out / 'corpus'}, {n_items} questions → {a.out / 'qa.jsonl'}")


if __name__ == "__main__":
    main()
