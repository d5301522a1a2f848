"""What the API says to people: every error body is `{"detail": <Chinese message that says what to do>,
"code": <stable machine code>}`.

The stages below raise errors whose English messages name the value and the fix for the command line; at
this boundary they become Chinese for the page's users. Known messages are recognised by a pattern and
said again in Chinese (the English one stays in the body as `reason`, for the operator's log); anything
unrecognised gets its class's generic Chinese message, never the English text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import HTTPException

from rag.core.errors import (
    BackendError,
    BusyError,
    DiskFullError,
    IndexDamagedError,
    IndexMismatchError,
    InputError,
    NotFoundError,
    RagError,
    ReadOnlyError,
    StoreDamagedError,
)
from rag.core.limits import MAX_QUESTION, MAX_TEXT


class ApiError(HTTPException):
    """An HTTP refusal with its machine code; `detail` is the Chinese message."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status, message, dict(headers) if headers else None)
        self.code = code


def body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"detail": message, "code": code, **extra}


# --- errors raised by the stages (RagError) ----------------------------------------------------------

_RAG_RULES: tuple[tuple[type[RagError], str, str, str], ...] = (
    # (class, pattern in the English message, code, Chinese message)
    (InputError, r"question is empty", "question_empty",
     "问题为空：请输入要查询的内容，例如“温州市有多少家养老机构？”"),
    (InputError, r"'llm' needs a model|needs RAG_LLM_MODEL", "llm_not_configured",
     "本服务器没有配置大模型：请在“高级设置”中把回答方式改为“原文摘录”，或请管理员配置大模型。"),
    (InputError, r"unknown (answer|retrieval) mode", "bad_mode",
     "检索方式或回答方式无效：请在“高级设置”中选择列表里的一项。"),
    (NotFoundError, r"^no index in", "no_index",
     "还没有建立索引：请在“文档”页上传答复函，或请管理员运行 rag index。"),
    (NotFoundError, r"GGUF model", "llm_model_missing",
     "大模型文件不存在：请管理员检查大模型设置，或在“高级设置”中改用“原文摘录”。"),
)
_RAG_DEFAULT: tuple[tuple[type[RagError], str, str], ...] = (
    (BusyError, "busy", "索引正在由另一个程序（如 rag index）更新：请等约 30 秒后重试。"),
    (ReadOnlyError, "index_read_only",
     "索引目录是只读的：本服务器可以查询，但不能上传或删除答复函。请管理员把索引目录挂载为可写后重试。"),
    (DiskFullError, "disk_full",
     "服务器磁盘已满，这次的改动没有保存（已有的答复函和索引不受影响）：请管理员清理磁盘空间后重试。"),
    (StoreDamagedError, "store_damaged",
     "资料库文件损坏，暂时无法读取：请联系管理员从备份恢复或重新建立索引。"),
    (IndexDamagedError, "index_damaged", "检索索引已损坏：请联系管理员运行 rag index --rebuild 重建索引。"),
    (IndexMismatchError, "index_mismatch",
     "检索索引与当前模型不一致：请联系管理员运行 rag index --rebuild 重建索引。"),
    (BackendError, "backend_failed",
     "大模型服务暂时不可用：请稍后重试，或在“高级设置”中改用“原文摘录”。"),
    (NotFoundError, "not_found", "找不到所请求的内容：请刷新页面后重试。"),
    (InputError, "bad_input", "请求的内容无法处理：请检查输入后重试。"),
    (RagError, "error", "处理请求时出错：请稍后重试；一直出现时请联系管理员。"),
)
# drafting's own checks already lead with Chinese: "标题不能为空：…（title must not be empty: …）"
_CHINESE_FIRST = re.compile(r"^([^A-Za-z（]*[\u4e00-\u9fff][^（]*)（[^）]*[A-Za-z][^）]*）$")


def rag_problem(exc: RagError) -> tuple[str, str]:
    """(code, Chinese message) for an error a stage raised."""
    text = str(exc)
    for cls, pattern, code, message in _RAG_RULES:
        if isinstance(exc, cls) and re.search(pattern, text):
            return code, message
    if isinstance(exc, InputError) and (m := _CHINESE_FIRST.match(text)):
        return "bad_input", m.group(1)
    return next((code, message) for cls, code, message in _RAG_DEFAULT if isinstance(exc, cls))


INTERNAL = ("internal_error", "服务器内部错误：请稍后重试；一直出现时请联系管理员（详情在服务器日志中）。")

