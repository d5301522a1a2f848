"""Validate eval/data/qa.jsonl (and the staff question files) against the five letters in corpus/.

Run from anywhere:  python eval/data/check_qa.py [--qa PATH ...] [--corpus DIR] [--format auto|qa|staff]

Without --qa it validates eval/data/qa.jsonl. --qa may be repeated; each file is checked on its own and,
when several staff files are given, also together (ids and questions unique across them, overall mix).
The format is detected per file (--format auto): a file whose items carry "history" or "answers_all" is
a staff file (qa_staff.jsonl, qa_staff_holdout.jsonl), anything else is the original qa.jsonl format.

Checks for the original qa.jsonl format (any failure -> exit status 1):
  * every line is a JSON object with exactly the expected keys; ids are unique; type is known;
  * answerable items: evidence is 6-60 characters (whitespace removed), lies on one line of one letter,
    contains no sentence terminator except possibly as its last character, occurs in exactly one letter
    (all compared with whitespace removed); bureau and doc_number name that letter; 1-3 answers, each of
    which occurs in the evidence or in the source sentence that holds the evidence;
  * unanswerable items: evidence, bureau and doc_number are null and answers is [];
  * the counts per type meet the required mix.

Checks for the staff format (see check_staff below and eval/data/README.md):
  * keys exactly STAFF_KEYS; ids s001... (tune) or h001... (held-out), r/g (round 2), t/u (round 3),
    v/w (round 4), x/y (round 5), z/k (round 6), m/n (round 7), e/f (round 8), a/b (round 9),
    c/j (round 10), l/p (round 11), i/o (round 12), ta/ha (round 13), tb/hb (round 14), tc/hc (round 15),
    td/hd (round 16), te/he (round 17), tf/hf (round 18), tg/hg (round 19), th/hh (round 20), ti/hi (round 21),
    tj/hj (round 22), tk/hk (round 23), tl/hl (round 24), tm/hm (round 25), tn/hn (round 26), to/ho (round 27),
    tp/hp (round 28), tq/hq (round 29), tr/hr (round 30), ts/hs (round 31), tt/ht (round 32), tu/hu (round 33),
    tv/hv (round 34), tw/hw (round 35), tx/hx (round 36), ty/hy (round 37) and tz/hz (round 38)
    (two-letter prefixes from round 13 on, since the single letters are used up), one prefix per file, unique;
    an id's prefix is its leading letters;
  * type is one of STAFF_TYPES; history is [] except for followup items, which have 1-3 earlier questions;
  * unanswerable items (evidence null) are traps or docref items naming a document/proposal/legislator
    that is not in the corpus: answers, answers_all [] and bureau, doc_number null; every trap is unanswerable;
  * answerable items: the same evidence rules as above; 1-3 answers (0-3 if answers_all is not empty), each in
    the evidence or its sentence (meta items: anywhere in the letter); every answers_all string in the letter;
    list and multipart items have at least 2 answers_all strings;
  * docref items name a document number, proposal number or legislator; answerable ones name one of their
    own letter, unanswerable ones none of the corpus;
  * no question repeats one of qa.jsonl (compared without whitespace and punctuation);
  * the counts per type meet STAFF_MINIMUMS scaled to the split (SPLIT_SHARE: 2/3 for s..., 1/3 for h...,
    rounded down); files checked together must meet the sum of their shares, at most the full minimums
    (s + h: the full minimums; a later round's tune + held-out: that round's share).

Self-contained on purpose (no import of `rag`), so the data can be checked without the package installed.
The whitespace rule and terminator set mirror rag.core.text.squash / rag.core.text.split_sentences.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from fractions import Fraction
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


# ---------------------------------------------------------------------------------------------------------
# staff format (qa_staff.jsonl = tune split, qa_staff_holdout.jsonl = held-out split)

STAFF_KEYS = {"id", "question", "history", "evidence", "answers", "answers_all", "bureau", "doc_number", "type"}
STAFF_TYPES = ("docref", "meta", "followup", "list", "multipart", "paraphrase", "trap")
# minimum counts over both splits; "docref-unknown" = docref items whose number/legislator is not in the corpus
STAFF_MINIMUMS: dict[str, int] = {
    "docref": 20,
    "docref-unknown": 5,
    "meta": 20,
    "followup": 20,
    "list": 15,
    "multipart": 12,
    "paraphrase": 20,
    "trap": 15,
    "total": 135,
}
# rounds 2-38 (qa_staff_r2*.jsonl ... qa_staff_r38*.jsonl) were written later by writers who had not seen the
# answerer: (tune, held-out) id prefixes of each, in round order. Their shares are floors against a truncated
# file, not their real size (rounds 3-34: 62 tune / 28 held-out items, rounds 35-38: 60 / 30; 2/9 and 1/9
# ask for 30 and 15).
# The single letters ran out after round 12, so rounds 13 to 38 have two-letter prefixes (ta/ha, tb/hb, tc/hc,
# td/hd, te/he, tf/hf, tg/hg, th/hh, ti/hi, tj/hj, tk/hk, tl/hl, tm/hm, tn/hn, to/ho, tp/hp, tq/hq, tr/hr, ts/hs,
# tt/ht, tu/hu, tv/hv, tw/hw, tx/hx, ty/hy, tz/hz);
# a prefix is an id's leading letters (id_prefix), so "ta001" is round 13, "tb001" round 14, "tc001" round 15,
# "td001" round 16, "te001" round 17, "tf001" round 18, "tg001" round 19, "th001" round 20, "ti001" round 21,
# "tj001" round 22, "tk001" round 23, "tl001" round 24, "tm001" round 25, "tn001" round 26, "to001" round 27,
# "tp001" round 28, "tq001" round 29, "tr001" round 30, "ts001" round 31, "tt001" round 32, "tu001" round 33,
# "tv001" round 34, "tw001" round 35, "tx001" round 36, "ty001" round 37 and "tz001" round 38,
# never round 3's "t" (nor "ts001" round 1's "s", nor "tl001" round 11's "l", nor
# "tm001" round 7's "m", nor "tn001" round 7's "n", nor "to001" round 12's "o", nor "tp001" round 11's "p", nor
# "tq001" the "q" ids of qa.jsonl, nor "tr001" round 2's "r", nor "hc001" round 1's "h" or round 10's "c", nor
# "he001" round 1's "h" or round 8's "e", nor "hf001" round 1's "h" or round 8's "f", nor "hg001" round 1's "h" or
# round 2's "g", nor "hh001" round 1's "h", nor "hi001" round 1's "h" or round 12's "i", nor "hj001" round 1's "h"
# or round 10's "j", nor "hk001" round 1's "h" or round 6's "k", nor "hl001" round 1's "h" or round 11's "l", nor
# "hm001" round 1's "h" or round 7's "m", nor "hn001" round 1's "h" or round 7's "n", nor "ho001" round 1's "h" or
# round 12's "o", nor "hp001" round 1's "h" or round 11's "p", nor "hq001" round 1's "h", nor "hr001" round 1's "h"
# or round 2's "r", nor "hs001" round 1's "h" or "s", nor "ht001" round 1's "h", nor "tu001" round 3's "t" or "u",
# nor "hu001" round 1's "h" or round 3's "u", nor "tv001" round 3's "t" or round 4's "v", nor "hv001" round 1's
# "h" or round 4's "v", nor "tw001" round 3's "t" or round 4's "w", nor "hw001" round 1's "h" or round 4's "w",
# nor "tx001" round 3's "t" or round 5's "x", nor "hx001" round 1's "h" or round 5's "x", nor "ty001" round 3's "t" or
# round 5's "y", nor "hy001" round 1's "h" or round 5's "y", nor "tz001" round 3's "t" or round 6's "z", nor "hz001"
# round 1's "h" or round 6's "z").
LATER_ROUNDS = (
    ("r", "g"), ("t", "u"), ("v", "w"), ("x", "y"), ("z", "k"), ("m", "n"), ("e", "f"), ("a", "b"), ("c", "j"),
    ("l", "p"), ("i", "o"), ("ta", "ha"), ("tb", "hb"),
    ("tc", "hc"), ("td", "hd"), ("te", "he"), ("tf", "hf"), ("tg", "hg"), ("th", "hh"), ("ti", "hi"), ("tj", "hj"),
    ("tk", "hk"), ("tl", "hl"), ("tm", "hm"), ("tn", "hn"), ("to", "ho"), ("tp", "hp"), ("tq", "hq"),
    ("tr", "hr"), ("ts", "hs"), ("tt", "ht"), ("tu", "hu"), ("tv", "hv"), ("tw", "hw"), ("tx", "hx"),
    ("ty", "hy"), ("tz", "hz"),
)
# share of STAFF_MINIMUMS each split must meet on its own (rounded down), by id prefix
SPLIT_SHARE = {"s": (2, 3), "h": (1, 3)} | {
    prefix: share for pair in LATER_ROUNDS for prefix, share in zip(pair, ((2, 9), (1, 9)), strict=True)
}
SPLIT_NAME = {"s": "tune", "h": "held-out"} | {
    prefix: f"{split}, round {n}" for n, pair in enumerate(LATER_ROUNDS, 2)
    for prefix, split in zip(pair, ("tune", "held-out"), strict=True)
}
# a staff id: one of the known prefixes (alternation, longest first) and at least three digits
_STAFF_ID = re.compile(
    "(?:" + "|".join(re.escape(p) for p in sorted(SPLIT_SHARE, key=lambda p: (-len(p), p))) + r")\d{3,}"
)
_ID_PREFIX = re.compile(r"[a-z]+")


def id_prefix(qid: object) -> str:
    """An id's split prefix: its leading letters ("s" for s001, "ta" for ta001; "" if there are none)."""
    m = _ID_PREFIX.match(str(qid))
    return m.group(0) if m else ""


