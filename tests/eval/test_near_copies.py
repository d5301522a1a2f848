"""eval.generators.near_copies: SYNTHETIC copies of the five letters, deterministic, that never touch a QA item's
evidence or answers."""

from __future__ import annotations

import re
from pathlib import Path

from eval.generators.near_copies import copy, generate, letters, protected_strings
from rag.core.records import RawText
from rag.ingest.load import read_bytes
from rag.ingest.structure import parse_document

_WS = re.compile(r"\s+")


def _meta(name: str, data: bytes):
    raw = read_bytes(data, name)
    return parse_document(RawText(name, raw.text, raw.fmt, raw.encoding, raw.sha256), "x").meta


def test_copies_are_deterministic_and_of_each_kind(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 30, seed=3)
    b = generate(tmp_path / "b", 30, seed=3)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in generate(tmp_path / "c", 5, seed=3)] == [p.read_bytes() for p in a[:5]]
    kinds = {p.name.split("-")[3] for p in a}
    assert kinds == {"same", "reissue", "reuse"}


def test_edits_keep_every_qa_evidence_and_say_which_letter_they_are() -> None:
    originals = letters()
    protect = protected_strings()
    by_name = {name: _WS.sub("", text) for name, text in originals}
    metas = {name: _meta(name, text.encode()) for name, text in originals}
    heads = {name: _WS.sub("", "".join(text.split("。")[:1]) + text.strip().rsplit("\n", 6)[-1]
                                  + "".join(text.strip().split("\n")[-6:])) for name, text in originals}
    for i in range(1, 61):
        kind, fname, data = copy(0, i, originals, protect)
        source = next(n for n in by_name if fname.endswith("-" + n))
        text = _WS.sub("", read_bytes(data, fname).text)  # UTF-8 or GBK, as the loader detects it
        kept = [p for p in protect if p in by_name[source]
                and not (kind == "reuse" and p in heads[source])]  # another letter: its own header and date
        assert all(p in text for p in kept), (fname, [p for p in kept if p not in text])
        meta, orig = _meta(fname, data), metas[source]
        assert meta.bureau == orig.bureau
        if kind == "reuse":
            assert meta.doc_number != orig.doc_number and meta.addressee != orig.addressee
            assert meta.proposal != orig.proposal
        else:
            assert (meta.doc_number, meta.proposal, meta.addressee) == (orig.doc_number, orig.proposal, orig.addressee)
        if kind == "same":
            assert text == by_name[source]  # only spacing or the encoding differ
        else:
            assert text != by_name[source]