# --- why an uploaded file was not indexed ------------------------------------------------------------

_FILE_RULES: tuple[tuple[str, str, str], ...] = (
    (r"unsupported (file )?type", "file_type_unsupported",
     "不支持的文件类型：请把答复函另存为 .txt、.md、.html、.docx 或 .pdf 后再上传。"),
    (r"MB limit", "file_too_large",
     "文件超过大小上限：请确认上传的是答复函本身（不是扫描件或压缩包），一份答复函一个文件。"),
    (r"content is an old Word", "file_old_word", "这是旧版 Word（.doc/.wps）文件：请用 Word/WPS 打开后另存为 .docx。"),
    (r"content is a[n]? (PNG|JPEG|GIF|TIFF)", "file_is_image",
     "这是图片（可能是扫描件）：请先做文字识别（OCR），再保存为 .txt 或 .docx。"),
    (r"content is a[n]? \S+ archive", "file_is_archive", "这是压缩包：请先解压，再逐个上传答复函。"),
    (r"named \S+ but the content", "file_misnamed", "文件扩展名与内容不符：请按实际格式改正扩展名后再上传。"),
    (r"file is empty", "file_empty", "这是空文件：请重新导出答复函的文字后再上传。"),
    (r"password-protected", "pdf_encrypted", "PDF 设有密码：请先去除密码再上传。"),
    (r"no text layer", "pdf_no_text", "PDF 里没有文字层（可能是扫描件）：请先做文字识别（OCR）再上传。"),
    (r"PDF", "pdf_damaged", "PDF 文件损坏或不完整：请重新下载或重新导出后再上传。"),
    (r"\.docx|Word document", "docx_damaged", "Word 文件损坏或不是 Word 文档：请用 Word/WPS 打开后重新保存为 .docx。"),
    (r"encoding|BOM|NUL bytes|undecodable", "file_encoding",
     "无法识别文件的文字编码：请另存为 UTF-8 编码的 .txt，或保存为 .docx / .pdf 后再上传。"),
    (r"no (letter )?text (found|left)", "file_no_text", "文件里没有找到答复函正文：请确认上传的是答复函本身。"),
    (r"internal error", "file_internal_error", "读取这个文件时服务器出错，文件未入库：请把文件发给管理员。"),
)
_FILE_DEFAULT = ("file_unreadable", "无法读取这个文件：请确认它是答复函（.txt .md .html .docx .pdf），另存后重试。")


def file_problem(reason: str) -> tuple[str, str]:
    """(code, Chinese message) for an ingest report's English reason."""
    return next(((code, message) for pattern, code, message in _FILE_RULES if re.search(pattern, reason)),
                _FILE_DEFAULT)


# --- request validation (422) -----------------------------------------------------------------------

FIELDS = {
    "question": "问题", "q": "查询内容", "history": "对话历史", "k": "参考片段数", "mode": "检索方式",
    "answer_mode": "回答方式", "bureau": "机关", "year": "年份", "title": "提案标题", "text": "提案正文",
    "addressee": "收件人", "meeting": "会议", "number": "提案编号", "co_units": "会办单位", "contact": "联系人",
    "phone": "联系电话", "files": "文件", "doc_id": "文档编号", "draft_id": "草稿编号", "rating": "评价",
    "reason": "补充说明", "answer": "回答", "citations": "引用", "turn_id": "回答编号", "found": "是否找到",
    "settings": "设置", "resolved_question": "理解后的问题", "conversation_id": "对话编号",
}


def _field(loc: Sequence[str | int]) -> str:
    names = [str(p) for p in loc if isinstance(p, str) and p not in ("body", "query", "path", "header")]
    return FIELDS.get(names[0], "请求中的字段") if names else "请求内容"