# strings by which a question can name a letter: document number, proposal/suggestion number, legislator.
# An answerable docref question must contain one of its own letter's markers (whitespace removed).
MARKERS: dict[str, tuple[str, ...]] = {
    "reply-01.txt": ("中民函", "131058", "杨兴全"),
    "reply-02.txt": ("恩民政函", "第13号", "13号提案", "温蓉"),
    "reply-03.txt": ("温民提", "317", "肖石龙"),
    "reply-04.txt": ("粤民函", "713号", "1146", "吴克昌"),
    "reply-05.md": ("咸民函", "403", "舒瑜"),
}
# identifiers that really are in the corpus: an unanswerable docref question must contain none of them
KNOWN_IDS = (
    "中民函〔2022〕40号", "131058", "杨兴全",
    "恩民政函〔2021〕3号", "第13号提案", "温蓉",
    "温民提〔2019〕70号", "第317号", "317号建议", "肖石龙",
    "粤民函〔2020〕713号", "1146号", "吴克昌",
    "咸民函〔2023〕38号", "第403号", "403号提案", "舒瑜",
)
DOCREF_CUE = re.compile(r"〔|号|提案|建议|代表|委员")
ANSWER_ALL_MAX = 20  # answers_all strings are short distinctive substrings, not whole sentences
_PUNCT = re.compile(r"[\s\W_]+")


