"""Index generations in Chroma: build one completely, verify it, then make it active in one atomic step.

Lifecycle (ARCHITECTURE section 3):

1. ``build_generation`` writes a new, self-contained generation directory (its own Chroma store plus a
   ``manifest.json``) that no reader knows about yet.
2. ``publish`` verifies the counts by reopening it, then ``os.replace``-s the small ``active.json`` pointer.
   A crash before this line leaves the previous generation active; after it, the new one is complete.
3. ``LiveIndex.current()`` re-reads the pointer when its file changes and swaps in the new generation.
4. ``prune_generations`` removes old generations, keeping the newest few and anything still fresh.

Each generation has its own directory because an embedded Chroma store must have one writer: the ingest
process writes a directory that the serving process has never opened.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.chunking import Chunk
from bot.faq import FaqEntry

POINTER_FILE = "active.json"
GENERATIONS_DIR = "generations"
MANIFEST_FILE = "manifest.json"
CHUNKS_COLLECTION = "chunks"
FAQ_COLLECTION = "faq"
KEEP_GENERATIONS = 2
PRUNE_GRACE_SECONDS = 600
"""A serving process may still be answering from a generation for a moment after the flip."""


class IndexNotReady(RuntimeError):
    """There is no active index yet: run ``python ingest.py``."""


class IndexCorrupt(RuntimeError):
    """A generation failed verification and was not published."""


@dataclass(frozen=True)
class DocumentRecord:
    """What the manifest keeps about each document of a generation."""

    path: str
    title: str
    source: str
    reviewed: str | None
    review_by: str | None
    content_hash: str
    chunk_ids: tuple[str, ...]


@dataclass(frozen=True)
class IndexInfo:
    """The active pointer's content: which generation serves, and what it holds."""

    version: str
    directory: str
    documents: int
    chunks: int
    faq_entries: int
    knowledge_hash: str
    created: str


def _chroma_client(path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


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
    )


def _add_in_batches(collection: Any, max_batch: int, **columns: Sequence[Any]) -> None:
    total = len(columns["ids"])
    for start in range(0, total, max_batch):
        collection.add(**{name: values[start : start + max_batch] for name, values in columns.items()})


