"""The staff action log: what is recorded, in what order, and for how long."""

import datetime as dt
import sqlite3
from pathlib import Path

from bot.staff_log import Action, StaffLog, cli_user


def test_actions_are_recorded_newest_first(tmp_path: Path) -> None:
    log = StaffLog(tmp_path, retention_days=90)
    log.record("ana", Action.UPLOAD, document="costs.md", content_hash="ab" * 32, index_version="kb-1", outcome="ok")
    log.record("ben", Action.REMOVE, document="costs.md", index_version="kb-2", outcome="moved to trash")
    log.record(None, Action.REINGEST)
    entries = log.entries()
    assert [(e.user, e.action, e.document) for e in entries] == [
        ("unknown", "re-ingest", ""),
        ("ben", "remove", "costs.md"),
        ("ana", "upload", "costs.md"),
    ]
    assert entries[2].content_hash == "ab" * 32 and entries[2].index_version == "kb-1"
    assert dt.datetime.fromisoformat(entries[0].time).tzinfo is not None
    assert StaffLog(tmp_path, retention_days=90).entries() == entries  # a file: survives a restart


def test_actions_are_kept_for_the_retention_period_only(tmp_path: Path) -> None:
    log = StaffLog(tmp_path, retention_days=90)
    log.record("ana", Action.UPLOAD, document="old.md")
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=91)).isoformat(timespec="seconds")
    with sqlite3.connect(log.path) as db:
        db.execute("UPDATE actions SET time = ?", (old,))
    log.record("ben", Action.UPLOAD, document="new.md")
    assert [e.document for e in log.entries()] == ["new.md"]


def test_command_line_actions_name_the_login() -> None:
    assert cli_user().startswith("cli")
