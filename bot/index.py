"""Index generations in Chroma: build one completely, verify it, then make it active in one atomic step.

Lifecycle (ARCHITECTURE section 3), the same for both stores in ``bot.stores``:

1. ``build_generation`` writes a new, complete generation (chunks, FAQ phrasings, manifest) that no reader
   knows about yet: on this machine its own folder and Chroma store, on a server its own collections.
2. ``publish`` verifies the counts by reading it back, then replaces the small active pointer atomically.
   A crash before that step leaves the previous generation active and intact; after it, the new one is.
3. ``LiveIndex.current()`` notices the pointer change and swaps in the new generation for the next question.
4. ``prune_generations`` deletes old generations: never the active or previous one, never one that was
   serving less than a grace period ago, and at once any left behind by a crashed ingest.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.chunking import Chunk, Unit
from bot.embedding import DIMENSION
from bot.faq import FaqEntry
from bot.manifest import DocumentRecord, IndexInfo, Manifest, Pointer, ServedUntil
from bot.stores import IndexStore

log = logging.getLogger(__name__)
HISTORY = 5
PRUNE_GRACE_SECONDS = 600
"""A serving process may still be answering from a generation for a moment after the flip."""
SERVER_POLL_SECONDS = 1.0
"""How often a process asks a Chroma server whether the active generation changed."""


class IndexNotReady(RuntimeError):
    """There is no active index yet: run ``python ingest.py``."""


class IndexCorrupt(RuntimeError):
    """A generation failed verification and was not published."""


class IndexModelMismatch(IndexNotReady):
    """The active index was built with another embedding model than this process runs: its vectors are not
    comparable with the questions', so it must not answer (re-run ingest with this process's settings)."""


def read_manifest(store: IndexStore, version: str) -> Manifest:
    return Manifest.model_validate(store.read_manifest(version))


def read_pointer(store: IndexStore) -> Pointer | None:
    raw = store.read_pointer()
    return None if raw is None else Pointer.model_validate(raw)


def new_version(knowledge_hash: str) -> str:
    """``kb-<UTC timestamp>-<content hash>``: sortable by time, and says which content it holds."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"kb-{stamp}-{knowledge_hash[:8]}"


def _chunk_metadata(chunk: Chunk) -> dict[str, str | int]:
    # Chroma metadata values cannot be None: empty string stands for "none"
    return {
        "doc_path": chunk.doc_path,
        "title": chunk.title,
        "source": chunk.source,
        "section": chunk.section or "",
        "context": chunk.context,
        "reviewed": chunk.reviewed or "",
        "review_by": chunk.review_by or "",
        "position": chunk.position,
        "link": chunk.link or "",
    }


def _chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        doc_path=str(meta["doc_path"]),
        title=str(meta["title"]),
        source=str(meta["source"]),
        section=str(meta["section"]) or None,
        context=str(meta["context"]),
        text=text,
        reviewed=str(meta["reviewed"]) or None,
        review_by=str(meta["review_by"]) or None,
        position=int(meta["position"]),
        link=str(meta.get("link") or "") or None,
    )


def _add_in_batches(collection: Any, max_batch: int, **columns: Sequence[Any]) -> None:
    total = len(columns["ids"])
    for start in range(0, total, max_batch):
        collection.add(**{name: values[start : start + max_batch] for name, values in columns.items()})


def build_generation(
    store: IndexStore,
    *,
    knowledge_hash: str,
    documents: Sequence[DocumentRecord],
    chunks: Sequence[Chunk],
    chunk_vectors: np.ndarray,
    faq: Sequence[FaqEntry],
    faq_vectors: np.ndarray,
    units: Sequence[Unit],
    unit_vectors: np.ndarray,
    embedding_model: str,
) -> IndexInfo:
    """Write a complete new generation beside the live one. Nothing reads it until ``publish``."""
    version = new_version(knowledge_hash)
    store.prepare(version)
    client = store.client(version)
    space = {"hnsw": {"space": "cosine"}}
    max_batch = client.get_max_batch_size()
    chunk_collection = client.create_collection(
        store.collection_name(version, "chunks"), configuration=space, embedding_function=None
    )
    if chunks:
        _add_in_batches(
            chunk_collection,
            max_batch,
            ids=[c.id for c in chunks],
            embeddings=chunk_vectors,
            documents=[c.text for c in chunks],
            metadatas=[_chunk_metadata(c) for c in chunks],
        )
    faq_collection = client.create_collection(
        store.collection_name(version, "faq"), configuration=space, embedding_function=None
    )
    phrasings = [(entry.id, i, text) for entry in faq for i, text in enumerate(entry.phrasings)]
    if phrasings:
        _add_in_batches(
            faq_collection,
            max_batch,
            ids=[f"{faq_id}#{i}" for faq_id, i, _ in phrasings],
            embeddings=faq_vectors,
            documents=[text for _, _, text in phrasings],
            metadatas=[{"faq_id": faq_id} for faq_id, _, _ in phrasings],
        )
    unit_collection = client.create_collection(
        store.collection_name(version, "units"), configuration=space, embedding_function=None
    )
    if units:
        _add_in_batches(
            unit_collection,
            max_batch,
            ids=[f"{u.chunk_id}#{u.kind[0]}{u.index}" for u in units],
            embeddings=unit_vectors,
            documents=[u.text for u in units],
            metadatas=[{"chunk_id": u.chunk_id, "kind": u.kind, "index": u.index} for u in units],
        )
    info = IndexInfo(
        version=version,
        documents=len(documents),
        chunks=len(chunks),
        faq_entries=len(faq),
        units=len(units),
        knowledge_hash=knowledge_hash,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        embedding_model=embedding_model,
    )
    manifest = Manifest(info=info, documents=tuple(documents), faq=tuple(faq))
    store.write_manifest(version, manifest.model_dump(mode="json"))
    return info


