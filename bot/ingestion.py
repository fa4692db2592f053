"""The ingest pipeline shared by the staff CLI and tests: scan, load, chunk, embed (cached), publish.

Bad files never stop the run: each becomes one line of the report and every good file is still ingested.
If no valid document remains, nothing is published and the live index stays as it was.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from bot.chunking import Chunk, chunk_document, units_of
from bot.documents import DocumentError, SourceDocument, is_expired, load_document
from bot.embedding import BATCH_SIZE, DIMENSION, Embedder
from bot.faq import FAQ_FILE, FaqEntry, FaqError, load_faq
from bot.index import EmbeddingCache, build_generation, prune_generations, publish, read_active, read_manifest
from bot.manifest import DocumentRecord, diff_documents
from bot.settings import Settings
from bot.stores import IndexStore, make_store

PIPELINE_VERSION = "4"
"""Bump when chunking or the embedded text changes, so that an unchanged folder is still re-indexed."""
LOCK_FILE = ".ingest.lock"


class IngestBusy(RuntimeError):
    """Another ingest holds the lock on this data folder."""


@dataclass(frozen=True)
class FileFailure:
    path: str
    reason: str


@dataclass
class IngestReport:
    """What one ingest did; the CLI prints it as a table or JSON."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[FileFailure] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)  # review-by date passed: indexed, left out of answers
    duplicates: list[FileFailure] = field(default_factory=list)  # same bytes as another file: not indexed twice
    chunks: int = 0
    embedded: int = 0  # texts sent to the model (cache misses)
    seconds: float = 0.0
    version: str | None = None
    published: bool = False
    up_to_date: bool = False
    dry_run: bool = False

    def table(self) -> str:
        """The report as staff read it: counts, then one line per failed or expired file, then the outcome."""
        rows = [
            ("added", len(self.added)),
            ("changed", len(self.changed)),
            ("removed", len(self.removed)),
            ("unchanged", len(self.unchanged)),
            ("failed", len(self.failed)),
            ("expired", len(self.expired)),
            ("chunks", self.chunks),
            ("embedded", self.embedded),
            ("seconds", f"{self.seconds:.1f}"),
        ]
        lines = [f"{name:>10}  {value}" for name, value in rows]
        lines += [f"FAILED  {failure.path}: {failure.reason}" for failure in self.failed]
        lines += [f"SKIPPED {dup.path}: {dup.reason}" for dup in self.duplicates]
        lines += [
            f"EXPIRED {path}: review-by date has passed; left out of answers until reviewed" for path in self.expired
        ]
        if self.published:
            lines.append(f"Published index {self.version}.")
        elif self.up_to_date:
            lines.append(f"Index {self.version} is already up to date; nothing to do.")
        elif self.dry_run:
            lines.append("Dry run: nothing was written.")
        else:
            lines.append("Nothing published: no valid documents. The live index is unchanged.")
        return "\n".join(lines)

    @property
    def exit_code(self) -> int:
        """0 all good; 1 index current but some files failed; 2 nothing valid, nothing published."""
        if not self.published and not self.up_to_date and not self.dry_run:
            return 2
        return 1 if self.failed else 0


def knowledge_files(knowledge_dir: Path) -> list[Path]:
    """Every candidate document: hidden files and the FAQ (handled on its own) are not documents."""
    return sorted(
        path
        for path in knowledge_dir.rglob("*")
        if not any(part.startswith(".") for part in path.relative_to(knowledge_dir).parts)
        and path.name != FAQ_FILE
        and (path.is_file() or path.is_symlink())
    )


def _load_all(knowledge_dir: Path, report: IngestReport, max_bytes: int) -> list[SourceDocument]:
    root = knowledge_dir.resolve()
    docs = []
    first_with: dict[str, str] = {}  # content hash -> the first file (in path order) with those bytes
    for path in knowledge_files(knowledge_dir):
        rel = path.relative_to(knowledge_dir).as_posix()
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            report.failed.append(
                FileFailure(rel, "a link to a file outside the knowledge folder; copy the file in instead")
            )
            continue
        if not path.exists():
            report.failed.append(FileFailure(rel, "a broken link"))
            continue
        try:
            doc = load_document(knowledge_dir, path, max_bytes)
        except DocumentError as exc:
            report.failed.append(FileFailure(exc.path, exc.reason))
            continue
        except OSError as exc:
            report.failed.append(FileFailure(rel, f"cannot be read ({exc.strerror})"))
            continue
        if doc.content_hash in first_with:  # a copy answers nothing new and would repeat every citation
            report.duplicates.append(FileFailure(rel, f"same content as {first_with[doc.content_hash]}"))
            continue
        first_with[doc.content_hash] = rel
        docs.append(doc)
    return docs


def _load_faq_checked(knowledge_dir: Path, docs: list[SourceDocument], report: IngestReport) -> list[FaqEntry]:
    try:
        entries = load_faq(knowledge_dir / FAQ_FILE)
    except FaqError as exc:
        report.failed.append(FileFailure(FAQ_FILE, str(exc)))
        return []
    known = {doc.path for doc in docs}
    kept = []
    for entry in entries:
        if entry.source in known:
            kept.append(entry)
        else:
            report.failed.append(
                FileFailure(FAQ_FILE, f"entry '{entry.id}' cites '{entry.source}', which is not a loaded document")
            )
    return kept


