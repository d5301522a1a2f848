"""Staff feedback on answers (👍/👎 and an optional reason), kept in SQLite beside the index, and its export
as a QA file that `rag eval` reads: what staff confirmed becomes the next evaluation set.

Export rules (the latest rating of a question in its conversation wins):
- 👍 on an answer with citations → an answerable item: `evidence` is the first cited sentence (as the letter
  has it, checked against the store), `answers` the figures the answer and that sentence share (none: only
  retrieval and citation are scored), `bureau`/`doc_number` the cited letter's;
- 👍 on a refusal (资料中未找到…) → an unanswerable item (`evidence` null, `answers` []);
- 👎, or a 👍 whose cited paragraph is no longer in the store → the review file, with the reason, for an
  evaluator to write the right evidence; they are never guessed into the QA file.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rag.core.files import write_atomic
from rag.core.records import content_hash
from rag.core.text import split_sentences, squash

if TYPE_CHECKING:
    from rag.index.store import Store

FEEDBACK_FILE = "feedback.sqlite"  # in the index folder, beside store.sqlite; `make clean` keeps it
EVIDENCE_MAX = 60  # characters of evidence, whitespace removed (eval/data/README.md: 6–60)
Rating = Literal["up", "down"]
# a figure with its unit, as answers state them: 375家, 51086张, 66.1%, 3040万元
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|万元|亿元|万|亿|元|个|家|张|所|名|人|户|项|次|条|座|处|间|场|期|批|年)?")

_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    turn_id TEXT PRIMARY KEY,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    reason TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    resolved_question TEXT NOT NULL,
    answer TEXT NOT NULL,
    found INTEGER NOT NULL,
    citations TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)"""


@dataclass(frozen=True)
class Feedback:
    """One rating of one answer, with what the person saw: the answer, its citations (as the API sent
    them) and the settings it was asked with."""

    turn_id: str
    rating: Rating
    question: str
    answer: str
    found: bool
    history: tuple[str, ...] = ()
    resolved_question: str = ""
    citations: tuple[dict[str, Any], ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    created_at: str = ""
    updated_at: str = ""


class FeedbackStore:
    """The feedback table; one short connection per call, so API threads never share one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=10)) as conn, conn:
                if not self._ready:
                    conn.execute(_SCHEMA)
                    self._ready = True
                yield conn

    def put(self, fb: Feedback) -> Feedback:
        """Store a rating; a second rating of the same answer (turn_id) replaces the first."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._conn() as conn:
            row = conn.execute("SELECT created_at FROM feedback WHERE turn_id = ?", (fb.turn_id,)).fetchone()
            created = row[0] if row else now
            conn.execute(
                "INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (fb.turn_id, fb.rating, fb.reason, fb.question, _dump(list(fb.history)), fb.resolved_question,
                 fb.answer, int(fb.found), _dump(list(fb.citations)), _dump(fb.settings), created, now))
        return Feedback(**{**asdict(fb), "created_at": created, "updated_at": now})

    def all(self) -> list[Feedback]:
        """Every rating, oldest first."""
        if not self.path.exists():
            return []
        with self._conn() as conn:
            rows = conn.execute("SELECT turn_id, rating, reason, question, history, resolved_question, answer, "
                                "found, citations, settings, created_at, updated_at FROM feedback "
                                "ORDER BY updated_at, rowid").fetchall()
        return [Feedback(turn_id=r[0], rating=r[1], reason=r[2], question=r[3], history=tuple(json.loads(r[4])),
                         resolved_question=r[5], answer=r[6], found=bool(r[7]),
                         citations=tuple(json.loads(r[8])), settings=json.loads(r[9]), created_at=r[10],
                         updated_at=r[11]) for r in rows]

    def counts(self) -> dict[str, int]:
        out = {"up": 0, "down": 0}
        for fb in self.all():
            out[fb.rating] += 1
        return out


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- export -----------------------------------------------------------------------------------------


def evidence_of(quote: str) -> str:
    """The first sentence of a cited quote, at most EVIDENCE_MAX characters (whitespace removed), so it
    lies inside one chunk: a substring of the letter, as the QA format wants."""
    first = next((s for s in split_sentences(quote.strip()) if squash(s)), quote.strip())
    out, n = [], 0
    for ch in first:
        n += not ch.isspace()
        if n > EVIDENCE_MAX:
            break
        out.append(ch)
    return "".join(out).strip()


def shared_figures(answer: str, evidence: str) -> list[str]:
    """Figures (with their units) the answer states in its own words (not inside the quotes it cites) and
    the evidence contains: "375家。据…答复：“…375家养老机构（其中鹿城区17家）…”" → 375家."""
    ev = squash(evidence)
    own = _QUOTED.sub("", answer)
    figures = (squash(m.group()) for m in _FIGURE.finditer(own))
    return list(dict.fromkeys(f for f in figures if len(f) >= 2 and f in ev))


def _latest(items: Iterable[Feedback]) -> list[Feedback]:
    """The latest rating per question in its conversation (the same question may be rated many times)."""
    by_key: dict[tuple[str, tuple[str, ...]], Feedback] = {}
    for fb in items:
        by_key[(squash(fb.question), tuple(squash(h) for h in fb.history))] = fb
    return list(by_key.values())


def _item_id(fb: Feedback) -> str:
    return "fb-" + content_hash(squash(fb.question), *map(squash, fb.history), length=10)


def _review(fb: Feedback, note: str) -> dict[str, Any]:
    return {"id": _item_id(fb), "question": fb.question, "history": list(fb.history), "rating": fb.rating,
            "reason": fb.reason, "note": note, "answer": fb.answer, "found": fb.found,
            "resolved_question": fb.resolved_question,
            "citations": [{k: c.get(k) for k in ("label", "doc_id", "paragraph", "quote")} for c in fb.citations],
            "settings": fb.settings, "rated_at": fb.updated_at}


def _cited_in_store(c: dict[str, Any], store: Store | None) -> bool:
    if store is None:
        return True
    para = store.paragraphs([str(c.get("paragraph", ""))]).get(str(c.get("paragraph", "")))
    return para is not None and squash(evidence_of(str(c.get("quote", "")))) in squash(para.text)


def to_qa(items: Sequence[Feedback], store: Store | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(QA items for `rag eval`, items for review) from the ratings; see the module docstring."""
    qa: list[dict[str, Any]] = []
    review: list[dict[str, Any]] = []
    for fb in _latest(items):
        base = {"id": _item_id(fb), "question": fb.question, "history": list(fb.history)}
        if fb.rating == "down":
            review.append(_review(fb, "👎：回答有误或不完整，请补写正确的 evidence 与 answers"))
        elif not fb.found:
            qa.append({**base, "evidence": None, "answers": [], "bureau": None, "doc_number": None,
                       "type": "feedback-refusal"})
        elif fb.citations and _cited_in_store(c := fb.citations[0], store):
            evidence = evidence_of(str(c.get("quote", "")))
            qa.append({**base, "evidence": evidence, "answers": shared_figures(fb.answer, evidence),
                       "bureau": c.get("bureau"), "doc_number": c.get("doc_number"), "type": "feedback"})
        else:
            review.append(_review(fb, "👍，但引用的段落已不在资料库中（答复函被删除或替换），请重新确认出处"))
    return qa, review


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, "".join(_dump(r) + "\n" for r in rows))
