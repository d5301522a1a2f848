"""SYNTHETIC near-copies of the real letters in corpus/ — NOT real government documents.

Real corpora are full of copies: the same letter saved twice or re-encoded, a letter re-issued with a
correction under the same 文号, a bureau answering next year's proposal with last year's paragraphs. This
module writes such copies of the five letters, to measure what they do to retrieval and answers (issue 16):

  * ``same``: the letter itself under another file name, as UTF-8, GBK or with its spacing changed;
  * ``reissue``: the same bureau and 文号, a figure or date changed in one or two sentences (a correction);
    the index keeps one live version of the letter, the one read last, and the earlier one as history;
  * ``reuse``: a later letter of the same bureau, with a new 文号, proposal number, addressee and date,
    figures changed in two or three sentences and two paragraphs swapped, the rest word for word.

Every edit avoids the sentences that hold a QA item's evidence or answers (eval/data/qa.jsonl), so each QA
item keeps one right answer whichever copy a passage comes from: what is measured is whether copies crowd
out the other evidence, not which of two conflicting figures is true. File names are
``near-copy-00001-<kind>.txt``; copy ``i`` of seed ``s`` is always the same bytes, whatever ``n`` is.

    python -m eval.generators.near_copies OUT_DIR --n 200 --seed 0
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Collection
from pathlib import Path

from rag.core.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"
QA_PATH = PROJECT_ROOT / "eval" / "data" / "qa.jsonl"
KINDS = (("same", 0.25), ("reissue", 0.25), ("reuse", 0.5))
_WS = re.compile(r"\s+")
_SENTENCE = re.compile(r"[^。！？；\n]*[。！？；]?")
_NUMBER = re.compile(r"(?<![\d.〔\[])\d+(?:\.\d+)?(?![\d〕\]])")
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,6})([〔\[［(（])((?:19|20)\d\d)([〕\]］)）])(\d{1,5})号")
_PROPOSAL = re.compile(r"第(\d{1,7})号|(\d{1,7})号(?=提案|建议)|(?<=建议)(\d{1,7})号")
_ADDRESSEE = re.compile(r"^([\u4e00-\u9fff]{2,4})(代表|委员)[：:]", re.M)
_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|#)")
_NAMES = ("周明远", "郑海燕", "钱立群", "孙晓梅", "冯建国", "韩雪松", "曹文静", "许志强")


def protected_strings(path: Path = QA_PATH) -> frozenset[str]:
    """Evidence and answer strings of the QA set (whitespace removed): sentences holding one are never edited."""
    if not path.is_file():
        return frozenset()
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.update(_WS.sub("", s) for s in [row.get("evidence") or "", *row.get("answers", []),
                                                 *row.get("answers_all", [])] if len(_WS.sub("", s)) >= 2)
    return frozenset(out)


def letters(corpus: Path = CORPUS) -> list[tuple[str, str]]:
    """(file name, text) of the real letters, in name order."""
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(corpus.iterdir()) if p.is_file()]


def copy(seed: int, index: int, originals: list[tuple[str, str]], protect: Collection[str]) -> tuple[str, str, bytes]:
    """(kind, file name, bytes) of near-copy ``index`` of seed ``seed``."""
    r = random.Random(f"near-copy-{seed}-{index}")
    name, text = originals[r.randrange(len(originals))]
    kind = r.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    stem, suffix = name.rsplit(".", 1)
    fname = f"near-copy-{index:05d}-{kind}-{stem}.{suffix}"
    if kind == "same":
        how = r.choice(("utf-8", "gbk", "spacing"))
        if how == "spacing":
            text = text.replace("\n\n", "\n \n").replace("，", "， ", 3)
        return kind, fname, text.encode("gb18030" if how == "gbk" else "utf-8")
    edited = _edit_figures(text, r, protect, r.randint(1, 2) if kind == "reissue" else r.randint(2, 3))
    if edited == text:  # every figure is one a QA item asks about: the correction is said in a note instead
        edited = re.sub(r"^(.*收悉.*)$", r"\1\n\n本件为更正件，原件作废。", text, count=1, flags=re.M)
    text = edited
    if kind == "reuse":
        text = _next_year(text, r)
        text = _swap_paragraphs(text, r, protect)
    return kind, fname, text.encode("utf-8")


def generate(out_dir: Path, n: int, seed: int = 0, corpus: Path = CORPUS,
             protect: Collection[str] | None = None) -> list[Path]:
    """Write ``n`` near-copies into ``out_dir``; return their paths."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    protect = protected_strings() if protect is None else protect
    originals = letters(corpus)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, n + 1):
        _, fname, data = copy(seed, i, originals, protect)
        path = out_dir / fname
        path.write_bytes(data)
        paths.append(path)
    return paths


