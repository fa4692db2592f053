"""The reply contract: what every surface (REST, the Gradio endpoint, the chat, the widget) gets for a question.

``Answer`` is the response model of ``POST /api/ask`` (ARCHITECTURE section 4), so its JSON schema is the
API's documentation; fields marked ``SkipJsonSchema`` and ``exclude`` are the audit trail, never sent.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema


class Kind(StrEnum):
    """Every kind of reply."""

    ANSWER = "answer"
    NO_ANSWER = "no_answer"
    EMERGENCY = "emergency"
    CRISIS = "crisis"
    PERSONAL_ADVICE = "personal_advice"
    OUT_OF_SCOPE = "out_of_scope"


class Citation(BaseModel):
    """One numbered source of a reply: ``[n]`` in the answer text is the citation with ``id`` n."""

    model_config = ConfigDict(frozen=True)

    id: int = Field(description="the number used as [n] in the answer")
    title: str = Field(description="the document's title")
    source: str = Field(description="where the document comes from, as its header says")
    section: str | None = Field(description="the section heading the passage is under, if any")
    snippet: str = Field(description="the cited text, shortened, as plain text")
    score: float = Field(description="how close the passage is to the question (cosine similarity)")
    reviewed: str | None = Field(description="when the document was last reviewed (YYYY-MM-DD)")
    url: str | None = Field(default=None, description="the primary source of the cited section, when it names one")
    document: Annotated[str, SkipJsonSchema()] = Field(default="", exclude=True)  # path, for the audit trail


class ReplyTrace(BaseModel):
    """What produced a reply, for the audit trail: never part of the API."""

    model_config = ConfigDict(frozen=True)

    confidence: float | None = None
    documents: dict[str, str] = Field(default_factory=dict)  # cited document path -> its content hash


class Draft(BaseModel):
    """A reply before it leaves: ``Assistant.finalize`` adds the disclaimer, the index version and an id."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    text: str
    citations: tuple[Citation, ...] = ()
    suggestions: tuple[str, ...] = ()


class Answer(BaseModel):
    """A finished reply, exactly as the public API returns it."""

    model_config = ConfigDict(frozen=True)

    answer: str = Field(description="the reply as Markdown, with [n] citation markers; no HTML")
    kind: Kind = Field(description="which path the reply took")
    citations: tuple[Citation, ...] = Field(description="the sources numbered in the answer, in order")
    disclaimer: str = Field(description="the clinic's configured disclaimer, identical on every reply")
    suggestions: tuple[str, ...] = Field(description="follow-up questions the documents can answer")
    index_version: str = Field(description="the knowledge index that answered ('none' before the first ingest)")
    reply_id: str = Field(description="opaque id, for POST /api/feedback")
    language: Literal["en", "es"] = Field(default="en", description="the language of the reply text")
    trace: Annotated[ReplyTrace, SkipJsonSchema()] = Field(default_factory=ReplyTrace, exclude=True)

    def to_dict(self) -> dict[str, object]:
        """The public JSON object (the trace left out)."""
        return self.model_dump(mode="json")