def norm_question(text: str) -> str:
    """Question text for duplicate detection: whitespace and punctuation removed."""
    return _PUNCT.sub("", text)


def _str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(a, str) and a.strip() for a in value)


def check_staff(items: list[dict], letters: dict[str, Letter], legacy_questions: set[str]) -> list[str]:
    errors: list[str] = []
    ids = Counter(str(it.get("id")) for it in items)
    errors += [f"duplicate id {i!r} ({n} times)" for i, n in ids.items() if n > 1]
    prefixes = {id_prefix(it.get("id", "")) for it in items}
    if len(prefixes) > 1:
        errors.append(f"ids mix prefixes {sorted(prefixes)}: one file holds one split (s... or h...)")
    seen: dict[str, str] = {}

    for it in items:
        qid = it.get("id", "?")
        if set(it) != STAFF_KEYS:
            errors.append(f"{qid}: keys {sorted(it)} != {sorted(STAFF_KEYS)}")
            continue
        if not _STAFF_ID.fullmatch(str(qid)):
            rounds = ", ".join("/".join(pair) for pair in LATER_ROUNDS)
            errors.append(f"{qid}: id must look like s001 (tune) or h001 (held-out), or {rounds} for rounds 2-"
                          f"{len(LATER_ROUNDS) + 1}")
        kind = it["type"]
        if kind not in STAFF_TYPES:
            errors.append(f"{qid}: unknown type {kind!r}")
        q = it["question"]
        if not isinstance(q, str) or not q.strip():
            errors.append(f"{qid}: empty question")
            continue
        hist = it["history"]
        if not isinstance(hist, list) or not all(isinstance(h, str) and h.strip() for h in hist):
            errors.append(f"{qid}: history must be a list of non-empty strings")
            continue
        if kind == "followup" and not 1 <= len(hist) <= 3:
            errors.append(f"{qid}: followup needs 1-3 earlier questions in history, got {len(hist)}")
        if kind != "followup" and hist:
            errors.append(f"{qid}: only followup items have a history")
        key = norm_question("|".join([*hist, q]))
        if key in seen:
            errors.append(f"{qid}: same question (and history) as {seen[key]}")
        seen[key] = str(qid)
        if not hist and norm_question(q) in legacy_questions:
            errors.append(f"{qid}: question repeats one of qa.jsonl: {q!r}")
        answers, answers_all = it["answers"], it["answers_all"]
        if not _str_list(answers) or not _str_list(answers_all):
            errors.append(f"{qid}: answers and answers_all must be lists of non-empty strings")
            continue
        for label, values in (("answers", answers), ("answers_all", answers_all)):
            if len(set(map(squash, values))) != len(values):
                errors.append(f"{qid}: {label} has duplicates")
        sq = squash(q)
        if kind == "docref" and not DOCREF_CUE.search(sq):
            errors.append(f"{qid}: docref question names no document/proposal number or legislator")

        ev = it["evidence"]
        if ev is None:
            if kind not in ("trap", "docref"):
                errors.append(f"{qid}: only trap and docref items may be unanswerable (evidence null)")
            if answers or answers_all or it["bureau"] is not None or it["doc_number"] is not None:
                errors.append(f"{qid}: unanswerable items need answers/answers_all [] and bureau/doc_number null")
            if kind == "docref":
                known = [k for k in KNOWN_IDS if squash(k) in sq]
                if known:
                    errors.append(f"{qid}: unanswerable docref names {known}, which is in the corpus")
            continue
        if kind == "trap":
            errors.append(f"{qid}: trap items are unanswerable: evidence, bureau, doc_number null, answers []")
            continue
        if not isinstance(ev, str):
            errors.append(f"{qid}: evidence must be a string or null")
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
        if kind == "docref" and not any(squash(m) in sq for m in MARKERS[letter.name]):
            errors.append(f"{qid}: docref question names none of {MARKERS[letter.name]} of {letter.name}")

        low = 0 if answers_all else 1
        if not low <= len(answers) <= 3:
            errors.append(f"{qid}: need {low}-3 answers, got {len(answers)}")
        if kind in ("list", "multipart") and len(answers_all) < 2:
            errors.append(f"{qid}: {kind} items need at least 2 answers_all strings")
        sentence = letter.sentence_of(sev) or ""
        for ans in answers:
            sans = squash(ans)
            if kind == "meta":
                if sans not in letter.flat:
                    errors.append(f"{qid}: answer {ans!r} not in {letter.name}")
            elif sans not in sev and sans not in sentence:
                errors.append(f"{qid}: answer {ans!r} in neither the evidence nor its sentence")
        for ans in answers_all:
            sans = squash(ans)
            if sans not in letter.flat:
                errors.append(f"{qid}: answers_all item {ans!r} not in {letter.name}")
            if len(sans) > ANSWER_ALL_MAX:
                errors.append(f"{qid}: answers_all item {ans!r} longer than {ANSWER_ALL_MAX} characters")
    return errors


