"""Validate eval/data/qa.jsonl against the five letters in corpus/.

Run from anywhere:  python eval/data/check_qa.py [--qa PATH] [--corpus DIR]

Checks (any failure -> exit status 1):
  * every line is a JSON object with exactly the expected keys; ids are unique; type is known;
  * answerable items: evidence is 6-60 characters (whitespace removed), lies on one line of one letter,
    contains no sentence terminator except possibly as its last character, occurs in exactly one letter
    (all compared with whitespace removed); bureau and doc_number name that letter; 1-3 answers, each of
    which occurs in the evidence or in the source sentence that holds the evidence;
  * unanswerable items: evidence, bureau and doc_number are null and answers is [];
  * the counts per type meet the required mix.

Self-contained on purpose (no import of `rag`), so the data can be checked without the package installed.
The whitespace rule and terminator set mirror rag.text.squash / rag.text.split_sentences.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# file name -> (issuing bureau, document number); both are also checked to occur in the file
SOURCES: dict[str, tuple[str, str]] = {
    "reply-01.txt": ("中山市民政局", "中民函〔2022〕40号"),
    "reply-02.txt": ("巴中市恩阳区民政局", "恩民政函〔2021〕3号"),
    "reply-03.txt": ("温州市民政局", "温民提〔2019〕70号"),
    "reply-04.txt": ("广东省民政厅", "粤民函〔2020〕713号"),
    "reply-05.md": ("咸阳市民政局", "咸民函〔2023〕38号"),
}

KEYS = {"id", "question", "evidence", "answers", "bureau", "doc_number", "type"}
TYPES = ("number", "date", "name", "list", "fact", "paraphrase", "cross", "unanswerable")
# minimum count per type (list and fact are counted together)
MINIMUMS: dict[str, int] = {
    "number": 25,
    "date": 6,
    "name": 6,
    "list+fact": 5,
    "paraphrase": 12,
    "cross": 3,
    "unanswerable": 10,
    "total": 75,
}
TERMINATORS = "。！？；!?;"
_WS = re.compile(r"\s+")
_SENTENCE = re.compile(rf"[^{TERMINATORS}]*(?:[{TERMINATORS}]+[”’」』）)]*|$)")


def squash(text: str) -> str:
    return _WS.sub("", text)


def sentences(text: str) -> list[str]:
    return [m.group(0) for m in _SENTENCE.finditer(text) if m.group(0)]


class Letter:
    def __init__(self, path: Path) -> None:
        self.name = path.name
        text = path.read_text(encoding="utf-8")
        self.flat = squash(text)
        self.lines = [squash(line) for line in text.splitlines()]
        # sentences of the whole letter with line breaks removed, so a sentence broken by a
        # page break (as in PDF-derived text) is still one sentence here
        self.sentences = sentences(self.flat)

    def sentence_of(self, ev: str) -> str | None:
        return next((s for s in self.sentences if ev in s), None)


def load_letters(corpus: Path) -> dict[str, Letter]:
    letters = {}
    for name in SOURCES:
        path = corpus / name
        if not path.is_file():
            sys.exit(f"missing corpus file {path} (pass --corpus DIR)")
        letters[name] = Letter(path)
    return letters


def check(items: list[dict], letters: dict[str, Letter]) -> list[str]:
    errors: list[str] = []
    for name, (bureau, doc) in SOURCES.items():
        for label, value in (("bureau", bureau), ("doc_number", doc)):
            if squash(value) not in letters[name].flat:
                errors.append(f"SOURCES: {label} {value!r} not found in {name}")

    ids = Counter(str(it.get("id")) for it in items)
    errors += [f"duplicate id {i!r} ({n} times)" for i, n in ids.items() if n > 1]

    for it in items:
        qid = it.get("id", "?")
        if set(it) != KEYS:
            errors.append(f"{qid}: keys {sorted(it)} != {sorted(KEYS)}")
            continue
        if it["type"] not in TYPES:
            errors.append(f"{qid}: unknown type {it['type']!r}")
        if not isinstance(it["question"], str) or not it["question"].strip():
            errors.append(f"{qid}: empty question")
        if not isinstance(it["answers"], list) or not all(isinstance(a, str) and a.strip() for a in it["answers"]):
            errors.append(f"{qid}: answers must be a list of non-empty strings")
            continue

        ev = it["evidence"]
        if ev is None or it["type"] == "unanswerable":
            if not (
                it["type"] == "unanswerable"
                and ev is None
                and it["answers"] == []
                and it["bureau"] is None
                and it["doc_number"] is None
            ):
                errors.append(
                    f"{qid}: unanswerable items need type 'unanswerable', evidence/bureau/"
                    "doc_number null and answers []"
                )
            continue

        sev = squash(ev)
        if not 6 <= len(sev) <= 60:
            errors.append(f"{qid}: evidence length {len(sev)} outside 6-60: {ev!r}")
        if any(ch in TERMINATORS for ch in sev[:-1]):
            errors.append(f"{qid}: evidence spans a sentence end: {ev!r}")
        hits = [name for name, letter in letters.items() if sev in letter.flat]
        if not hits:
            errors.append(f"{qid}: evidence not found verbatim in any letter: {ev!r}")
            continue
        if len(hits) > 1:
            errors.append(f"{qid}: evidence occurs in several letters {hits}: {ev!r}")
            continue
        letter = letters[hits[0]]
        if not any(sev in line for line in letter.lines):
            errors.append(f"{qid}: evidence spans a line break in {letter.name}: {ev!r}")
        bureau, doc = SOURCES[letter.name]
        if (it["bureau"], it["doc_number"]) != (bureau, doc):
            errors.append(
                f"{qid}: bureau/doc_number {it['bureau']!r}/{it['doc_number']!r} but evidence "
                f"is in {letter.name} ({bureau}/{doc})"
            )
        if not 1 <= len(it["answers"]) <= 3:
            errors.append(f"{qid}: need 1-3 answers, got {len(it['answers'])}")
        sentence = letter.sentence_of(sev) or ""
        for ans in it["answers"]:
            sans = squash(ans)
            if sans not in sev and sans not in sentence:
                errors.append(f"{qid}: answer {ans!r} in neither the evidence nor its sentence")
    return errors


def counts(items: list[dict]) -> dict[str, int]:
    by_type = Counter(it.get("type") for it in items)
    out = {t: by_type.get(t, 0) for t in TYPES}
    out["list+fact"] = out["list"] + out["fact"]
    out["total"] = len(items)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qa", type=Path, default=Path(__file__).with_name("qa.jsonl"))
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = ap.parse_args(argv)

    items: list[dict] = []
    errors: list[str] = []
    for n, line in enumerate(args.qa.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: invalid JSON ({exc})")
            continue
        if not isinstance(obj, dict):
            errors.append(f"line {n}: not a JSON object")
            continue
        items.append(obj)

    letters = load_letters(args.corpus)
    errors += check(items, letters)

    got = counts(items)
    print(f"{'type':<14}{'count':>6}{'min':>6}  status")
    for key in (*TYPES, "list+fact", "total"):
        need = MINIMUMS.get(key)
        status = "" if need is None else ("ok" if got[key] >= need else "TOO FEW")
        print(f"{key:<14}{got[key]:>6}{'' if need is None else need:>6}  {status}")
        if need is not None and got[key] < need:
            errors.append(f"type {key}: {got[key]} < required {need}")

    per_letter = Counter(it.get("bureau") or "(unanswerable)" for it in items)
    print()
    print(f"{'source':<20}{'items':>6}")
    for bureau, _ in SOURCES.values():
        print(f"{bureau:<20}{per_letter.get(bureau, 0):>6}")
    print(f"{'(unanswerable)':<20}{per_letter.get('(unanswerable)', 0):>6}")

    print()
    if errors:
        print(f"{len(errors)} violation(s):")
        for e in errors:
            print("  " + e)
        return 1
    print(f"OK: {len(items)} items, no violations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
