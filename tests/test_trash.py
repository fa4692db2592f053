"""The trash: removed documents kept for a number of days, restorable, never overwriting a newer file."""

import datetime as dt
from pathlib import Path

import pytest

from bot.trash import Trash, TrashError


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Trash]:
    knowledge = tmp_path / "knowledge"
    (knowledge / "sub").mkdir(parents=True)
    (knowledge / "costs.md").write_text("# Costs\n\nPrices vary.")
    (knowledge / "sub" / "aftercare notes.md").write_text("# Aftercare\n\nRest.")
    return knowledge, Trash(tmp_path / "data", knowledge, retention_days=30)


def test_put_and_restore_round_trip_keeps_bytes_and_place(folders) -> None:
    knowledge, trash = folders
    item = trash.put("sub/aftercare notes.md")
    assert not (knowledge / "sub" / "aftercare notes.md").exists()
    assert item.original == "sub/aftercare notes.md" and item.path.parent == trash.folder
    assert item.expires_at - item.removed_at == dt.timedelta(days=30)
    assert [i.name for i in trash.items()] == [item.name]
    restored = trash.restore(item.name)
    assert restored.original == "sub/aftercare notes.md"
    assert (knowledge / "sub" / "aftercare notes.md").read_text() == "# Aftercare\n\nRest." and trash.items() == []


def test_restore_by_original_name_takes_the_newest_copy(folders) -> None:
    knowledge, trash = folders
    trash.put("costs.md")
    (knowledge / "costs.md").write_text("# Costs\n\nPrices changed.")
    newest = trash.put("costs.md")  # the same document removed twice within a second keeps both copies
    assert len(trash.items()) == 2 and trash.items()[0].name == newest.name
    trash.restore("costs.md")
    assert (knowledge / "costs.md").read_text() == "# Costs\n\nPrices changed."


def test_restore_never_overwrites_and_unknown_names_are_refused(folders) -> None:
    knowledge, trash = folders
    item = trash.put("costs.md")
    (knowledge / "costs.md").write_text("# Costs\n\nA new version written since.")
    with pytest.raises(TrashError, match="exists in the knowledge folder again"):
        trash.restore(item.name)
    assert (knowledge / "costs.md").read_text().endswith("written since.")
    with pytest.raises(TrashError, match="not in the trash"):
        trash.restore("nothing.md")
    with pytest.raises(TrashError, match="not a file"):
        trash.put("missing.md")


def test_entries_older_than_the_retention_are_deleted(folders) -> None:
    _, trash = folders
    item = trash.put("costs.md")
    assert trash.purge(now=item.removed_at + dt.timedelta(days=29)) == []
    assert [gone.name for gone in trash.purge(now=item.removed_at + dt.timedelta(days=30))] == [item.name]
    assert not item.path.exists() and trash.items() == []