def verify_generation(store: IndexStore, info: IndexInfo) -> None:
    """Read a generation back and check that it holds what its manifest says it does."""
    manifest = read_manifest(store, info.version)
    client = store.client(info.version)
    chunk_count = client.get_collection(store.collection_name(info.version, "chunks")).count()
    faq_count = client.get_collection(store.collection_name(info.version, "faq")).count()
    unit_count = client.get_collection(store.collection_name(info.version, "units")).count()
    expected_faq = sum(len(entry.phrasings) for entry in manifest.faq)
    expected_chunks = sum(len(doc.chunk_ids) for doc in manifest.documents)
    found, expected = (chunk_count, faq_count, unit_count), (info.chunks, expected_faq, info.units)
    if found != expected or expected_chunks != info.chunks:
        raise IndexCorrupt(
            f"generation {info.version} holds {found} chunks, FAQ phrasings and sentences, expected {expected}"
        )


def publish(store: IndexStore, info: IndexInfo) -> None:
    """Verify a generation, then make it the active one in a single atomic step."""
    verify_generation(store, info)
    old = read_pointer(store)
    history: tuple[ServedUntil, ...] = ()
    if old is not None:  # remember what served until now, and until when: pruning waits out the grace period
        history = (ServedUntil(version=old.version, until=dt.datetime.now(dt.UTC)), *old.history)[:HISTORY]
    store.write_pointer(Pointer(**info.model_dump(), history=history).model_dump(mode="json"))


def read_active(store: IndexStore) -> IndexInfo | None:
    """The active generation's description, or None when nothing was ever published."""
    pointer = read_pointer(store)
    return None if pointer is None else pointer.info


def prune_generations(
    store: IndexStore, grace_seconds: float = PRUNE_GRACE_SECONDS, keep: Collection[str] = ()
) -> list[str]:
    """Delete generations no process can still be serving, except ``keep`` (a held generation).
    Call it while holding the ingest lock."""
    pointer = read_pointer(store)
    if pointer is None:
        return []
    now = dt.datetime.now(dt.UTC)
    recently_served = {
        entry.version
        for i, entry in enumerate(pointer.history)
        if i == 0 or (now - entry.until).total_seconds() < grace_seconds
    }
    keep = {pointer.version, *recently_served, *keep}
    removed = [version for version in store.generations() if version not in keep]
    for version in removed:  # older generations, and any a crashed ingest left half-written
        store.delete(version)
    return removed