def _one(e: Mapping[str, Any]) -> tuple[str, str]:
    """(code, Chinese message) for one pydantic error."""
    kind, ctx, field = str(e.get("type", "")), e.get("ctx") or {}, _field(e.get("loc", ()))
    given = e.get("input")
    if kind == "string_too_long":
        n = f"，收到 {len(given)} 字" if isinstance(given, str) else ""
        code = "question_too_long" if field == "问题" else "too_long"
        return code, f"{field}过长：最多 {ctx.get('max_length')} 字{n}，请删减后再发送"
    if kind == "too_long":
        return "too_many", f"{field}最多 {ctx.get('max_length')} 项"
    if kind in ("missing", "string_too_short", "too_short"):
        return "missing", f"{field}不能为空"
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"):
        return "not_a_number", f"{field}必须是整数"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": "不能小于", "greater_than": "必须大于", "less_than_equal": "不能大于",
                 "less_than": "必须小于"}[kind]
        value = next(iter(ctx.values()), "")
        return "out_of_range", f"{field}{bound} {value}"
    if kind in ("literal_error", "enum"):
        allowed = re.sub(r"\s*(?:,|\bor\b)\s*", "、", str(ctx.get("expected", "")).replace("'", ""))
        return "not_allowed", f"{field}只能是：{allowed}"
    if kind == "json_invalid":
        return "json_invalid", "请求体不是有效的 JSON：请检查格式"
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return "not_an_object", "请求体必须是 JSON 对象"
    if kind in ("string_type", "list_type", "bool_type", "bool_parsing"):
        want = {"string_type": "文字", "list_type": "列表", "bool_type": "是或否", "bool_parsing": "是或否"}[kind]
        return "wrong_type", f"{field}必须是{want}"
    if kind == "string_pattern_mismatch":
        return "bad_format", f"{field}格式不对"
    if kind == "value_error":  # our validators' messages are Chinese (api/schemas.py)
        return "bad_value", f"{field}{str(e.get('msg', '')).removeprefix('Value error, ')}"
    return "invalid", f"{field}的值无效"


def validation_problem(errors: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """(code, one Chinese line naming every bad field) for a 422; the code is the first error's."""
    found = [_one(e) for e in errors] or [("invalid", "请求内容无效")]
    lines = list(dict.fromkeys(m for _, m in found))
    return found[0][0], "；".join(lines) + "。"


# --- HTTP-level refusals -----------------------------------------------------------------------------


def route_problem(status: int, method: str, path: str) -> tuple[str, str] | None:
    """Starlette's terse 404/405/400, said in Chinese with the fix."""
    return {
        404: ("route_not_found", f"没有这个接口：{method} {path}。接口列表见 /docs。"),
        405: ("method_not_allowed", f"{path} 不支持 {method} 请求。接口列表见 /docs。"),
        400: ("body_unreadable", "无法读取请求内容：请以 UTF-8 编码的 JSON 发送（上传文件用 multipart/form-data）。"),
    }.get(status)


def body_too_large(kb: int) -> tuple[str, str]:
    return "body_too_large", (f"请求内容超过 {kb} kB：问题最多 {MAX_QUESTION} 字，起草用的提案正文最多 "
                              f"{MAX_TEXT} 字。")


def upload_too_large(files: int, mb: float) -> tuple[str, str]:
    return "upload_too_large", f"上传内容过大：一次最多 {files} 个文件，每个不超过 {mb:g} MB。"


def wrong_media_type(upload: bool, media: str) -> tuple[str, str]:
    sent = media or "未注明类型"
    if upload:
        return "wrong_content_type", f"上传请用 multipart/form-data 的 files 字段发送文件（收到的是 {sent}）。"
    return "wrong_content_type", f"请求体请以 JSON 发送，Content-Type 为 application/json（收到的是 {sent}）。"


# tokens: the page calls the admin token 管理口令 and the read token 访问口令
ADMIN_DISABLED = ("uploads_disabled", "本服务器没有开启上传和删除：请管理员设置管理口令（RAG_ADMIN_TOKEN）后重启服务。")
ADMIN_MISSING = ("admin_token_required", "需要管理口令：请在“文档”页的“管理口令”框里填写管理员提供的口令。")
ADMIN_WRONG = ("admin_token_wrong", "管理口令不正确：请核对后在“文档”页重新填写。")
READ_MISSING = ("read_token_required", "本服务器需要口令才能查询：请在“文档”页的“管理口令”框里填写管理员提供的口令。")
READ_ONLY_FEEDBACK = ("index_read_only",
                      "索引目录是只读的：评价没有保存。回答和查询不受影响；要保存评价，请管理员把索引目录挂载为可写。")
READ_WRONG = ("read_token_wrong", "口令不正确：请核对后在“文档”页重新填写。")


def document_missing(doc_id: str) -> tuple[str, str]:
    return "document_not_found", (f"找不到这份答复函（编号 {doc_id}）：它可能已被删除或被新版本替换。"
                                  "请到“文档”页查看现有答复函。")


def draft_expired(kept: int) -> tuple[str, str]:
    return "draft_expired", f"这份草稿已过期（服务器只保留最近 {kept} 份）：请重新生成草稿。"
