"""The staff action log: who uploaded, removed, restored, re-ingested or published what, and when.

For content governance beside the per-answer audit trail (``bot.insights``): each row has the time, the
signed-in staff account (``cli:<login>`` from the command line), the action, the document, its content hash,
and the index version serving afterwards with the outcome. Nothing about patients. One SQLite file in the
data folder, kept ``BOT_RETENTION_DAYS`` like the insights.
"""

from __future__ import annotations

import datetime as dt
import getpass
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

LOG_FILE = "staff-log.sqlite3"
SHOWN = 200
"""Rows the staff page shows (newest first); the file keeps everything within the retention period."""


class Action(StrEnum):
    UPLOAD = "upload"
    REMOVE = "remove"
    RESTORE = "restore"
    REINGEST = "re-ingest"
    PUBLISH_ANYWAY = "publish anyway"
    ADD_CHECK = "add check question"


@dataclass(frozen=True)
class LogEntry:
    """One staff action."""

    time: str  # ISO 8601, UTC, seconds
    user: str
    action: str
    document: str
    content_hash: str
    index_version: str
    outcome: str


def cli_user() -> str:
    """The account a command-line action is recorded under."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return "cli"


class StaffLog:
    """Appends and reads staff actions; rows older than ``retention_days`` are deleted as it goes."""

    def __init__(self, data_dir: Path, retention_days: int) -> None:
        self.path = data_dir / LOG_FILE
        self.retention = dt.timedelta(days=retention_days)
        data_dir.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS actions (time TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL, "
                "document TEXT NOT NULL, content_hash TEXT NOT NULL, index_version TEXT NOT NULL, "
                "outcome TEXT NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS actions_time ON actions(time)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def record(
        self,
        user: str | None,
        action: Action,
        *,
        document: str = "",
        content_hash: str = "",
        index_version: str | None = None,
        outcome: str = "",
    ) -> LogEntry:
        """Append one action (``user`` None: an unnamed account, recorded as "unknown")."""
        entry = LogEntry(
            time=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            user=user or "unknown",
            action=str(action),
            document=document,
            content_hash=content_hash,
            index_version=index_version or "",
            outcome=outcome,
        )
        with self._connect() as db:
            db.execute("INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?, ?)", tuple(entry.__dict__.values()))
        self.purge()
        return entry

    def entries(self, limit: int = SHOWN) -> list[LogEntry]:
        """The newest actions first."""
        self.purge()
        with self._connect() as db:
            rows = db.execute("SELECT * FROM actions ORDER BY time DESC, rowid DESC LIMIT ?", (limit,)).fetchall()
        return [LogEntry(*row) for row in rows]

    def purge(self, now: dt.datetime | None = None) -> int:
        """Delete actions older than the retention period."""
        cutoff = ((now or dt.datetime.now(dt.UTC)) - self.retention).isoformat(timespec="seconds")
        with self._connect() as db:
            return db.execute("DELETE FROM actions WHERE time < ?", (cutoff,)).rowcount
