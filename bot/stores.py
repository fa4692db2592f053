"""Where index generations live: a folder per generation on this machine, or collections on a Chroma server.

Both stores give the same few operations, so building, publishing and serving an index (``bot.index``) is
one piece of code for both. ``make_store`` picks one from settings (``CHROMA_HOST`` set means the server).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from bot.settings import Settings

GENERATIONS_DIR = "generations"
POINTER_FILE = "active.json"
MANIFEST_FILE = "manifest.json"
POINTER_COLLECTION = "kb-active"
ROLES = ("chunks", "faq", "units")


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


class IndexStore(Protocol):
    """What ``bot.index`` needs from a place that holds generations."""

    def client(self, version: str) -> Any:
        """A Chroma client that holds (or will hold) the generation's collections."""

    def collection_name(self, version: str, role: str) -> str: ...

    def prepare(self, version: str) -> None:
        """Make room for a new generation."""

    def write_manifest(self, version: str, manifest: dict[str, Any]) -> None: ...

    def read_manifest(self, version: str) -> dict[str, Any]: ...

    def write_pointer(self, pointer: dict[str, Any]) -> None:
        """Replace the active pointer in one atomic step."""

    def read_pointer(self) -> dict[str, Any] | None: ...

    def pointer_stamp(self) -> object:
        """Something that changes whenever the pointer does, as cheap to get as the store allows."""

    def generations(self) -> list[str]: ...

    def delete(self, version: str) -> None: ...


def write_json_atomically(path: Path, payload: object) -> None:
    """Write a temp file, flush it to disk, then rename over the target: readers see old or new, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=1, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class LocalStore:
    """Each generation is its own folder with its own embedded Chroma store (one writer per store)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir

    def _dir(self, version: str) -> Path:
        return self.index_dir / GENERATIONS_DIR / version

    def client(self, version: str) -> Any:
        import chromadb

        return chromadb.PersistentClient(path=str(self._dir(version) / "chroma"), settings=_chroma_settings())

    def collection_name(self, version: str, role: str) -> str:
        return role

    def prepare(self, version: str) -> None:
        self._dir(version).mkdir(parents=True)

    def write_manifest(self, version: str, manifest: dict[str, Any]) -> None:
        write_json_atomically(self._dir(version) / MANIFEST_FILE, manifest)

    def read_manifest(self, version: str) -> dict[str, Any]:
        return json.loads((self._dir(version) / MANIFEST_FILE).read_text(encoding="utf-8"))

    def write_pointer(self, pointer: dict[str, Any]) -> None:
        write_json_atomically(self.index_dir / POINTER_FILE, pointer)

    def read_pointer(self) -> dict[str, Any] | None:
        try:
            return json.loads((self.index_dir / POINTER_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def pointer_stamp(self) -> object:
        try:
            stat = (self.index_dir / POINTER_FILE).stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_ino

    def generations(self) -> list[str]:
        root = self.index_dir / GENERATIONS_DIR
        return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.exists() else []

    def delete(self, version: str) -> None:
        shutil.rmtree(self._dir(version), ignore_errors=True)


class ServerStore:
    """Generations as collections on one Chroma server (``chroma run``), shared by every app process.

    The pointer is a one-record collection: an ``upsert`` of that record is the atomic flip. A manifest is a
    one-record collection per generation. Records there carry a 1-dimensional placeholder vector because
    Chroma stores no record without one.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port

    @cached_property
    def _client(self) -> Any:
        import chromadb

        return chromadb.HttpClient(host=self.host, port=self.port, settings=_chroma_settings())

    def client(self, version: str) -> Any:
        return self._client

    def collection_name(self, version: str, role: str) -> str:
        return f"{version}-{role}"

    def prepare(self, version: str) -> None:
        self._client.heartbeat()  # fail early, with the server's own error, if it is not reachable

    def _put(self, name: str, record_id: str, payload: dict[str, Any]) -> None:
        collection = self._client.get_or_create_collection(name, embedding_function=None)
        collection.upsert(ids=[record_id], documents=[json.dumps(payload)], embeddings=[[0.0]])

    def _get(self, name: str, record_id: str) -> dict[str, Any] | None:
        from chromadb.errors import NotFoundError

        try:
            got = self._client.get_collection(name).get(ids=[record_id], include=["documents"])
        except NotFoundError:
            return None
        return json.loads(got["documents"][0]) if got["documents"] else None

    def write_manifest(self, version: str, manifest: dict[str, Any]) -> None:
        self._put(f"{version}-manifest", "manifest", manifest)

    def read_manifest(self, version: str) -> dict[str, Any]:
        manifest = self._get(f"{version}-manifest", "manifest")
        if manifest is None:
            raise FileNotFoundError(f"no manifest for generation {version} on the Chroma server")
        return manifest

    def write_pointer(self, pointer: dict[str, Any]) -> None:
        self._put(POINTER_COLLECTION, "active", pointer)

    def read_pointer(self) -> dict[str, Any] | None:
        return self._get(POINTER_COLLECTION, "active")

    def pointer_stamp(self) -> object:
        pointer = self.read_pointer()
        return pointer["version"] if pointer else None

    def generations(self) -> list[str]:
        names = [c if isinstance(c, str) else c.name for c in self._client.list_collections()]
        return sorted(n.removesuffix("-chunks") for n in names if n.startswith("kb-2") and n.endswith("-chunks"))

    def delete(self, version: str) -> None:
        from chromadb.errors import NotFoundError

        for role in (*ROLES, "manifest"):
            with contextlib.suppress(NotFoundError):
                self._client.delete_collection(f"{version}-{role}")


def make_store(settings: Settings) -> LocalStore | ServerStore:
    """The store the settings ask for: a Chroma server when ``CHROMA_HOST`` is set, else local folders."""
    if settings.chroma_host:
        return ServerStore(settings.chroma_host, settings.chroma_port)
    return LocalStore(settings.index_dir)