def knowledge_hash(docs: list[SourceDocument], faq: list[FaqEntry], model_id: str) -> str:
    """One hash for everything that shapes the index: equal hashes mean nothing to re-index."""
    digest = hashlib.sha256(f"pipeline={PIPELINE_VERSION};model={model_id}".encode())
    for doc in sorted(docs, key=lambda d: d.path):
        digest.update(f"\n{doc.path}\0{doc.content_hash}".encode())
    digest.update(json.dumps([e.model_dump(mode="json") for e in faq], sort_keys=True).encode())
    return digest.hexdigest()


def text_key(model_id: str, text: str) -> str:
    """The embedding cache's key: the same text embedded by another model is another vector."""
    return hashlib.sha256(f"{model_id}\0{text}".encode()).hexdigest()


def _embed_cached(
    texts: list[str], embedder: Embedder, cache: EmbeddingCache, report: IngestReport, progress: bool
) -> np.ndarray:
    """Vectors for texts, from the cache where possible; only misses reach the model."""
    keys = [text_key(embedder.model_id, text) for text in texts]
    found = cache.get_many(keys)
    missing = sorted({key: text for key, text in zip(keys, texts, strict=True) if key not in found}.items())
    batch = BATCH_SIZE
    with tqdm(total=len(missing), desc="Embedding", unit="chunk", disable=not progress or not missing) as bar:
        for start in range(0, len(missing), batch):
            part = missing[start : start + batch]
            vectors = embedder.encode([text for _, text in part])
            fresh = {key: vector for (key, _), vector in zip(part, vectors, strict=True)}
            cache.put_many(fresh)
            found.update(fresh)
            bar.update(len(part))
    report.embedded += len(missing)
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    return np.stack([found[key] for key in keys])


def _diff(store: IndexStore, docs: list[SourceDocument], report: IngestReport) -> None:
    """Fill added/changed/removed/unchanged against the active generation's manifest."""
    active = read_active(store)
    before = read_manifest(store, active.version).hashes() if active is not None else {}
    diff = diff_documents(before, {doc.path: doc.content_hash for doc in docs})
    report.added, report.changed = list(diff.added), list(diff.changed)
    report.removed, report.unchanged = list(diff.removed), list(diff.unchanged)


@contextmanager
def _exclusive(index_dir: Path) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK_FILE, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IngestBusy("another ingest is running on this data folder; try again when it finishes") from exc
        yield


def ingest(
    settings: Settings,
    embedder: Embedder | None = None,
    *,
    rebuild: bool = False,
    dry_run: bool = False,
    progress: bool = False,
    store: IndexStore | None = None,
) -> IngestReport:
    """Bring the active index in line with the knowledge folder. Publishes only a complete, verified index.

    ``embedder`` is the process's model (one is built from ``settings`` when none is given); the generation
    records its id, and only processes running the same model serve it.
    """
    started = time.perf_counter()
    report = IngestReport(dry_run=dry_run)
    store = store or make_store(settings)
    embedder = embedder or Embedder.from_settings(settings)
    with _exclusive(settings.index_dir):
        docs = _load_all(settings.knowledge_dir, report, settings.max_file_bytes)
        report.expired = sorted(doc.path for doc in docs if is_expired(doc.review_by))
        faq = _load_faq_checked(settings.knowledge_dir, docs, report)
        _diff(store, docs, report)
        chunks_by_doc = {doc.path: chunk_document(doc, embedder.count_tokens, embedder.max_tokens) for doc in docs}
        chunks: list[Chunk] = [chunk for doc in docs for chunk in chunks_by_doc[doc.path]]
        report.chunks = len(chunks)
        fingerprint = knowledge_hash(docs, faq, embedder.model_id)
        active = read_active(store)
        if not docs:
            report.seconds = time.perf_counter() - started
            return report
        if active is not None and active.knowledge_hash == fingerprint and not rebuild:
            report.up_to_date, report.version = True, active.version
            report.seconds = time.perf_counter() - started
            return report
        if dry_run:
            report.seconds = time.perf_counter() - started
            return report
        cache = EmbeddingCache(settings.data_dir / "cache" / "embeddings.sqlite3")
        try:
            chunk_vectors = _embed_cached([c.embed_text for c in chunks], embedder, cache, report, progress)
            phrasings = [text for entry in faq for text in entry.phrasings]
            faq_vectors = _embed_cached(phrasings, embedder, cache, report, progress)
            units = units_of(chunks)
            unit_vectors = _embed_cached([u.text for u in units], embedder, cache, report, progress)
            records = [
                DocumentRecord(
                    path=doc.path,
                    title=doc.title,
                    source=doc.source,
                    reviewed=doc.reviewed,
                    review_by=doc.review_by,
                    content_hash=doc.content_hash,
                    chunk_ids=tuple(c.id for c in chunks_by_doc[doc.path]),
                    role=doc.role,
                )
                for doc in docs
            ]
            info = build_generation(
                store,
                knowledge_hash=fingerprint,
                documents=records,
                chunks=chunks,
                chunk_vectors=chunk_vectors,
                faq=faq,
                faq_vectors=faq_vectors,
                units=units,
                unit_vectors=unit_vectors,
                embedding_model=embedder.model_id,
            )
            publish(store, info)
            texts = [c.embed_text for c in chunks] + phrasings + [u.text for u in units]
            keep = {text_key(embedder.model_id, text) for text in texts}
            cache.retain(keep)
        finally:
            cache.close()
        prune_generations(store)
        report.published, report.version = True, info.version
    report.seconds = time.perf_counter() - started
    return report
