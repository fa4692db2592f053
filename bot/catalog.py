"""What staff see and do with the knowledge folder: each document's status, uploads, removals.

Every path is checked to stay inside the knowledge folder: a name is refused, never "cleaned" into some
other place, when it tries to leave it. ``faq.yaml`` and ``checks.yaml`` are validated before they replace
the old ones, and a removed document goes to the trash (``bot.trash``), restorable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.content_checks import readable_body, reading_grade
from bot.documents import CONVERTERS, DocumentError, SourceDocument, content_hash, is_expired, load_document
from bot.faq import FAQ_FILE, FaqEntry, FaqError, load_faq
from bot.index import read_active, read_manifest
from bot.ingestion import knowledge_files
from bot.manifest import diff_documents
from bot.publish_gate import CHECKS_FILE, CheckQuestion, ChecksError, load_checks
from bot.settings import Settings
from bot.stores import IndexStore
from bot.trash import Trash, TrashItem

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
    grade: float | None = None  # Flesch-Kincaid reading grade of the body


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
        grade = reading_grade(readable_body(doc))
        rows.append(
            DocumentStatus(
                path, status[path], doc.content_hash[:12], chunks, doc.reviewed or "", doc.review_by or "", grade
            )
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


CURATED_FILES = (FAQ_FILE, CHECKS_FILE)
"""YAML files of the knowledge folder that are not documents: validated by their own models."""


def _check_curated(name: str, staging: Path) -> None:
    """Refuse an FAQ or checks file the ingest could not use, with the parser's reason."""
    try:
        if name == FAQ_FILE:
            load_faq(staging)
        else:
            load_checks(staging)
    except (FaqError, ChecksError) as exc:
        reason = str(exc).replace(staging.name, name).removeprefix(f"{name}: ")
        raise UploadRefused(f"'{name}' is not valid, so it was not saved: {reason}") from exc


def save_upload(settings: Settings, name: str, data: bytes) -> Path:
    """Check an uploaded document (name, type, size, readable; an FAQ or checks file: valid) and write it into
    the knowledge folder. Nothing replaces a file unless it can be used."""
    target = _inside(settings.knowledge_dir, name)
    if target.suffix.lower() not in CONVERTERS and target.name not in CURATED_FILES:
        raise UploadRefused(f"'{name}': unsupported file type; use one of {', '.join(sorted(CONVERTERS))}")
    if len(data) > settings.max_file_bytes:
        raise UploadRefused(f"'{name}' is {len(data):,} bytes, over the {settings.max_file_bytes:,}-byte limit")
    if target.is_symlink():
        raise UploadRefused(f"'{name}' is a link in the knowledge folder; remove it first")
    staging = target.with_name(f".upload-{target.name}")
    staging.write_bytes(data)
    try:
        if target.name in CURATED_FILES:
            _check_curated(target.name, staging)
        else:
            load_document(settings.knowledge_dir, staging, settings.max_file_bytes)
    except DocumentError as exc:
        staging.unlink()
        raise UploadRefused(f"'{name}': {exc.reason}") from exc
    except UploadRefused:
        staging.unlink()
        raise
    staging.replace(target)  # only a usable file replaces the old one
    return target


def faq_notes(settings: Settings) -> list[str]:
    """What an ingest will report about the FAQ and checks as they are in the folder: entries citing a
    document that is not there (left out of the index), or files that cannot be read."""
    documents = {f.relative_to(settings.knowledge_dir).as_posix() for f in knowledge_files(settings.knowledge_dir)}
    notes = []
    try:
        for entry in load_faq(settings.knowledge_dir / FAQ_FILE):
            if entry.source not in documents:
                notes.append(f"{FAQ_FILE} entry '{entry.id}' cites '{entry.source}', which is not in the folder")
        for check in load_checks(settings.knowledge_dir / CHECKS_FILE):
            if check.document not in documents:
                notes.append(f"{CHECKS_FILE}: '{check.question}' expects '{check.document}', not in the folder")
    except (FaqError, ChecksError) as exc:
        notes.append(str(exc))
    return notes


@dataclass(frozen=True)
class Dependents:
    """What relies on one document: the curated answers citing it and the check questions expecting it."""

    document: str
    faq: tuple[FaqEntry, ...] = ()
    checks: tuple[CheckQuestion, ...] = ()
    problem: str | None = None  # faq.yaml or checks.yaml unreadable: dependents unknown

    @property
    def any(self) -> bool:
        return bool(self.faq or self.checks)


def dependents(settings: Settings, name: str) -> Dependents:
    """The FAQ entries and check questions that would lose their source if ``name`` were removed."""
    try:
        faq = tuple(e for e in load_faq(settings.knowledge_dir / FAQ_FILE) if e.source == name)
        checks = tuple(c for c in load_checks(settings.knowledge_dir / CHECKS_FILE) if c.document == name)
    except (FaqError, ChecksError) as exc:
        return Dependents(name, problem=str(exc))
    return Dependents(name, faq, checks)


def sections_of(settings: Settings, name: str) -> list[str]:
    """The section headings of one document, in reading order (for check questions)."""
    try:
        doc = load_document(settings.knowledge_dir, settings.knowledge_dir / name, settings.max_file_bytes)
    except (DocumentError, OSError):
        return []
    return list(dict.fromkeys(s.heading for s in doc.sections if s.heading))


def file_hash(settings: Settings, name: str) -> str:
    """The content hash of one file of the knowledge folder, as the index records it ("" if unreadable)."""
    try:
        return content_hash((settings.knowledge_dir / name).read_bytes())
    except OSError:
        return ""


def trash_for(settings: Settings) -> Trash:
    return Trash(settings.data_dir, settings.knowledge_dir, settings.trash_days)


def remove_document(settings: Settings, name: str) -> TrashItem:
    """Move one listed document to the trash (it leaves the index at the next ingest; restorable)."""
    listed = {f.relative_to(settings.knowledge_dir).as_posix() for f in knowledge_files(settings.knowledge_dir)}
    if name not in listed:
        raise UploadRefused(f"'{name}' is not a document in the knowledge folder")
    return trash_for(settings).put(name)  # a link is moved itself, never what it points to
