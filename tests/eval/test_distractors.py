"""eval.generators.distractors: deterministic, realistic-looking SYNTHETIC letters that never name a real source."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eval.generators.distractors import (
    EXCLUDED_TERMS,
    REAL_DOC_PREFIXES,
    generate,
    letter,
    main,
    qa_evidence,
)
from rag.core.settings import PROJECT_ROOT

REAL_BUREAUS = ("中山市民政局", "巴中市恩阳区民政局", "温州市民政局", "广东省民政厅", "咸阳市民政局")
DOC_NUMBER = re.compile(r"^\S+〔\d{4}〕\d+号$", re.M)
ADDRESSEE = re.compile(r"^\S{2,6}(代表|委员)：$", re.M)
SECTION = re.compile(r"^[一二三四五六七八九十]+、\S", re.M)
N_SCAN = 3000  # letters scanned in memory for forbidden names (about a second)


@pytest.fixture(scope="module")
def letters() -> list[str]:
    avoid = qa_evidence()
    return [letter(0, i, avoid) for i in range(1, N_SCAN + 1)]


def test_generate_writes_n_files_named_synthetic(tmp_path: Path) -> None:
    paths = generate(tmp_path, 25, seed=1)
    assert [p.name for p in paths] == [f"synthetic-{i:05d}.txt" for i in range(1, 26)]
    assert sorted(tmp_path.iterdir()) == paths
    assert generate(tmp_path / "empty", 0) == []
    with pytest.raises(ValueError, match="-1"):
        generate(tmp_path, -1)


def test_same_seed_same_letters_and_prefix_stable(tmp_path: Path) -> None:
    a = [p.read_text(encoding="utf-8") for p in generate(tmp_path / "a", 20, seed=7)]
    b = [p.read_text(encoding="utf-8") for p in generate(tmp_path / "b", 20, seed=7)]
    short = [p.read_text(encoding="utf-8") for p in generate(tmp_path / "c", 5, seed=7)]
    other = [p.read_text(encoding="utf-8") for p in generate(tmp_path / "d", 20, seed=8)]
    assert a == b
    assert short == a[:5]
    assert sum(x != y for x, y in zip(a, other, strict=True)) == 20
    assert len(set(a)) == 20


def test_no_real_bureau_or_excluded_term(letters: list[str]) -> None:
    for i, text in enumerate(letters, 1):
        bad = [t for t in (*REAL_BUREAUS, *EXCLUDED_TERMS) if t in text]
        assert not bad, f"letter {i} contains {bad}"
        docs = DOC_NUMBER.findall(text)
        assert not any(d.startswith(REAL_DOC_PREFIXES) for d in docs), f"letter {i}: {docs}"


def test_unanswerable_qa_places_are_excluded() -> None:
    qa = PROJECT_ROOT / "eval" / "data" / "qa.jsonl"
    items = [json.loads(line) for line in qa.read_text(encoding="utf-8").splitlines() if line.strip()]
    # unanswerable questions open with the place they ask about: 深圳市…, 广东省…, 恩阳区…
    opening = (
        re.match(r"([\u4e00-\u9fff]{2})[省市区]", it["question"]) for it in items if it["type"] == "unanswerable"
    )
    places = {m.group(1) for m in opening if m}
    assert places, "expected place names in the unanswerable questions"
    assert places <= set(EXCLUDED_TERMS), places - set(EXCLUDED_TERMS)


def test_letter_shape(letters: list[str]) -> None:
    for i, text in enumerate(letters[:500], 1):
        assert DOC_NUMBER.search(text), f"letter {i}: no document number"
        assert ADDRESSEE.search(text), f"letter {i}: no addressee line"
        assert len(SECTION.findall(text)) >= 3, f"letter {i}: fewer than 3 numbered sections"
        assert "现答复如下：" in text and "联系人：" in text
        assert re.search(r"^\S+(局|厅|委员会)$", text, re.M), f"letter {i}: no bureau line"


def test_topics_mostly_elder_care_with_some_others(letters: list[str]) -> None:
    other = sum(
        any(u in t.split("\n", 3)[2] + t.split("\n", 1)[0] for u in ("教育", "交通运输", "住房和城乡建设"))
        for t in letters
    )
    assert 0.1 * len(letters) < other < 0.3 * len(letters)


def test_cli_writes_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main([str(tmp_path), "--n", "3", "--seed", "2"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"synthetic-{i:05d}.txt" for i in (1, 2, 3)]
    assert "3 synthetic letters" in capsys.readouterr().out


def test_no_qa_evidence_in_distractors(letters: list[str]) -> None:
    evidence = qa_evidence()
    assert len(evidence) >= 60
    for i, text in enumerate(letters, 1):
        flat = re.sub(r"\s+", "", text)
        hits = [e for e in evidence if e in flat]
        assert not hits, f"letter {i} contains QA evidence {hits}"


def test_avoid_redraws_only_the_colliding_letter() -> None:
    plain = letter(0, 4)
    snippet = plain.split("\n")[0]
    redrawn = letter(0, 4, avoid={snippet})
    assert snippet not in redrawn
    other = letter(0, 5)
    assert snippet not in other  # a document number or bureau line of another letter
    assert letter(0, 5, avoid={snippet}) == other
