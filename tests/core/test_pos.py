"""rag.core.pos tags exactly as jieba.posseg does, from its SQLite table once it exists (fresh processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
TEXTS = [p.read_text(encoding="utf-8")[:3000] for p in sorted((ROOT / "corpus").iterdir()) if p.suffix == ".txt"]
TEXTS += ["温州市有多少家养老机构？", "舒瑜委员提的是关于什么的提案？", "鹦鹉螺火星基地？",
          "恩阳区推进养老产业发展有哪些措施"]

OURS = """
import json, sys
from rag.core import pos
texts = json.loads(sys.stdin.read())
print(json.dumps({"table": type(pos.tagger().word_tag_tab).__name__,
                  "cuts": [[(w, f) for w, f in pos.cut(t)] for t in texts]}, ensure_ascii=False))
"""
JIEBA = """
import json, sys
import jieba.posseg
texts = json.loads(sys.stdin.read())
print(json.dumps({"cuts": [[(w, f) for w, f in jieba.posseg.cut(t)] for t in texts]}, ensure_ascii=False))
"""


def _run(code: str, tmp: Path) -> dict:
    env = {**os.environ, "TMPDIR": str(tmp)}  # jieba's cache and ours go to a fresh folder
    proc = subprocess.run([sys.executable, "-c", code], input=json.dumps(TEXTS), env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(proc.stdout)


def test_tags_equal_jieba_first_run_cached_run_and_after_damage(tmp_path: Path) -> None:
    assert TEXTS[0], "corpus/ holds the letters the test cuts"
    want = _run(JIEBA, tmp_path)["cuts"]
    first = _run(OURS, tmp_path)  # no table yet: jieba's own parse, then the table is written
    assert first["table"] == "dict" and first["cuts"] == want
    tables = list(tmp_path.glob("rag-postag-*.sqlite"))
    assert len(tables) == 1
    cached = _run(OURS, tmp_path)
    assert cached["table"] == "_Tags" and cached["cuts"] == want
    tables[0].write_bytes(b"not a database" * 100)  # a damaged table: jieba's parse again, and a new table
    damaged = _run(OURS, tmp_path)
    assert damaged["table"] == "dict" and damaged["cuts"] == want
    assert _run(OURS, tmp_path)["table"] == "_Tags"


TWICE = """
import json
from rag.core import pos
first = pos.tagger.__wrapped__()  # two requests meeting the tagger at once each build it: the second finds
second = pos.tagger.__wrapped__()  # jieba.posseg already imported with our table
print(json.dumps({"same": type(first.word_tag_tab).__name__ == type(second.word_tag_tab).__name__,
                  "cut": [(w, f) for w, f in second.cut("温州市有多少家养老机构")]}, ensure_ascii=False))
"""


def test_a_second_build_of_the_tagger_keeps_the_table_it_finds(tmp_path: Path) -> None:
    _run(OURS, tmp_path)  # the table's file exists from here on
    got = _run(TWICE, tmp_path)
    assert got["same"] and ["温州市", "ns"] in got["cut"]