def build_generation(
    index_dir: Path,
    *,
    knowledge_hash: str,
    documents: Sequence[DocumentRecord],
    chunks: Sequence[Chunk],
    chunk_vectors: np.ndarray,
    faq: Sequence[FaqEntry],
    faq_vectors: np.ndarray,
) -> IndexInfo:
    """Write a complete new generation beside the live one. Nothing reads it until ``publish``."""
    version = new_version(knowledge_hash)
    gen_dir = index_dir / GENERATIONS_DIR / version
    gen_dir.mkdir(parents=True)
    client = _chroma_client(gen_dir / "chroma")
    space = {"hnsw": {"space": "cosine"}}
    max_batch = client.get_max_batch_size()
    chunk_collection = client.create_collection(CHUNKS_COLLECTION, configuration=space, embedding_function=None)
    if chunks:
        _add_in_batches(
            chunk_collection,
            max_batch,
            ids=[c.id for c in chunks],
            embeddings=chunk_vectors,
            documents=[c.text for c in chunks],
            metadatas=[_chunk_metadata(c) for c in chunks],
        )
    faq_collection = client.create_collection(FAQ_COLLECTION, configuration=space, embedding_function=None)
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
    info = IndexInfo(
        version=version,
        directory=f"{GENERATIONS_DIR}/{version}",
        documents=len(documents),
        chunks=len(chunks),
        faq_entries=len(faq),
        knowledge_hash=knowledge_hash,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    manifest = {
        "info": dataclasses.asdict(info),
        "documents": [dataclasses.asdict(d) for d in documents],
        "faq": [entry.model_dump(mode="json") for entry in faq],
    }
    _write_json_atomically(gen_dir / MANIFEST_FILE, manifest)
    return info


def _write_json_atomically(path: Path, payload: object) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=1, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def verify_generation(index_dir: Path, info: IndexInfo) -> None:
    """Reopen a generation and check that it holds what its manifest says it does."""
    gen_dir = index_dir / info.directory
    manifest = json.loads((gen_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    client = _chroma_client(gen_dir / "chroma")
    chunk_count = client.get_collection(CHUNKS_COLLECTION).count()
    faq_count = client.get_collection(FAQ_COLLECTION).count()
    expected_faq = sum(1 + len(entry.get("alternates", [])) for entry in manifest["faq"])
    expected_chunks = sum(len(doc["chunk_ids"]) for doc in manifest["documents"])
    if (chunk_count, faq_count) != (info.chunks, expected_faq) or expected_chunks != info.chunks:
        raise IndexCorrupt(
            f"generation {info.version} holds {chunk_count} chunks and {faq_count} FAQ phrasings, "
            f"expected {info.chunks} and {expected_faq}"
        )


def publish(index_dir: Path, info: IndexInfo) -> None:
    """Verify a generation, then make it the active one with a single atomic rename."""
    verify_generation(index_dir, info)
    _write_json_atomically(index_dir / POINTER_FILE, dataclasses.asdict(info))


def read_active(index_dir: Path) -> IndexInfo | None:
    """The active pointer, or None when nothing was ever published."""
    try:
        raw = json.loads((index_dir / POINTER_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return IndexInfo(**raw)


def prune_generations(
    index_dir: Path, keep: int = KEEP_GENERATIONS, grace_seconds: float = PRUNE_GRACE_SECONDS
) -> list[str]:
    """Delete old generations: never the active one, never the newest ``keep``, never one younger than grace."""
    active = read_active(index_dir)
    root = index_dir / GENERATIONS_DIR
    if not root.exists():
        return []
    generations = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True)
    removed = []
    now = time.time()
    for gen in generations[keep:]:
        if active and gen.name == active.version:
            continue
        if now - gen.stat().st_mtime < grace_seconds:
            continue
        shutil.rmtree(gen, ignore_errors=True)
        removed.append(gen.name)
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


def open_generation(index_dir: Path, info: IndexInfo) -> Snapshot:
    """Load a published generation for serving."""
    gen_dir = index_dir / info.directory
    manifest = json.loads((gen_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    client = _chroma_client(gen_dir / "chroma")
    collection = client.get_collection(CHUNKS_COLLECTION)
    raw = collection.get(include=["documents", "metadatas"])
    by_id = {
        chunk_id: _chunk_from_record(chunk_id, text, meta)
        for chunk_id, text, meta in zip(raw["ids"], raw["documents"], raw["metadatas"], strict=True)
    }
    documents = {
        doc["path"]: DocumentRecord(**{**doc, "chunk_ids": tuple(doc["chunk_ids"])}) for doc in manifest["documents"]
    }
    # reading order, so that neighbouring chunks stay neighbours
    chunks = tuple(by_id[chunk_id] for doc in documents.values() for chunk_id in doc.chunk_ids)
    faq = tuple(FaqEntry.model_validate(entry) for entry in manifest["faq"])
    faq_raw = client.get_collection(FAQ_COLLECTION).get(include=["embeddings", "metadatas"])
    owner_of = {entry.id: i for i, entry in enumerate(faq)}
    faq_vectors = np.asarray(faq_raw["embeddings"], dtype=np.float32).reshape(len(faq_raw["ids"]), -1)
    faq_owner = tuple(owner_of[meta["faq_id"]] for meta in faq_raw["metadatas"])
    positions = {chunk.id: i for i, chunk in enumerate(chunks)}
    return Snapshot(info, chunks, documents, faq, faq_vectors, faq_owner, collection, positions)


class LiveIndex:
    """The serving side: hands out the active snapshot and follows the pointer when a publish flips it."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._snapshot: Snapshot | None = None
        self._stamp: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def _pointer_stamp(self) -> tuple[int, int] | None:
        try:
            stat = (self.index_dir / POINTER_FILE).stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_ino

    def current(self) -> Snapshot:
        """The active snapshot; a cheap ``stat`` per call notices a new publish."""
        stamp = self._pointer_stamp()
        if stamp is None and self._snapshot is None:
            raise IndexNotReady("no index has been published yet: run `python ingest.py`")
        if stamp != self._stamp and stamp is not None:
            with self._lock:
                if stamp != self._stamp:
                    info = read_active(self.index_dir)
                    if info is not None:
                        self._snapshot = open_generation(self.index_dir, info)
                    self._stamp = stamp
        assert self._snapshot is not None
        return self._snapshot


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
