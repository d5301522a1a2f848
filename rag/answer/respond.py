"""The Responder role: from a question (and its conversation) to a Response. It resolves the conversation, selects
the letters the question names, retrieves and answers; the pipeline builds it and `rag ask`, the page, /api/ask and
`rag eval` all reach it through Pipeline.respond."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from rag.answer.base import Answerer, AnswerEvent
from rag.answer.compare import Comparison, compared, compared_answer
from rag.answer.script import simplified
from rag.core.records import Answer, Filters, Hit

# the steps below are imported where they are first used, as they were in the pipeline: importing the pipeline
# (every command does) does not pay for them
if TYPE_CHECKING:
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.search.retrieve import Retriever


def _as_letters_write(question: str, history: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The conversation in the letters' script and words (traditional characters, Cantonese: rag.answer.script)."""
    return simplified(question), tuple(simplified(h) for h in history if h.strip())  # (a blank turn asks nothing)


def _none(doc_id: str) -> None:
    """No library: no letter's own lines can be read."""
    return None


@dataclass(frozen=True)
class Response:
    """A question answered: the question as understood (follow-ups resolved), what retrieval ranked, the answer."""

    question: str
    ranked: tuple[Hit, ...]
    answer: Answer


class Search(Protocol):
    """Pipeline.search's shape: the pipeline's own method is passed, so a pipeline that filters its searches
    (eval/bench/retrieval.py) filters the answers' retrieval too."""

    def __call__(self, query: str, k: int | None = None, mode: str | None = None,
                 filters: Filters | None = None) -> list[Hit]: ...


