"""What an index generation says about itself: the manifest beside it and the active pointer naming it.

Both are JSON in a store (a file, or a record on a Chroma server) and typed here, so every reader (ingest,
serving, the staff catalog) gets the same validated fields, and the one diff of documents lives here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.faq import FaqEntry

DocumentRole = Literal["evidence", "claims"]
"""``evidence``: balanced education; ``claims``: the clinic's own description of what it offers."""


class IndexInfo(BaseModel):
    """Which generation serves, what it holds, and the embedding model that built it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    version: str
    documents: int
    chunks: int
    faq_entries: int
    knowledge_hash: str
    units: int = 0  # headings and sentences embedded on their own
    created: str
    embedding_model: str = ""  # empty in generations made before it was recorded: no model can serve them


class ServedUntil(BaseModel):
    """A generation that was active until a moment: pruning waits out a grace period after it."""

    model_config = ConfigDict(frozen=True)

    version: str
    until: dt.datetime


class Pointer(IndexInfo):
    """The active pointer: the serving generation's ``IndexInfo`` plus the generations that served before."""

    history: tuple[ServedUntil, ...] = ()

    @property
    def info(self) -> IndexInfo:
        return IndexInfo.model_validate(self.model_dump(exclude={"history"}))


class DocumentRecord(BaseModel):
    """What the manifest keeps about each document of a generation."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    path: str
    title: str
    source: str
    reviewed: str | None
    review_by: str | None
    content_hash: str
    chunk_ids: tuple[str, ...]
    role: DocumentRole = "evidence"


class Manifest(BaseModel):
    """Everything a generation holds besides its vectors."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    info: IndexInfo
    documents: tuple[DocumentRecord, ...]
    faq: tuple[FaqEntry, ...]

    def hashes(self) -> dict[str, str]:
        """Document path -> content hash."""
        return {doc.path: doc.content_hash for doc in self.documents}


@dataclass(frozen=True)
class DocumentDiff:
    """How a folder differs from a generation, document by document (paths, sorted)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


def diff_documents(before: Mapping[str, str], now: Mapping[str, str]) -> DocumentDiff:
    """Compare path -> content hash maps: the live index's (``before``) and the folder's (``now``)."""
    return DocumentDiff(
        added=tuple(sorted(set(now) - set(before))),
        changed=tuple(sorted(p for p in set(now) & set(before) if now[p] != before[p])),
        removed=tuple(sorted(set(before) - set(now))),
        unchanged=tuple(sorted(p for p in set(now) & set(before) if now[p] == before[p])),
    )
