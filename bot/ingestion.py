"""The ingest pipeline shared by the staff CLI and tests: scan, load, chunk, embed (cached), check, publish.

Bad files never stop the run: each becomes one line of the report and every good file is still ingested.
Nothing is published, and the live index stays as it was, when no valid document remains or when
``faq.yaml`` or ``checks.yaml`` cannot be read (an index without its curated answers is worse than the last
good one). A new index that would lose answers is held by the publish gate (``bot.publish_gate``) until
staff publish it anyway (``force``, ``publish_held``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from bot.chunking import Chunk, chunk_document, units_of
from bot.content_checks import describe_grades, document_grades
from bot.documents import DocumentError, SourceDocument, is_expired, load_document
from bot.embedding import BATCH_SIZE, DIMENSION, Embedder
from bot.faq import FAQ_FILE, FaqEntry, FaqError, load_faq
from bot.index import (
    EmbeddingCache,
    build_generation,
    open_generation,
    prune_generations,
    publish,
    read_active,
    read_manifest,
    verify_generation,
)
from bot.manifest import DocumentRecord, IndexInfo, diff_documents
from bot.publish_gate import (
    CHECKS_FILE,
    CheckQuestion,
    ChecksError,
    GateResult,
    HeldGeneration,
    acknowledge,
    clear_held,
    load_checks,
    read_acknowledged,
    read_held,
    run_gate,
    write_held,
)
from bot.settings import Settings
from bot.stores import IndexStore, make_store

PIPELINE_VERSION = "4"
"""Bump when chunking or the embedded text changes, so that an unchanged folder is still re-indexed."""
LOCK_FILE = ".ingest.lock"


class IngestBusy(RuntimeError):
    """Another ingest holds the lock on this data folder."""


class NothingHeld(RuntimeError):
    """There is no held index to publish."""


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
    blocked: list[FileFailure] = field(default_factory=list)  # faq.yaml/checks.yaml unreadable: nothing published
    unsupported: list[str] = field(default_factory=list)  # curated answers their cited section does not support
    grades: dict[str, float | None] = field(default_factory=dict)  # document -> Flesch-Kincaid grade
    checked: int = 0  # check questions the publish gate asked both indexes
    check_seconds: float = 0.0  # what the publish gate (and the answer-support check) added to the run
    held_because: list[str] = field(default_factory=list)  # the gate's reasons (also when published with force)
    chunks: int = 0
    embedded: int = 0  # documents' and curated phrasings' texts sent to the model (cache misses)
    check_embedded: int = 0  # texts the publish gate sent to the model (cache misses; not in ``embedded``)
    seconds: float = 0.0
    version: str | None = None
    live_version: str | None = None  # what serves after this run
    published: bool = False
    held: bool = False  # written and verified, not published: see held_because; publish with --force
    forced: bool = False  # published although the gate would have held it
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
        if self.checked:
            rows.append(("checked", f"{self.checked} questions in {self.check_seconds:.1f} s"))
        lines = [f"{name:>10}  {value}" for name, value in rows]
        lines += [f"INVALID {failure.path}: {failure.reason}" for failure in self.blocked]
        lines += [f"FAILED  {failure.path}: {failure.reason}" for failure in self.failed]
        lines += [f"SKIPPED {dup.path}: {dup.reason}" for dup in self.duplicates]
        lines += [
            f"EXPIRED {path}: review-by date has passed; left out of answers until reviewed" for path in self.expired
        ]
        lines += [f"UNSUPPORTED {line}" for line in self.unsupported]
        lines += describe_grades(self.grades)
        lines += self.held_because
        lines.append(self.outcome)
        return "\n".join(lines)

    @property
    def outcome(self) -> str:
        """The last line of the report: what serves patients now, and what staff can do."""
        if self.forced:
            return f"Published index {self.version} anyway, as asked (--force), despite the lines above."
        if self.published:
            return f"Published index {self.version}."
        if self.held:
            return (
                f"HELD    index {self.version}: written and checked, not published; the live index "
                f"{self.live_version} keeps serving. Fix the documents, or publish it anyway with "
                '`python ingest.py --force` (or "Publish anyway" on the staff page).'
            )
        if self.up_to_date:
            return f"Index {self.version} is already up to date; nothing to do."
        if self.dry_run:
            return "Dry run: nothing was written."
        kept = f"The live index {self.live_version} keeps serving" if self.live_version else "No index is live yet"
        if self.blocked:
            names = " and ".join(sorted({f.path for f in self.blocked}))
            return f"Nothing published: fix {names} first (the reason is above). {kept}."
        return f"Nothing published: no valid documents. {kept}."

    @property
    def summary(self) -> str:
        """The outcome in a few words, for the staff action log."""
        if self.forced:
            return f"published {self.version} anyway ({len(self.held_because)} gate finding(s))"
        if self.published:
            return f"published {self.version}"
        if self.held:
            return f"held {self.version}: {len(self.held_because)} gate finding(s)"
        if self.up_to_date:
            return "up to date"
        if self.blocked:
            return "not published: " + ", ".join(sorted({f.path for f in self.blocked})) + " invalid"
        return "not published: no valid documents"

    @property
    def exit_code(self) -> int:
        """0 all good; 1 published but some files failed; 2 nothing published (no valid document, or faq.yaml or
        checks.yaml invalid); 3 held by the publish gate."""
        if self.held:
            return 3
        if not self.published and not self.up_to_date and not self.dry_run:
            return 2
        return 1 if self.failed else 0


def knowledge_files(knowledge_dir: Path) -> list[Path]:
    """Every candidate document: hidden files and the FAQ (handled on its own) are not documents."""
    return sorted(
        path
        for path in knowledge_dir.rglob("*")
        if not any(part.startswith(".") for part in path.relative_to(knowledge_dir).parts)
        and path.relative_to(knowledge_dir).as_posix() not in (FAQ_FILE, CHECKS_FILE)
        and (path.is_file() or path.is_symlink())
    )


def _load_all(
    knowledge_dir: Path, report: IngestReport, max_bytes: int, keep: frozenset[str] = frozenset()
) -> list[SourceDocument]:
    """Every usable document. Of files with the same bytes one is kept: one in ``keep`` (cited by the FAQ or
    checks, or already live) if there is one, else the first in path order; the others are reported."""
    root = knowledge_dir.resolve()
    loaded: list[SourceDocument] = []
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
            loaded.append(load_document(knowledge_dir, path, max_bytes))
        except DocumentError as exc:
            report.failed.append(FileFailure(exc.path, exc.reason))
        except OSError as exc:
            report.failed.append(FileFailure(rel, f"cannot be read ({exc.strerror})"))
    kept: dict[str, str] = {}  # content hash -> the one file indexed with those bytes
    for doc in sorted(loaded, key=lambda d: (d.path not in keep, d.path)):
        kept.setdefault(doc.content_hash, doc.path)
    for doc in loaded:  # a copy answers nothing new and would repeat every citation
        if kept[doc.content_hash] != doc.path:
            report.duplicates.append(FileFailure(doc.path, f"same content as {kept[doc.content_hash]}"))
    return [doc for doc in loaded if kept[doc.content_hash] == doc.path]


def _referenced(settings: Settings, store: IndexStore) -> frozenset[str]:
    """Documents something relies on by path: FAQ entries, check questions, the live index."""
    paths: set[str] = set()
    with contextlib.suppress(FaqError):
        paths |= {entry.source for entry in load_faq(settings.knowledge_dir / FAQ_FILE)}
    with contextlib.suppress(ChecksError):
        paths |= {check.document for check in load_checks(settings.knowledge_dir / CHECKS_FILE)}
    active = read_active(store)
    if active is not None:
        paths |= set(read_manifest(store, active.version).hashes())
    return frozenset(paths)


def _load_faq_checked(knowledge_dir: Path, docs: list[SourceDocument], report: IngestReport) -> list[FaqEntry]:
    """The FAQ entries whose document is loaded. An unreadable file blocks the run (``report.blocked``);
    an entry whose document is gone is reported and left out (the publish gate holds the index if the live
    one answered it)."""
    try:
        entries = load_faq(knowledge_dir / FAQ_FILE)
    except FaqError as exc:
        report.blocked.append(FileFailure(FAQ_FILE, str(exc).removeprefix(f"{FAQ_FILE}: ")))
        return []
    known = {doc.path for doc in docs}
    kept = []
    for entry in entries:
        if entry.source in known:
            kept.append(entry)
        else:
            report.failed.append(
                FileFailure(
                    FAQ_FILE, f"entry '{entry.id}' cites '{entry.source}', which is not a loaded document: left out"
                )
            )
    return kept


def _load_checks_checked(knowledge_dir: Path, report: IngestReport) -> list[CheckQuestion]:
    try:
        return load_checks(knowledge_dir / CHECKS_FILE)
    except ChecksError as exc:
        report.blocked.append(FileFailure(CHECKS_FILE, str(exc).removeprefix(f"{CHECKS_FILE}: ")))
        return []


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
    force: bool = False,
) -> IngestReport:
    """Bring the active index in line with the knowledge folder. Publishes only a complete, verified index
    that the publish gate passed (or any complete one with ``force``).

    ``embedder`` is the process's model (one is built from ``settings`` when none is given); the generation
    records its id, and only processes running the same model serve it. A held index whose content is still
    the folder's is reused (checked again, and published with ``force``), not built again.
    """
    started = time.perf_counter()
    report = IngestReport(dry_run=dry_run)
    store = store or make_store(settings)
    embedder = embedder or Embedder.from_settings(settings)
    with _exclusive(settings.index_dir):
        docs = _load_all(settings.knowledge_dir, report, settings.max_file_bytes, _referenced(settings, store))
        report.expired = sorted(doc.path for doc in docs if is_expired(doc.review_by))
        report.grades = document_grades(docs)
        faq = _load_faq_checked(settings.knowledge_dir, docs, report)
        extra = _load_checks_checked(settings.knowledge_dir, report)
        _diff(store, docs, report)
        chunks_by_doc = {doc.path: chunk_document(doc, embedder.count_tokens, embedder.max_tokens) for doc in docs}
        chunks: list[Chunk] = [chunk for doc in docs for chunk in chunks_by_doc[doc.path]]
        report.chunks = len(chunks)
        fingerprint = knowledge_hash(docs, faq, embedder.model_id)
        active = read_active(store)
        report.live_version = active.version if active else None
        held = read_held(settings)
        if not docs or report.blocked:
            report.seconds = time.perf_counter() - started
            return report
        if active is not None and active.knowledge_hash == fingerprint and not rebuild:
            if held is not None and not dry_run:
                clear_held(settings)  # the folder is back to what serves: the held index is moot
            report.up_to_date, report.version = True, active.version
            report.seconds = time.perf_counter() - started
            return report
        if dry_run:
            report.seconds = time.perf_counter() - started
            return report
        cache = EmbeddingCache(settings.data_dir / "cache" / "embeddings.sqlite3")
        used: set[str] = set()

        def encode(texts: list[str]) -> np.ndarray:
            """The publish gate's vectors (its questions as the assistant reads them, section passages): cached
            like the documents' texts, counted apart from them."""
            used.update(texts)
            counted = IngestReport()
            vectors = _embed_cached(texts, embedder, cache, counted, progress=False)
            report.check_embedded += counted.embedded
            return vectors

        try:
            reusable = (
                held is not None
                and not rebuild
                and held.info.knowledge_hash == fingerprint
                and held.info.embedding_model == embedder.model_id
                and held.info.version in store.generations()
            )
            if reusable:
                assert held is not None
                info = held.info
                verify_generation(store, info)
            else:
                info = _build(store, docs, chunks_by_doc, chunks, faq, fingerprint, embedder, cache, report, progress)
            checking = time.perf_counter()
            gate = _gate(settings, store, info, active, faq, extra, embedder, encode)
            report.checked, report.unsupported = gate.checked, [p.line() for p in gate.unsupported]
            report.check_seconds = time.perf_counter() - checking
            report.held_because = gate.reasons()
            report.version = info.version
            if gate.passed or force:
                publish(store, info)
                acknowledge(settings, gate.unsupported_keys)
                clear_held(settings)
                report.published, report.forced, report.live_version = True, not gate.passed, info.version
            else:
                write_held(
                    settings,
                    HeldGeneration(
                        info=info,
                        held_at=dt.datetime.now(dt.UTC),
                        live_version=active.version if active else None,
                        reasons=tuple(report.held_because),
                        unsupported_keys=tuple(gate.unsupported_keys),
                    ),
                )
                report.held = True
            phrasings = [text for entry in faq for text in entry.phrasings]
            units = [u.text for u in units_of(chunks)]
            texts = [c.embed_text for c in chunks] + phrasings + units
            keep = {text_key(embedder.model_id, text) for text in texts}
            cache.retain(keep | {text_key(embedder.model_id, text) for text in used})
        finally:
            cache.close()
        prune_generations(store, keep=[info.version] if report.held else ())
    report.seconds = time.perf_counter() - started
    return report


