"""The conversation steps that need an earlier answer, not only the earlier questions: a follow-up that points at
the figure just given or at the letter it came from, and a follow-up answered with the very value the previous
question got. `ask` answers a question standing alone (the pipeline's one path), so these stay apart from
retrieval; rag.answer.conversation rewrites questions from questions alone."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from rag.answer.base import refusal
from rag.answer.conversation import resolve, topic_of, unchatter, with_figure
from rag.answer.frame import points_to_figure, read, source_of_figure
from rag.answer.parts import INTERROGATIVE
from rag.answer.pick import PER_Q
from rag.answer.values import same_value
from rag.core import pos
from rag.core.places import is_place, places_in
from rag.core.records import Answer


def resolve_question(question: str, history: Sequence[str], known: Iterable[str],
                     ask: Callable[[str], Answer]) -> str:
    """The question as meant in its conversation. "这封答复是哪天写的？" names the letter the previous answer came
    from (by its 文号), so it is answered from that letter and the user sees which one."""
    if not history:
        return unchatter(question)
    known = set(known)
    q = resolve(question, history, known)
    prev = resolve(history[-1], history[:-1], known)  # the previous question, as it was meant
    frame = read(q)
    of_source = source_of_figure(question)  # "这数是哪个文号里的": the letter that gave it
    if points_to_figure(question) and not frame.refs and not of_source:
        # "这个数统计到什么时间": the figure just given
        given = ask(prev)
        if given.found and given.direct and re.search(r"\d", given.direct):
            return f"{with_figure(prev, given.direct)}，{question.strip()}"
    # (a follow-up naming a place, "温州那封呢", points at that place's letter, not the previous one)
    if (frame.points_back or of_source) and not frame.refs and not places_in(question, known):
        cited = ask(prev).citations
        if cited and cited[0].doc_number:
            q = f"{cited[0].doc_number}：{question.strip()}"
    return q


def conversation_place(question: str, resolved: str, history: Sequence[str], known: Iterable[str]) -> str | None:
    """The place the previous question named, for a follow-up that stands alone (`resolved` is the question itself)
    but names no place or letter ("镇街能不能自己把资助对象放宽一些" after a question about 中山); else None."""
    if not history or resolved != question.strip():  # (the cheap tests first: respond asks this of every follow-up)
        return None
    known = set(known)
    frame = read(resolved)
    if frame.refs or frame.points_back or source_of_figure(question) or places_in(resolved, known):
        return None
    prev = resolve(history[-1], history[:-1], known)
    # the first place said, the longest of those said there (温州市 over 温州): not a set's order, which varies by run
    where = sorted(places_in(prev, known), key=lambda p: (prev.index(p), -len(p), p))
    return where[0] if where else None


def of_conversation_place(question: str, resolved: str, history: Sequence[str], known: Iterable[str]) -> str | None:
    """Such a follow-up asked of the conversation's place (conversation_place): "中山，镇街能不能…". The pipeline asks
    it so when the letters do not answer it as it is, or answer it from another place's letter."""
    where = conversation_place(question, resolved, history, known)
    return asked_of(where, resolved) if where else None


def asked_of(place: str, resolved: str) -> str:
    """A follow-up asked of a place: "中山，镇街能不能…"."""
    return f"{place}，{resolved}"


def of_conversation_subject(question: str, resolved: str, history: Sequence[str], known: Iterable[str]) -> str | None:
    """"反过来，坐席给老人主动拨出去问候的有几回？" after "中山养老平台的调度中心接了多少个咨询电话？": a follow-up that
    stood alone (`resolved` is the question itself) and names no place or letter, asked with what the previous
    question was about (中山养老平台的调度中心…). The pipeline asks it so only when its own words found no answer."""
    known = set(known)
    if not history or resolved != unchatter(question) or read(question).refs or places_in(question, known):
        return None
    context = topic_of(resolve(history[-1], history[:-1], known))
    return f"{context}，{resolved}" if context else None


# words that stand for what the previous question named ("这么执行", "这个补贴", "它们"): asked in its own words, such
# a follow-up says too little to be read apart from it
_POINTS_AT_THING = re.compile(r"这么|这样|[这那](?:个|些|项|笔|类|种|件|部分)|它|其(?!中|他|余|实)|该")


_COUNT_ASKED = re.compile(r"多少|几")


def _names_a_thing(question: str) -> bool:
    """A noun of the question's own (床位, 照料中心), not a verb jieba reads as a place name (新建)."""
    return any(w.flag[:1] == "n" and len(w.word) >= 2 and (w.flag != "ns" or is_place(w.word))
               for w in pos.cut(question))


def of_conversation_letter(question: str, history: Sequence[str], known: Iterable[str],
                           ask: Callable[[str], Answer]) -> tuple[str, str] | None:
    """"民办的床位有多少张？" after "恩阳公办养老机构有多少所？": a follow-up the letters do not answer as it was
    rewritten (恩阳公办养老机构，民办的床位…), asked in its own words of the letter the previous answer came from:
    (doc id, how the user is told: "恩民政函〔2021〕3号：民办的床位有多少张？"). Its words stay the question's own, so
    it is not read as a question about the letter's record. Not one that names a place or a letter of its own."""
    known = set(known)
    if not history or read(question).refs or places_in(question, known) or _POINTS_AT_THING.search(question) \
            or not INTERROGATIVE.search(question.strip().rstrip("？?。")):
        return None  # "那鹿城呢": no ask of its own, only the previous one's
    if _COUNT_ASKED.search(question) and not _names_a_thing(question):
        return None  # "2021年新建了多少" after "中山5G基站…": it names nothing it counts, so alone it is any count
    cited = ask(resolve(history[-1], history[:-1], known)).citations
    if not cited:
        return None
    return cited[0].doc_id, f"{cited[0].doc_number or cited[0].bureau or ''}：{question.strip()}"


def new_value(question: str, resolved: str, history: Sequence[str], answer: Answer, known: Iterable[str],
              ask: Callable[[str], Answer]) -> Answer:
    """A follow-up asks something new: answered with the very value the previous question got ("那当初建这些中心
    补了多少" → the 133.9万元 运行补贴 just given), it was read as the old question, and is refused instead. A
    question that stands alone (asked again, or in other words) is answered as it is."""
    if not (history and answer.found and answer.direct and re.search(r"\d", answer.direct)) or (
            points_to_figure(question) or resolved.strip() == question.strip()):
        return answer
    if answer.direct.startswith("“") and not re.search(r"^“…|…”$", answer.direct):
        return answer  # a whole sentence quoted for "哪项工程" may be the one the figure came from: it says more
    if PER_Q.search(question) and not PER_Q.search(history[-1]):
        return answer  # "每个中心给多少" after "…获得了多少运营补贴": per centre, which may be the value given
    given = ask(resolve(history[-1], history[:-1], set(known)))
    if not (given.found and given.direct and same_value(answer.direct, given.direct)) or (
            given.direct.startswith("“") and not answer.direct.startswith("“")):
        return answer  # a passage given before ("…该中心建筑面积600㎡…") may hold the value asked now
    lead = f"资料中没有找到这一问的答案：能找到的只有上一问的答案（{given.direct}），答复函可能没有单独写明。"
    return refusal(answer.sources, answer.mode, lead=lead)