class Responder:
    """Everything heavy comes through an accessor (`retriever`, `tokens`, `answerer`, `extractive`), so the models
    and the index still load on first use, once, in the pipeline's cached properties."""

    def __init__(self, *, search: Search, retriever: Callable[[], Retriever], tokens: Callable[[str], list[str]],
                 answerer: Callable[[str | None], Answerer], extractive: Callable[[], ExtractiveAnswerer],
                 k: int) -> None:
        self.search = search
        self._retriever = retriever
        self._tokens = tokens
        self.answerer = answerer  # the answerer of a mode (None: the configured one)
        self._extractive = extractive
        self.k = k  # the default number of passages an answerer reads

    def resolve_question(self, question: str, history: Sequence[str] = ()) -> str:
        """The question as meant in its conversation (rag.answer.followup), before any try of the conversation's
        place (respond makes that, as it needs the answer)."""
        from rag.answer.followup import resolve_question

        question, history = _as_letters_write(question, history)
        return resolve_question(question, history, self._retriever().known_places(), self._ask_alone)

    def _ask_alone(self, question: str) -> Answer:
        return self.respond(question).answer

    def respond(self, question: str, history: Sequence[str] = (), k: int | None = None, mode: str | None = None,
                filters: Filters | None = None, answer_mode: str | None = None, depth: int | None = None) -> Response:
        """The one path from a question to its answer: `rag ask`, the page, /api/ask and `rag eval` all take it.
        `depth` retrieves more than the answerer reads (evaluation ranks the top 10)."""
        question, history = _as_letters_write(question, history)
        q, ranked, early, k, read = self._prepare(question, history, k, mode, filters, answer_mode, depth)
        if early is not None:
            return Response(q, ranked, early)
        answerer = self.answerer(answer_mode)
        if answerer is self._extractive() and (c := compared(q)) is not None:
            return Response(q, ranked, self._compared(c, ranked[:k], k, mode, filters, answer_mode))
        got = read if read is not None and answerer is self._extractive() else answerer.answer(q, ranked[:k])
        return Response(q, ranked, self._new_value(question, q, history, got))

    def _compared(self, c: Comparison, hits: Sequence[Hit], k: int, mode: str | None, filters: Filters | None,
                  answer_mode: str | None) -> Answer:
        """"咸阳和恩阳，哪边的百岁老人更多": each side's figure, each found as its own question."""
        sides = [self.respond(x, k=k, mode=mode, filters=filters, answer_mode=answer_mode).answer for x in c.asks()]
        return compared_answer(c, sides, hits, self._extractive().name)

    def _new_value(self, question: str, resolved: str, history: Sequence[str], answer: Answer) -> Answer:
        """A follow-up answered with the value the previous question got is refused (rag.answer.followup)."""
        from rag.answer.followup import new_value

        return new_value(question, resolved, history, answer, self._retriever().known_places(), self._ask_alone)

    def respond_stream(self, question: str, history: Sequence[str] = (), k: int | None = None,
                       mode: str | None = None, filters: Filters | None = None, answer_mode: str | None = None,
                       ) -> tuple[str, Iterator[AnswerEvent]]:
        """Like respond, the answer streamed: the question as understood, then the answer's events."""
        question, history = _as_letters_write(question, history)
        q, ranked, early, k, read = self._prepare(question, history, k, mode, filters, answer_mode, None)
        if early is not None:
            return q, iter([AnswerEvent("token", early.answer), AnswerEvent("final", answer=early)])
        answerer = self.answerer(answer_mode)
        if answerer is self._extractive() and (c := compared(q)) is not None:  # as respond: each side's figure
            from rag.answer.base import events_of

            return q, events_of(self._compared(c, ranked[:k], k, mode, filters, answer_mode))
        if history and answerer is self._extractive():  # as respond: a follow-up's value is checked against the last
            from rag.answer.base import events_of

            got = read if read is not None else answerer.answer(q, ranked[:k])
            return q, events_of(self._new_value(question, q, history, got))
        return q, answerer.stream(q, ranked[:k])

    def _prepare(self, question: str, history: Sequence[str], k: int | None, mode: str | None,
                 filters: Filters | None, answer_mode: str | None, depth: int | None
                 ) -> tuple[str, tuple[Hit, ...], Answer | None, int, Answer | None]:
        """Resolve the conversation, then retrieve for the question as meant. A follow-up the letters do not
        answer as it is, is asked of the conversation's place when it names none, then in its own words of the
        letter the previous answer came from (rag.answer.followup); the extractive answer that decided it comes
        back last, so it is not read twice (an answer ready early, the third, wins over it)."""
        from rag.answer.followup import (
            asked_of,
            conversation_place,
            of_conversation_letter,
            of_conversation_place,
            of_conversation_subject,
        )
        from rag.core.places import serves

        q = self.resolve_question(question, history)
        k = k or self.k
        found = self._retrieve(q, question, k, mode, filters, answer_mode, depth)
        if not history:
            return (*found, None)
        read = found[2] or self._extractive().answer(q, found[1][:k])
        known = self._retriever().known_places()
        if read.found and (where := conversation_place(question, q, history, known)) is not None and not any(
                serves(c.bureau, where) for c in read.citations):
            # answered from another place's letter, a follow-up that names no place is first asked of the
            # conversation's ("那城镇这边呢？社区里…中心建成了几个" in a conversation about 咸阳 is not 恩阳's 42个)
            placed = asked_of(where, q)
            other = self._retrieve(placed, question, k, mode, filters, answer_mode, depth)
            read_other = other[2] or self._extractive().answer(placed, other[1][:k])
            if read_other.found:
                return (*other, read_other)
        if read.found:
            return (*found, read)
        # not answered as rewritten: asked of the conversation's place, then in its own words of the previous
        # answer's letter
        for again in (of_conversation_place, of_conversation_subject):  # its place, then its subject
            if (rewritten := again(question, q, history, known)) is not None:
                other = self._retrieve(rewritten, question, k, mode, filters, answer_mode, depth)
                read_other = other[2] or self._extractive().answer(rewritten, other[1][:k])
                if read_other.found:
                    return (*other, read_other)
        if (lettered := of_conversation_letter(question, history, known, self._ask_alone)) is not None:
            doc_id, shown = lettered
            own = replace(filters or Filters(), doc_ids=frozenset({doc_id}))
            _, ranked, early, _ = self._retrieve(question.strip(), question, k, mode, own, answer_mode, depth)
            read_other = early or self._extractive().answer(question.strip(), ranked[:k])
            if read_other.found:
                return shown, ranked, early, k, read_other
        return (*found, read)

    def _retrieve(self, q: str, question: str, k: int, mode: str | None, filters: Filters | None,
                  answer_mode: str | None, depth: int | None) -> tuple[str, tuple[Hit, ...], Answer | None, int]:
        """Select the letters the question `q` names, retrieve. An answer is ready already when the question names a
        letter the corpus does not hold. `question` is what the user typed (its own words name what it asks)."""
        from rag.answer.base import refusal
        from rag.answer.conversation import unchatter
        from rag.answer.frame import read
        from rag.answer.scope import (
            by_order,
            by_record,
            by_surname,
            cited,
            described,
            people_named,
            refusal_text,
            select,
            with_roles,
        )
        from rag.answer.traits import by_lines, by_trait
        from rag.answer.unknown import refusal_reason, unknown_terms

        frame = read(q)
        catalog = self._retriever().catalog()
        if not frame.refs and (full := by_surname(q, catalog)) != q:
            q, frame = full, read(full)  # "吴代表那个建议" is 吴克昌代表's letter
        if (named := people_named(q, catalog)) and not set(named) <= set(frame.refs.people):
            # "肖石龙那个建议，…" is read as 肖石龙代表's letter, the name no content, also beside a number that names
            # the same letter ("肖石龙提的317号那件")
            q = with_roles(q, named, catalog)
            frame = read(q)
        refs, content, citing = frame.refs, frame.content, frozenset[str]()
        scope = select(refs, catalog)
        if refs.doc_numbers and not scope.doc_ids:  # a 文号 no letter has may be one they cite
            near = self.search(" ".join(r.text for r in refs.doc_numbers), depth or k, "bm25")
            refs, quoted, citing = cited(refs, catalog, [(h.chunk.doc_id, h.chunk.text) for h in near])
            content = " ".join([*(r.text for r in quoted), content])
            filters = replace(filters or Filters(), doc_ids=citing) if citing else filters
            scope = select(refs, catalog) if quoted else scope
        if refs:  # a 文号, proposal number or legislator selects its letter: a filter, not a boost
            if not scope.doc_ids:
                name = self.answerer(answer_mode).name
                return q, (), refusal((), name, lead=refusal_text(scope, catalog, refs)), k
            filters = replace(filters or Filters(), doc_ids=scope.doc_ids & citing if citing else scope.doc_ids)
        elif not citing and (one := by_record(q, catalog) or described(q, catalog) or by_order(q, catalog)
                             or by_trait(q, catalog) or by_lines(q, catalog, self._extractive().library or _none)):
            # "89985185这个电话…", "落款2019年7月2日的", "民政厅那个函": the letter whose own record or description fits
            filters = replace(filters or Filters(), doc_ids=one)
        ranked = self.search(content, max(k, depth or k), mode, filters)
        # the question's own words (not the history it was resolved with) name what it asks about
        missing = () if frame.meta else unknown_terms(  # "文号多少" after a question about a letter asks its 文号
            unchatter(question), ranked[:k], self._retriever().in_vocabulary, self._tokens)  # (not its "明白。")
        if missing:
            return q, tuple(ranked), refusal(ranked[:k], self.answerer(answer_mode).name,
                                             reason=refusal_reason(missing)), k
        return q, tuple(ranked), None, k
