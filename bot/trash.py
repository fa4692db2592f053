"""Removed documents go to a trash folder, restorable for ``BOT_TRASH_DAYS`` days, then deleted.

The trash lives in the data folder (``data/trash/``), outside the knowledge folder, so an ingest never sees
it. Each removed file keeps its bytes under ``<UTC time>-<original path>`` (the path quoted so that a file
from a subfolder stays one name; ``~2`` after the time when one was removed twice in a second), which is
all a restore needs to know.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

TRASH_DIR = "trash"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
STAMP_LENGTH = len("20261127T152607Z")


class TrashError(ValueError):
    """A trash action that cannot be done; the message says why."""


@dataclass(frozen=True)
class TrashItem:
    """One removed document in the trash."""

    name: str  # its name in the trash folder: what staff pass to restore it
    original: str  # where it was, relative to the knowledge folder
    removed_at: dt.datetime
    expires_at: dt.datetime
    path: Path


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Trash:
    """The trash of one data folder, for one knowledge folder."""

    def __init__(self, data_dir: Path, knowledge_dir: Path, retention_days: int) -> None:
        self.folder = data_dir / TRASH_DIR
        self.knowledge_dir = knowledge_dir
        self.retention = dt.timedelta(days=retention_days)

    def _item(self, entry: Path) -> TrashItem | None:
        stamp, sep, quoted = entry.name.partition("-")
        try:
            removed = dt.datetime.strptime(stamp.split("~")[0], STAMP_FORMAT).replace(tzinfo=dt.UTC)
        except ValueError:
            return None  # not ours (a stray file): left alone
        if not sep or not quoted:
            return None
        return TrashItem(entry.name, unquote(quoted), removed, removed + self.retention, entry)

    def items(self) -> list[TrashItem]:
        """What can be restored, newest first (expired entries are deleted first)."""
        self.purge()
        return self._scan()

    def _scan(self) -> list[TrashItem]:
        if not self.folder.is_dir():
            return []
        found = [item for entry in self.folder.iterdir() if (item := self._item(entry)) is not None]
        return sorted(found, key=lambda item: (item.removed_at, item.name), reverse=True)

    def purge(self, now: dt.datetime | None = None) -> list[TrashItem]:
        """Delete entries kept longer than the retention period."""
        now = now or _now()
        gone = [item for item in self._scan() if item.expires_at <= now]
        for item in gone:
            item.path.unlink(missing_ok=True)
        return gone

    def put(self, relative: str) -> TrashItem:
        """Move one file of the knowledge folder (a link: the link itself) into the trash."""
        source = self.knowledge_dir / relative
        if not (source.is_file() or source.is_symlink()):
            raise TrashError(f"'{relative}' is not a file in the knowledge folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        removed = _now()
        name = f"{removed.strftime(STAMP_FORMAT)}-{quote(relative, safe=' ')}"
        target, n = self.folder / name, 1
        while target.exists() or target.is_symlink():  # the same file removed twice within a second
            n += 1
            name = f"{removed.strftime(STAMP_FORMAT)}~{n}-{quote(relative, safe=' ')}"
            target = self.folder / name
        shutil.move(source, target)
        item = self._item(target)
        assert item is not None
        return item

    def find(self, name: str) -> TrashItem:
        """An entry by its trash name, or the newest entry that was the document ``name``."""
        items = self._scan()
        for item in items:
            if item.name == name:
                return item
        for item in items:  # newest first
            if item.original == name:
                return item
        known = ", ".join(item.name for item in items) or "the trash is empty"
        raise TrashError(f"'{name}' is not in the trash ({known})")

    def restore(self, name: str) -> TrashItem:
        """Put a trashed document back where it was. Never overwrites a file that has taken its place."""
        item = self.find(name)
        target = self.knowledge_dir / item.original
        if target.exists() or target.is_symlink():
            raise TrashError(
                f"'{item.original}' exists in the knowledge folder again; remove or rename it first, then restore"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(item.path, target)
        return item