@dataclass(frozen=True)
class Snapshot:
    """One opened, read-only generation: everything a question is answered from."""

    info: IndexInfo
    chunks: tuple[Chunk, ...]
    documents: dict[str, DocumentRecord]
    faq: tuple[FaqEntry, ...]
    faq_vectors: np.ndarray  # one unit vector per phrasing
    faq_owner: tuple[int, ...]  # index into ``faq`` for each row of ``faq_vectors``
    units: tuple[Unit, ...]  # section headings and chunk sentences, in reading order
    unit_vectors: np.ndarray  # one unit vector per unit
    collection: Any
    positions: dict[str, int]  # chunk id -> position in ``chunks``

    def dense_search(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Nearest chunks by cosine similarity, as (position in ``chunks``, similarity)."""
        if not self.chunks:
            return []
        result = self.collection.query(
            query_embeddings=[query_vector], n_results=min(k, len(self.chunks)), include=["distances"]
        )
        return [
            (self.positions[chunk_id], 1.0 - float(distance))
            for chunk_id, distance in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    def chunk_vectors(self, positions: list[int]) -> np.ndarray:
        """Stored embeddings of some chunks, in the order asked."""
        ids = [self.chunks[i].id for i in positions]
        got = self.collection.get(ids=ids, include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        return np.asarray([by_id[chunk_id] for chunk_id in ids], dtype=np.float32)


def open_generation(store: IndexStore, info: IndexInfo) -> Snapshot:
    """Load a published generation for serving."""
    manifest = read_manifest(store, info.version)
    client = store.client(info.version)
    collection = client.get_collection(store.collection_name(info.version, "chunks"))
    raw = collection.get(include=["documents", "metadatas"])
    by_id = {
        chunk_id: _chunk_from_record(chunk_id, text, meta)
        for chunk_id, text, meta in zip(raw["ids"], raw["documents"], raw["metadatas"], strict=True)
    }
    documents = {doc.path: doc for doc in manifest.documents}
    # reading order, so that neighbouring chunks stay neighbours
    chunks = tuple(by_id[chunk_id] for doc in documents.values() for chunk_id in doc.chunk_ids)
    faq = manifest.faq
    faq_raw = client.get_collection(store.collection_name(info.version, "faq")).get(include=["embeddings", "metadatas"])
    owner_of = {entry.id: i for i, entry in enumerate(faq)}
    faq_vectors = np.asarray(faq_raw["embeddings"], dtype=np.float32).reshape(len(faq_raw["ids"]), DIMENSION)
    faq_owner = tuple(owner_of[meta["faq_id"]] for meta in faq_raw["metadatas"])
    positions = {chunk.id: i for i, chunk in enumerate(chunks)}
    units, unit_vectors = _read_units(client.get_collection(store.collection_name(info.version, "units")), positions)
    return Snapshot(info, chunks, documents, faq, faq_vectors, faq_owner, units, unit_vectors, collection, positions)


def _read_units(collection: Any, positions: dict[str, int]) -> tuple[tuple[Unit, ...], np.ndarray]:
    """Every unit with its vector, in reading order (chunk, then heading before sentences)."""
    raw = collection.get(include=["embeddings", "metadatas", "documents"])
    rows = [
        (Unit(str(m["chunk_id"]), str(m["kind"]), int(m["index"]), text), i)
        for i, (m, text) in enumerate(zip(raw["metadatas"], raw["documents"], strict=True))
    ]
    rows.sort(key=lambda r: (positions[r[0].chunk_id], r[0].kind != "heading", r[0].index))
    vectors = np.asarray(raw["embeddings"], dtype=np.float32).reshape(len(rows), DIMENSION)
    return tuple(u for u, _ in rows), vectors[[i for _, i in rows]] if rows else vectors


class LiveIndex:
    """The serving side: hands out the active snapshot and follows the pointer when a publish flips it.

    ``model_id`` is the embedding model of this process: a generation built with another is never served
    (its vectors and this process's questions would not be comparable), and ``current`` says so instead.
    """

    def __init__(self, store: IndexStore, model_id: str, poll_seconds: float = 0.0) -> None:
        self.store = store
        self.model_id = model_id
        self.poll_seconds = poll_seconds
        self._snapshot: Snapshot | None = None
        self._mismatch: IndexModelMismatch | None = None
        self._stamp: object = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def current(self) -> Snapshot:
        """The active snapshot. Checks the pointer (a file ``stat``, or a server read at most every
        ``poll_seconds``) and opens the new generation before the next question when it changed."""
        now = time.monotonic()
        if now - self._checked >= self.poll_seconds or (self._snapshot is None and self._mismatch is None):
            stamp = self.store.pointer_stamp()
            self._checked = now
            if stamp is not None and stamp != self._stamp:
                with self._lock:
                    if stamp != self._stamp:
                        self._open(read_active(self.store))
                        self._stamp = stamp
        if self._mismatch is not None:
            raise self._mismatch
        if self._snapshot is None:
            raise IndexNotReady("no index has been published yet: run `python ingest.py`")
        return self._snapshot

    def _open(self, info: IndexInfo | None) -> None:
        if info is None:
            return
        if info.embedding_model != self.model_id:
            self._snapshot = None
            self._mismatch = IndexModelMismatch(
                f"the active index {info.version} was built with the embedding model "
                f"'{info.embedding_model or 'unrecorded'}', but this server runs '{self.model_id}': "
                "run `python ingest.py` with the same BOT_EMBEDDING_BACKEND as the server"
            )
            log.error("%s", self._mismatch)
            return
        self._snapshot, self._mismatch = open_generation(self.store, info), None


class EmbeddingCache:
    """Vectors keyed by the hash of the exact text embedded: unchanged chunks never reach the model again."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            batch = list(keys[start : start + 500])
            marks = ",".join("?" * len(batch))
            for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [(key, np.asarray(vec, dtype=np.float32).tobytes()) for key, vec in items.items()],
            )

    def retain(self, keys: set[str]) -> int:
        """Drop vectors no current chunk uses, so the cache does not grow forever."""
        stale = [key for (key,) in self._db.execute("SELECT key FROM vectors") if key not in keys]
        with self._db:
            self._db.executemany("DELETE FROM vectors WHERE key = ?", [(key,) for key in stale])
        return len(stale)

    def close(self) -> None:
        self._db.close()
