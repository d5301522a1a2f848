"""Request and response shapes of the HTTP API (they mirror the records' `to_json`)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from rag.core.limits import (
    MAX_ANSWER,
    MAX_BUREAU,
    MAX_CITATIONS,
    MAX_CO_UNITS,
    MAX_DOC_ID,
    MAX_HISTORY,
    MAX_K,
    MAX_NAME,
    MAX_QUESTION,
    MAX_REASON,
    MAX_SHORT,
    MAX_TEXT,
    MAX_TITLE,
)
from rag.core.records import Filters
from rag.core.settings import AnswerMode, RetrievalMode

Question = Annotated[str, Field(max_length=MAX_QUESTION)]


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong and how to fix it, in Chinese, for people.")
    code: str = Field(description="Stable machine code, e.g. admin_token_wrong, question_too_long, busy.")
    reason: str | None = Field(None, description="The underlying error's own words (errors from the pipeline).")


class FieldErrorOut(BaseModel):
    loc: list[str | int] = Field(description="Where: body/query/path, then the field.")
    msg: str
    type: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut] = Field(description="One entry per bad field (without the value sent).")


# --- asking and searching -------------------------------------------------------------------------


class AskSettings(BaseModel):
    k: int | None = Field(None, ge=1, le=MAX_K, description="Chunks to retrieve (default RAG_K).")
    mode: RetrievalMode | None = Field(None, description="Retrieval mode (default RAG_MODE).")
    answer_mode: AnswerMode | None = Field(None, description="Answerer (default RAG_ANSWER_MODE).")
    bureau: Annotated[str, Field(max_length=MAX_BUREAU)] | None = Field(
        None, description="Only letters whose bureau contains this text.")
    year: int | None = Field(None, ge=1949, le=2100, description="Only letters dated this year.")


class AskIn(AskSettings):
    question: str = Field(min_length=1, max_length=MAX_QUESTION, examples=["温州市有多少家养老机构？"])
    # each earlier question is bounded too, or 20 × 100 kB of history would reach follow-up resolution
    history: list[Question] = Field(
        default_factory=list, max_length=MAX_HISTORY,
        description="Earlier questions of this conversation, oldest first; used to resolve follow-ups "
                    "such as 那巴中呢？",
    )

    def filters(self) -> Filters:
        return Filters(bureau=self.bureau or None, year=self.year)


class CitationOut(BaseModel):
    doc_id: str
    bureau: str | None
    doc_number: str | None
    date: str | None
    section: str = Field(description="Outline path such as 三、（二）.")
    paragraph: str = Field(description="Paragraph id; GET /api/documents/{doc_id} lists them.")
    quote: str = Field(description="Verbatim supporting text from the paragraph.")
    ordinal: int
    label: str = Field(examples=["〔温州市民政局 温民提〔2019〕70号 · 第三部分第2段〕"])


class AlsoInOut(BaseModel):
    doc_id: str
    name: str = Field(description="The letter, by bureau and 文号.")


class HitOut(BaseModel):
    chunk_id: str
    doc_id: str
    score: float
    bureau: str | None
    doc_number: str | None
    name: str = Field(description="How to name the letter to people: bureau and 文号, else its title.")
    date: str | None
    section: str
    section_title: str
    paragraph_ids: list[str]
    text: str
    ranks: dict[str, int] = Field(description="Rank of the chunk in each retrieval mode.")
    also_in: list[AlsoInOut] = Field(default_factory=list, description="Other letters holding the same passage, "
                                     "word for word or nearly (a re-issued letter, a reused paragraph): a result "
                                     "list shows each passage once, so copies never crowd out other evidence.")


class AnswerOut(BaseModel):
    answer: str
    found: bool = Field(description="False when the letters do not answer the question (a refusal).")
    direct: str = Field(description="What the answer states (the value, the items), without its supporting quotes.")
    mode: str
    citations: list[CitationOut]
    sources: list[HitOut]
    resolved_question: str = Field(description="The question actually answered (follow-ups rewritten).")


# --- documents --------------------------------------------------------------------------------------


class MetaOut(BaseModel):
    bureau: str | None = None
    doc_number: str | None = None
    date: str | None = None
    addressee: str | None = None
    proposal: str | None = None
    proposal_title: str | None = None
    title: str | None = None
    contact: str | None = None
    copy_to: list[str] = Field(default_factory=list)


class ParagraphOut(BaseModel):
    id: str
    index: int
    kind: str = Field(description="heading | body | meta")
    section: str
    section_title: str
    ordinal: int
    label: str | None = Field(description="How citations name this paragraph (body paragraphs only).")
    text: str


class DocumentOut(BaseModel):
    doc_id: str
    source: str = Field(description="The file's name (an upload's label), never a path on the server.")
    fmt: str
    encoding: str
    meta: MetaOut
    paragraphs: list[ParagraphOut]


class DocumentSummary(MetaOut):
    doc_id: str
    source: str = Field(description="The file's name (an upload's label), never a path on the server.")
    fmt: str
    encoding: str
    added_at: str | None = None
    paragraphs: int
    indexed: bool = Field(description="False (待索引): stored, but the live index cannot answer from it yet "
                                      "(the last `rag index` was killed or failed before its index went live).")
    index_note: str | None = Field(description="For a letter not indexed: why, and how to finish (Chinese).")


class VersionOut(BaseModel):
    version: int
    source: str = Field(description="The file this version was read from (its name).")
    sha256: str
    meta: MetaOut
    paragraphs: list[str]
    added_at: str
    retired_at: str
    reason: Literal["replaced", "deleted", "removed"] = Field(
        description="replaced: by a new version of the same letter; deleted: through the API or `rag remove`; "
                    "removed: its file is gone (`rag index --prune`).")
    replaced_by: str | None = Field(description="The file of the version that replaced it.")


class SkippedOut(BaseModel):
    source: str
    reason: str = Field(description="Why, in Chinese.")
    code: str


class FileResultOut(BaseModel):
    name: str = Field(description="The file's name as uploaded (a label).")
    status: Literal["added", "updated", "unchanged", "removed", "refused"]
    doc_id: str | None
    reason: str | None = Field(description="Why it was refused, in Chinese.")
    code: str | None = Field(description="Machine code of the refusal.")
    replaced: str | None = Field(None, description="For an update: the file the replaced version came from. A letter "
                                 "is known by its bureau and 文号 (else by its text), so a corrected letter replaces "
                                 "the old version whatever its file name; the old version is kept as history.")


class IngestOut(BaseModel):
    files: list[FileResultOut] = Field(description="One result per file sent, in the order sent.")
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    removed: list[str]
    skipped: list[SkippedOut] = Field(description="Files that could not be indexed, with the reason.")
    doc_ids: dict[str, str] = Field(description="Stored source → doc id.")
    replaced: dict[str, str] = Field(default_factory=dict, description="Source of an update → source of the "
                                     "version it replaced.")
    generation: str | None = Field(description="Index generation now live (None: index unchanged).")


class DeleteOut(BaseModel):
    removed: list[str]
    generation: str | None


class HealthOut(BaseModel):
    status: Literal["ok", "no-index"]
    documents: int
    chunks: int
    generation: str | None
    embedder: str | None = Field(description="Embedder the live index was built with.")
    answer_modes: list[str]
    read_token_required: bool
    uploads_enabled: bool = Field(description="False until RAG_ADMIN_TOKEN is set on the server, and on a "
                                              "read-only index folder.")
    read_only: bool = Field(description="The index folder cannot be written: reads work; uploads, deletes and "
                                        "feedback are refused (503, code index_read_only).")
    notice: str | None = Field(description="Something the operator should know, in Chinese (e.g. 只读).")
    max_upload_mb: float
    supported_types: list[str]
    max_question: int = Field(description="Longest question accepted, in characters.")
    max_files: int = Field(description="Files per upload request.")


class BureauCount(BaseModel):
    name: str
    letters: int


class SuggestionOut(BaseModel):
    question: str
    bureau: str
    doc_id: str


class OverviewOut(BaseModel):
    documents: int
    bureaus: list[BureauCount]
    years: list[int]
    suggestions: list[SuggestionOut] = Field(description="Questions drawn from the letters that the pipeline "
                                                         "answers from the same letter.")


# --- feedback ---------------------------------------------------------------------------------------


Short = Annotated[str, Field(max_length=MAX_NAME)]


class FeedbackCitation(BaseModel):
    doc_id: Annotated[str, Field(max_length=MAX_DOC_ID)]
    paragraph: Annotated[str, Field(max_length=MAX_DOC_ID)]
    quote: Annotated[str, Field(max_length=MAX_ANSWER)]
    bureau: Short | None = None
    doc_number: Short | None = None
    date: Short | None = None
    section: Short = ""
    ordinal: int = 1
    label: Annotated[str, Field(max_length=MAX_TITLE)] = ""


class FeedbackIn(BaseModel):
    turn_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$", description="The answer's id (the page makes one per "
                                                                        "answer); rating it again replaces.")
    rating: Literal["up", "down"]
    reason: str = Field("", max_length=MAX_REASON, description="Optional: what was wrong or right.")
    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    history: list[Question] = Field(default_factory=list, max_length=MAX_HISTORY)
    resolved_question: Question | None = None
    answer: str = Field(max_length=MAX_ANSWER)
    found: bool
    citations: list[FeedbackCitation] = Field(default_factory=list, max_length=MAX_CITATIONS)
    settings: AskSettings = Field(default_factory=AskSettings, description="What the question was asked with.")


class FeedbackOut(BaseModel):
    turn_id: str
    rating: str
    stored_at: str


# --- drafting ---------------------------------------------------------------------------------------


# characters a .docx (XML 1.0) cannot hold: C0 controls but tab/newline/CR, lone surrogates, U+FFFE/F
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    if m := _NOT_XML.search(value):
        raise ValueError(f"含有 Word 文件无法保存的控制字符 U+{ord(m.group()):04X}，请删除")
    return value


DraftText = Annotated[str, AfterValidator(_xml_safe)]
# the bound sits on the str inside `| None`, so the message says "characters", not "items"
Name = Annotated[str, Field(max_length=MAX_NAME), AfterValidator(_xml_safe)]
ShortName = Annotated[str, Field(max_length=MAX_SHORT), AfterValidator(_xml_safe)]


class DraftIn(BaseModel):
    title: DraftText = Field(min_length=1, max_length=MAX_TITLE, examples=["关于加强农村养老服务的建议"])
    text: DraftText = Field("", max_length=MAX_TEXT, description="The proposal's full text, if at hand.")
    addressee: Name | None = Field(None, examples=["张三委员"])
    meeting: Name | None = Field(None, examples=["市政协十三届二次会议"])
    number: ShortName | None = None
    bureau: Name | None = Field(None, description="The answering bureau.")
    co_units: list[Name] = Field(default_factory=list, max_length=MAX_CO_UNITS, description="会办单位.")
    contact: ShortName | None = None
    phone: ShortName | None = None


class DraftParagraphOut(BaseModel):
    text: str
    sources: list[CitationOut]
    placeholders: list[str]


class DraftSectionOut(BaseModel):
    heading: str
    demand: str = Field("", description="The proposal's demand this section answers, in the proposal's words.")
    rewritten: bool
    paragraphs: list[DraftParagraphOut]
    sources: list[CitationOut]


class DraftOut(BaseModel):
    draft_id: str
    docx_url: str = Field(description="GET this for the letter as .docx (the last 50 drafts are kept).")
    docx_name: str = Field(description="The .docx file's name, after the proposal.")
    title: str
    doc_number: str
    salutation: str
    opening: str
    sections: list[DraftSectionOut]
    closing: str
    contact: str
    signature: str
    date: str
    placeholders: list[str] = Field(description="【待核实：…】 markers the drafter must resolve.")
    marks: int = Field(0, description="How many 【待核实：…】 marks the letter has (a repeated fact counts each time).")
    markdown: str
