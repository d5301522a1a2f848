"""The outside-set rebuild script (eval/data/outside/build.py) and the outside benchmark's scoring."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

from eval.bench.outside import scores
from rag.core.settings import PROJECT_ROOT

_spec = importlib.util.spec_from_file_location("outside_build", PROJECT_ROOT / "eval/data/outside/build.py")
assert _spec and _spec.loader
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

ROWS = [  # id, docid, question, answer (made up in the source's shape)
    ("a1", "356fb8b804d73c3bab18472c36e67a3f", "北京市对暂停举办的展会有何支持政策？",
     " 如年内继续在京举办，按照不超过实际缴纳场租费用50%的标准给予支持。"),
    ("a2", "4262b3f6696f3694938c678b119a1350", "铁岭市对于运输防控重点物资的收入给予什么政策？", "免征增值税"),
    ("a3", "356fb8b804d73c3bab18472c36e67a3f", "补助金额最高多少？",
     "补助金额不超过50万元，由市商务局统一拨付到展会主办单位。"),
    ("a4", "99c5f444f76c33589d600d7e8f487067", "平凉市政务服务中心何时暂停对外办公？",
     "于2月3日起暂停对外办公，具体恢复办理时间待疫情缓解后另行通知。"),
    ("a5", "4262b3f6696f3694938c678b119a1350", "还免征什么？", "运输收入免征城市维护建设税和教育费附加"),
    ("a6", "f3bdcc0013733fb7a6a7f37549bb5e62", "如何处置哄抬物价行为？", "给予处罚和刑事拘留"),
]


def test_build_groups_answers_by_notice_and_keeps_questions_with_passage_like_answers(tmp_path: Path) -> None:
    src = tmp_path / "train.csv"
    src.write_text("id\tdocid\tquestion\tanswer\n" + "".join("\t".join(r) + "\n" for r in ROWS), encoding="utf-8")
    rows = build.read_rows(src, rows=3)  # only the first 3 data rows
    assert [d for d, _, _ in rows] == ["356fb8b8", "4262b3f6", "356fb8b8"]
    assert rows[0][2].startswith("如年内")  # whitespace collapsed
    n_passages, n_items = build.build(rows, tmp_path / "out")
    assert (n_passages, n_items) == (1, 2)
    corpus = tmp_path / "out" / "corpus"
    assert (corpus / "356fb8b8.txt").read_text(encoding="utf-8").splitlines() == [rows[0][2], rows[2][2]]
    assert not (corpus / "4262b3f6.txt").exists()  # 5 Chinese characters: `rag index` would skip it
    items = [json.loads(x) for x in (tmp_path / "out" / "qa.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(i["id"], i["doc"]) for i in items] == [("o001", "356fb8b8.txt"), ("o003", "356fb8b8.txt")]
    assert items[0]["evidence"] == "如年内继续在京举办，按照不超过实"  # the first 16 characters
    for i in items:
        even = hashlib.sha256(i["question"].encode()).digest()[0] % 2 == 0
        assert i["split"] == ("tune" if even else "heldout")


def test_short_answers_are_distractors_once_their_notice_has_a_letter_s_worth_of_text(tmp_path: Path) -> None:
    src = tmp_path / "train.csv"
    src.write_text("id\tdocid\tquestion\tanswer\n" + "".join("\t".join(r) + "\n" for r in ROWS), encoding="utf-8")
    assert build.build(build.read_rows(src, rows=6), tmp_path / "out") == (3, 3)
    corpus = tmp_path / "out" / "corpus"
    # 5 + 19 Chinese characters: indexed as a distractor, neither short answer asked
    assert (corpus / "4262b3f6.txt").read_text(encoding="utf-8") == "免征增值税\n" + ROWS[4][3] + "\n"
    assert not (corpus / "f3bdcc00.txt").exists()
    items = [json.loads(x) for x in (tmp_path / "out" / "qa.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [i["id"] for i in items] == ["o001", "o003", "o004"]


def test_scores_count_a_passage_found_at_its_rank() -> None:
    got = scores([1, 3, None, 7])
    assert got == {"n": 4, "hit@1": 0.25, "hit@5": 0.5, "hit@10": 0.75, "mrr@10": (1 + 1 / 3 + 1 / 7) / 4}


def test_rows_after_fresh_after_form_the_fresh_split_in_the_same_corpus(tmp_path: Path) -> None:
    src = tmp_path / "train.csv"
    src.write_text("id\tdocid\tquestion\tanswer\n" + "".join("\t".join(r) + "\n" for r in ROWS), encoding="utf-8")
    n_passages, n_items = build.build(build.read_rows(src, rows=4), tmp_path / "out", fresh_after=2)
    assert (n_passages, n_items) == (2, 3)  # the fresh row's notice joins the one corpus
    assert (tmp_path / "out" / "corpus" / "99c5f444.txt").is_file()
    items = [json.loads(x) for x in (tmp_path / "out" / "qa.jsonl").read_text(encoding="utf-8").splitlines()]
    split = {i["id"]: i["split"] for i in items}
    assert split["o003"] == split["o004"] == "fresh"  # rows 3 and 4, whatever their hash says
    assert split["o001"] in ("tune", "heldout")
