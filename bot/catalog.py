"""What staff see and do with the knowledge folder: each document's status, uploads, removals.

Every path is checked to stay inside the knowledge folder: a name is refused, never "cleaned" into some
other place, when it tries to leave it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.documents import CONVERTERS, DocumentError, SourceDocument, is_expired, load_document
from bot.faq import FAQ_FILE
from bot.index import read_active, read_manifest
from bot.ingestion import knowledge_files
from bot.manifest import diff_documents
from bot.settings import Settings
from bot.stores import IndexStore

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,120}$")


class UploadRefused(ValueError):
    """An upload that cannot be accepted; the message says why."""


@dataclass(frozen=True)
class DocumentStatus:
    """One row of the staff page's document table."""

    path: str
    status: str  # indexed, expired, changed (re-ingest to publish), new (re-ingest to publish), failed: reason
    content_hash: str
    chunks: int
    reviewed: str
    review_by: str


def document_statuses(settings: Settings, store: IndexStore) -> list[DocumentStatus]:
    """Every file in the knowledge folder, compared with what the live index holds."""
    active = read_active(store)
    indexed = {doc.path: doc for doc in read_manifest(store, active.version).documents} if active else {}
    loaded: dict[str, SourceDocument] = {}
    rows = []
    for file in knowledge_files(settings.knowledge_dir):
        rel = file.relative_to(settings.knowledge_dir).as_posix()
        try:
            loaded[rel] = load_document(settings.knowledge_dir, file, settings.max_file_bytes)
        except (DocumentError, OSError) as exc:
            reason = exc.reason if isinstance(exc, DocumentError) else str(exc)
            rows.append(DocumentStatus(rel, f"failed: {reason}", "", 0, "", ""))
    diff = diff_documents(
        {path: doc.content_hash for path, doc in indexed.items()},
        {path: doc.content_hash for path, doc in loaded.items()},
    )
    status = {path: "new (re-ingest to publish)" for path in diff.added}
    status |= {path: "changed (re-ingest to publish)" for path in diff.changed}
    status |= {path: "expired" if is_expired(loaded[path].review_by) else "indexed" for path in diff.unchanged}
    for path, doc in loaded.items():
        chunks = len(indexed[path].chunk_ids) if path in indexed else 0
        rows.append(
            DocumentStatus(path, status[path], doc.content_hash[:12], chunks, doc.reviewed or "", doc.review_by or "")
        )
    for path in diff.removed:
        rows.append(DocumentStatus(path, "removed (re-ingest to publish)", indexed[path].content_hash[:12], 0, "", ""))
    return sorted(rows, key=lambda row: (row.status.startswith("removed"), row.path))


def _inside(knowledge_dir: Path, name: str) -> Path:
    """The path for ``name`` directly inside the knowledge folder, or ``UploadRefused``."""
    if "/" in name or "\\" in name or ".." in name or not _SAFE_NAME.match(name):
        raise UploadRefused(
            f"'{name}' is not an allowed file name: use letters, digits, spaces, dots, dashes and underscores, "
            "with no folders"
        )
    root = knowledge_dir.resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise UploadRefused(f"'{name}' would be written outside the knowledge folder")
    return target


def save_upload(settings: Settings, name: str, data: bytes) -> Path:
    """Check an uploaded document (name, type, size, readable) and write it into the knowledge folder."""
    target = _inside(settings.knowledge_dir, name)
    if target.suffix.lower() not in CONVERTERS and target.name != FAQ_FILE:
        raise UploadRefused(f"'{name}': unsupported file type; use one of {', '.join(sorted(CONVERTERS))}")
    if len(data) > settings.max_file_bytes:
        raise UploadRefused(f"'{name}' is {len(data):,} bytes, over the {settings.max_file_bytes:,}-byte limit")
    if target.is_symlink():
        raise UploadRefused(f"'{name}' is a link in the knowledge folder; remove it first")
    staging = target.with_name(f".upload-{target.name}")
    staging.write_bytes(data)
    try:
        if target.name != FAQ_FILE:
            load_document(settings.knowledge_dir, staging, settings.max_file_bytes)
    except DocumentError as exc:
        staging.unlink()
        raise UploadRefused(f"'{name}': {exc.reason}") from exc
    staging.replace(target)  # only a readable document replaces the old one
    return target


def remove_document(settings: Settings, name: str) -> None:
    """Delete one listed document from the knowledge folder (it leaves the index at the next ingest)."""
    listed = {f.relative_to(settings.knowledge_dir).as_posix(): f for f in knowledge_files(settings.knowledge_dir)}
    if name not in listed:
        raise UploadRefused(f"'{name}' is not a document in the knowledge folder")
    listed[name].unlink()  # a link is removed itself, never what it points to