def staff_counts(items: list[dict]) -> dict[str, int]:
    by_type = Counter(it.get("type") for it in items)
    out = {t: by_type.get(t, 0) for t in STAFF_TYPES}
    out["docref-unknown"] = sum(1 for it in items if it.get("type") == "docref" and it.get("evidence") is None)
    out["total"] = len(items)
    return out


def staff_minimums(items: list[dict]) -> tuple[str, dict[str, int]]:
    """Minimums for one staff file (scaled by its split's share) or for several files together.

    Several files must meet the sum of their shares, at most the full minimums: the first round's tune and
    held-out files together (2/3 + 1/3) need the full minimums as before, a later round's pair only that
    round's share (round 3: 2/9 + 1/9), since a round of 90 questions can't meet minimums set for 135.
    """
    prefixes = sorted({id_prefix(it.get("id", "")) for it in items})
    if not prefixes or any(p not in SPLIT_SHARE for p in prefixes):
        return "all splits", dict(STAFF_MINIMUMS)
    share = min(Fraction(1), sum((Fraction(*SPLIT_SHARE[p]) for p in prefixes), Fraction(0)))
    label = " + ".join(SPLIT_NAME[p] for p in prefixes) if share < 1 else "all splits"
    return label, {k: v * share.numerator // share.denominator for k, v in STAFF_MINIMUMS.items()}


def report_staff(items: list[dict], errors: list[str]) -> None:
    label, minimums = staff_minimums(items)
    got = staff_counts(items)
    print(f"{'type':<16}{'count':>6}{'min':>6}  status   ({label})")
    for key in (*STAFF_TYPES, "docref-unknown", "total"):
        need = minimums[key]
        status = "ok" if got[key] >= need else "TOO FEW"
        print(f"{key:<16}{got[key]:>6}{need:>6}  {status}")
        if got[key] < need:
            errors.append(f"type {key}: {got[key]} < required {need} ({label})")
    per_letter = Counter(it.get("bureau") or "(unanswerable)" for it in items)
    print()
    print(f"{'source':<20}{'items':>6}")
    for bureau, _ in SOURCES.values():
        print(f"{bureau:<20}{per_letter.get(bureau, 0):>6}")
    print(f"{'(unanswerable)':<20}{per_letter.get('(unanswerable)', 0):>6}")


def is_staff(items: list[dict]) -> bool:
    return any(isinstance(it, dict) and ("history" in it or "answers_all" in it) for it in items)


def counts(items: list[dict]) -> dict[str, int]:
    by_type = Counter(it.get("type") for it in items)
    out = {t: by_type.get(t, 0) for t in TYPES}
    out["list+fact"] = out["list"] + out["fact"]
    out["total"] = len(items)
    return out


def read_items(path: Path, errors: list[str]) -> list[dict]:
    items: list[dict] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
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
    return items


def check_qa_file(items: list[dict], letters: dict[str, Letter], errors: list[str]) -> None:
    """The original qa.jsonl checks and report, unchanged."""
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


def legacy_question_set(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and isinstance(obj.get("question"), str):
            out.add(norm_question(obj["question"]))
    return out


def finish(errors: list[str], what: str) -> int:
    print()
    if errors:
        print(f"{len(errors)} violation(s):")
        for e in errors:
            print("  " + e)
        return 1
    print(f"OK: {what}, no violations")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qa", type=Path, action="append", help="question file; may be repeated (default qa.jsonl)")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--format", choices=("auto", "qa", "staff"), default="auto")
    args = ap.parse_args(argv)
    paths: list[Path] = args.qa or [Path(__file__).with_name("qa.jsonl")]

    letters = load_letters(args.corpus)
    legacy = legacy_question_set(Path(__file__).with_name("qa.jsonl"))
    status = 0
    staff_all: list[dict] = []
    for path in paths:
        if len(paths) > 1:
            print(f"=== {path}")
        errors: list[str] = []
        items = read_items(path, errors)
        staff = args.format == "staff" or (args.format == "auto" and is_staff(items))
        if staff:
            errors += check_staff(items, letters, legacy)
            report_staff(items, errors)
            staff_all += items
        else:
            check_qa_file(items, letters, errors)
        status |= finish(errors, f"{len(items)} items")
        if len(paths) > 1:
            print()

    if len({id_prefix(it.get("id", "")) for it in staff_all}) > 1:
        print("=== all staff files together")
        errors = []
        ids = Counter(str(it.get("id")) for it in staff_all)
        errors += [f"id {i!r} in several files" for i, n in ids.items() if n > 1]
        keys = Counter(norm_question("|".join([*it.get("history", []), str(it.get("question", ""))]))
                       for it in staff_all)
        errors += [f"question in several files: {k!r}" for k, n in keys.items() if n > 1]
        report_staff(staff_all, errors)
        status |= finish(errors, f"{len(staff_all)} items in {len(paths)} files")
    return status


if __name__ == "__main__":
    sys.exit(main())
