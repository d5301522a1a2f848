"""api/messages.py: what the API says to people is Chinese, with a stable code, for the errors the stages
really raise (made here by the real loaders and checks, not copied strings)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from pydantic import ValidationError

from api import messages
from api.schemas import AskIn, DraftIn
from rag.core.errors import (
    BackendError,
    BusyError,
    IndexDamagedError,
    IndexMismatchError,
    InputError,
    NotFoundError,
    StoreDamagedError,
)
from rag.ingest.ingestor import Report
from rag.pipeline import Pipeline

CJK = re.compile(r"[\u4e00-\u9fff]")
NAMES = {"Word", "docx", "html", "rebuild", "index"}  # file types and a command's own words


def chinese(message: str) -> bool:
    return bool(CJK.search(message)) and not set(re.findall(r"[A-Za-z]{4,}", message)) - NAMES


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


BAD_FILES = [
    ("空.txt", b"   \n", "file_empty"),
    ("二进制.txt", b"abc\x00\x01\x02" * 200, "file_encoding"),
    ("压缩包.docx", _zip({"a.txt": b"x"}), "docx_damaged"),
    ("截断.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj", "pdf_damaged"),
    ("图片.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "file_is_image"),
    ("旧版.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "file_old_word"),
    ("归档.txt", b"\x1f\x8b\x08" + b"\x00" * 64, "file_is_archive"),
    ("只有空白.md", b"\n\n# \n\n", "file_no_text"),
    ("一个字节.txt", b"x", "file_no_text"),  # too short to be a letter
]


@pytest.mark.parametrize(("name", "data", "code"), BAD_FILES)
def test_every_refused_file_gets_a_chinese_reason_of_its_own(pipeline: Pipeline, name: str, data: bytes,
                                                             code: str) -> None:
    report = Report()
    pipeline.ingestor.ingest_bytes(data, name, f"upload:0:{name}", report)
    assert len(report.skipped) == 1, report
    english = report.skipped[0][1]
    got, message = messages.file_problem(english)
    assert got == code, (english, got)
    assert chinese(message), message


@pytest.mark.parametrize(("exc", "code"), [
    (InputError("the question is empty: type a question"), "question_empty"),
    (InputError("answer mode 'llm' needs a model: set RAG_LLM_MODEL"), "llm_not_configured"),
    (NotFoundError("no index in index/: run `rag index` (or `make run`) to build one"), "no_index"),
    (NotFoundError("GGUF model x.gguf does not exist"), "llm_model_missing"),
    (BusyError("`rag index` holds the lock: wait"), "busy"),
    (StoreDamagedError("store.sqlite is not a database"), "store_damaged"),
    (IndexDamagedError("dense.faiss sha256 mismatch"), "index_damaged"),
    (IndexMismatchError("built with another embedder"), "index_mismatch"),
    (BackendError("LLM server stopped answering"), "backend_failed"),
    (InputError("标题不能为空：请填写提案标题（title must not be empty: give the title）"), "bad_input"),
    (InputError("something nobody foresaw"), "bad_input"),
])
def test_stage_errors_become_chinese_with_a_code(exc: Exception, code: str) -> None:
    got, message = messages.rag_problem(exc)  # type: ignore[arg-type]
    assert got == code
    assert chinese(message), message
    if code == "bad_input" and "标题" in str(exc):
        assert message == "标题不能为空：请填写提案标题"  # drafting's own Chinese, without its English gloss


@pytest.mark.parametrize(("model", "body", "code", "said"), [
    (AskIn, {"question": "问" * 2001}, "question_too_long", "问题过长：最多 2000 字，收到 2001 字，请删减后再发送。"),
    (AskIn, {}, "missing", "问题不能为空。"),
    (AskIn, {"question": "温州", "k": 0}, "out_of_range", "参考片段数不能小于 1。"),
    (AskIn, {"question": "温州", "year": "去年"}, "not_a_number", "年份必须是整数。"),
    (AskIn, {"question": "温州", "mode": "fuzzy"}, "not_allowed", "检索方式只能是：bm25、dense、hybrid。"),
    (DraftIn, {"title": "\x1b"}, "bad_value", "提案标题含有 Word 文件无法保存的控制字符 U+001B，请删除。"),
])
def test_validation_errors_name_the_field_in_chinese(model: type, body: dict, code: str, said: str) -> None:
    with pytest.raises(ValidationError) as e:
        model.model_validate(body)
    assert messages.validation_problem(e.value.errors()) == (code, said)