def _build(
    store: IndexStore,
    docs: list[SourceDocument],
    chunks_by_doc: dict[str, list[Chunk]],
    chunks: list[Chunk],
    faq: list[FaqEntry],
    fingerprint: str,
    embedder: Embedder,
    cache: EmbeddingCache,
    report: IngestReport,
    progress: bool,
) -> IndexInfo:
    """Embed what the cache lacks and write a complete, verified generation that nothing points to yet."""
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
    verify_generation(store, info)
    return info


def _gate(
    settings: Settings,
    store: IndexStore,
    info: IndexInfo,
    active: IndexInfo | None,
    faq: list[FaqEntry],
    extra: list[CheckQuestion],
    embedder: Embedder,
    encode: Callable[[list[str]], np.ndarray],
) -> GateResult:
    """Run the publish gate, opening the generations only when there is something to ask them."""
    comparable = active is not None and active.embedding_model == embedder.model_id
    live_faq = read_manifest(store, active.version).faq if comparable and active is not None else ()
    if not faq and not live_faq and not extra:
        return GateResult()  # nothing curated to check (a folder without FAQ, the benchmarks)
    live = open_generation(store, active) if comparable and active is not None else None
    candidate = open_generation(store, info)
    return run_gate(settings, store, candidate, live, extra, encode, read_acknowledged(settings))


def publish_held(settings: Settings, store: IndexStore | None = None) -> HeldGeneration:
    """Publish the index the gate held, as it was checked (staff decided to publish it anyway)."""
    store = store or make_store(settings)
    with _exclusive(settings.index_dir):
        held = read_held(settings)
        if held is None or held.info.version not in store.generations():
            clear_held(settings)
            raise NothingHeld("no index is held: nothing to publish")
        publish(store, held.info)
        acknowledge(settings, held.unsupported_keys)
        clear_held(settings)
        prune_generations(store)
    return held