def _is_protected(sentence: str, protect: Collection[str]) -> bool:
    s = _WS.sub("", sentence)
    return any(p in s for p in protect)


def _edit_figures(text: str, r: random.Random, protect: Collection[str], count: int) -> str:
    """Change one figure in `count` body sentences that hold one and no QA evidence or answer."""
    lines = text.split("\n")
    # body sentences only: a header line (文号, proposal number) or the date line is not a figure to correct
    spots = [(i, m.group(0)) for i, line in enumerate(lines) for m in _SENTENCE.finditer(line)
             if len(m.group(0)) >= 20 and m.group(0).endswith("。") and "号" not in m.group(0)
             and _NUMBER.search(m.group(0)) and not _is_protected(m.group(0), protect)]
    for i, sentence in r.sample(spots, min(count, len(spots))):
        nums = list(_NUMBER.finditer(sentence))
        m = r.choice(nums)
        value = m.group(0)
        new = str(int(value) + r.choice((-2, -1, 1, 2, 3))) if value.isdigit() and int(value) > 3 else value + "0"
        edited = sentence[: m.start()] + new + sentence[m.end() :]
        lines[i] = lines[i].replace(sentence, edited, 1)
    return "\n".join(lines)


def _next_year(text: str, r: random.Random) -> str:
    """Another letter of the same bureau: a new 文号 and proposal number, another addressee, a later date."""
    def doc_number(m: re.Match[str]) -> str:
        return f"{m.group(1)}{m.group(2)}{int(m.group(3)) + 1}{m.group(4)}{r.randint(100, 999)}号"

    text = _DOC_NUMBER.sub(doc_number, text, count=1)
    number = str(r.randint(500, 999))
    text = _PROPOSAL.sub(lambda m: m.group(0).replace(next(g for g in m.groups() if g), number), text)
    text = _ADDRESSEE.sub(lambda m: f"{r.choice(_NAMES)}{m.group(2)}：", text, count=1)
    return re.sub(r"^(\s*)(20\d\d)(年\d{1,2}月\d{1,2}日(?:印发)?\s*)$",
                  lambda m: f"{m.group(1)}{int(m.group(2)) + 1}{m.group(3)}", text, flags=re.M)


def _swap_paragraphs(text: str, r: random.Random, protect: Collection[str]) -> str:
    """Swap two neighbouring plain body paragraphs (no outline marker, no QA evidence)."""
    paras = text.split("\n\n")
    spots = [i for i in range(3, len(paras) - 3)
             if all(len(p) > 40 and not _MARKER.match(p.strip()) and not _is_protected(p, protect)
                    for p in paras[i : i + 2])]
    if spots:
        i = r.choice(spots)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
    return "\n\n".join(paras)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Write SYNTHETIC near-copies of the corpus letters (not real documents).")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    paths = generate(args.out_dir, args.n, args.seed)
    print(f"wrote {len(paths)} near-copies of the letters in {CORPUS} to {args.out_dir}")


if __name__ == "__main__":
    main()
