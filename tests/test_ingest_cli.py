"""``ingest.py`` as staff run it: reports, exit codes, and the live index kept through every failure.

``main`` runs in this process with the session's model (the argument parsing, settings from the
environment, the printed report and the exit code are the command's own).
"""

import json
import shutil
from pathlib import Path

import pytest

from bot.conversation import Assistant
from bot.embedding import Embedder
from bot.index import read_active
from bot.settings import PROJECT_ROOT, Settings
from bot.staff_log import StaffLog
from bot.stores import make_store
from ingest import main
from tests.staff_helpers import AFTERCARE, knowledge_copy

BALANCED = "stem-cell-therapy-the-balanced-picture.md"
FAQ_QUESTION = "Can stem cell therapy reduce the need for immunosuppressant drugs?"
FAQ_SECTION = "Can stem cell treatment reduce the need for immunosuppressant drugs?"
CITED = "stem-cell-claims-and-evidence.md"  # the immunosuppressants entry and six more cite it
SHIPPED = len(list((PROJECT_ROOT / "knowledge").glob("*.md")))


@pytest.fixture
def kb(tmp_path: Path, published: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    settings = knowledge_copy(tmp_path, published)
    monkeypatch.setenv("BOT_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", str(settings.knowledge_dir))
    return settings


def live_faq_answer(settings: Settings, embedder: Embedder, version: str) -> None:
    """The live bot answers from ``version``, its curated FAQ included."""
    answer = Assistant(settings, embedder).ask(FAQ_QUESTION)
    assert answer.index_version == version
    assert answer.kind == "answer" and answer.citations[0].section == FAQ_SECTION


def test_a_duplicated_document_is_reported_and_the_rest_published(kb: Settings, embedder: Embedder, capsys) -> None:
    shutil.copyfile(kb.knowledge_dir / BALANCED, kb.knowledge_dir / "copy of the guide.md")
    assert main(["--json"], embedder) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["published"] and report["exit_code"] == 0
    # the copy sorts first, but the original is the one the FAQ cites: the original is kept
    assert report["duplicates"] == [{"path": "copy of the guide.md", "reason": f"same content as {BALANCED}"}]
    assert report["failed"] == []
    assert read_active(make_store(kb)).documents == SHIPPED  # the copy is not indexed
    (kb.knowledge_dir / "aftercare.md").write_text(AFTERCARE)
    assert main([], embedder) == 0
    assert f"SKIPPED copy of the guide.md: same content as {BALANCED}" in capsys.readouterr().out


def test_an_unexpected_error_exits_4_with_one_line_and_the_live_index_serves(
    kb: Settings, embedder: Embedder, capsys
) -> None:
    assert main([], embedder) == 0
    live = read_active(make_store(kb)).version
    capsys.readouterr()
    (kb.data_dir / "cache" / "embeddings.sqlite3").write_bytes(b"this is not a database" * 100)
    (kb.knowledge_dir / "aftercare.md").write_text(AFTERCARE)
    assert main([], embedder) == 4
    captured = capsys.readouterr()
    [line] = captured.err.strip().splitlines()
    assert line.startswith("error: ingest failed unexpectedly (DatabaseError: file is not a database)")
    assert f"the live index {live} keeps serving" in line and "ingest-error.log" in line
    assert "Traceback" in (kb.data_dir / "ingest-error.log").read_text() and captured.out == ""
    assert read_active(make_store(kb)).version == live
    live_faq_answer(kb, embedder, live)


def test_a_malformed_faq_or_a_bad_date_gets_a_clear_line_and_the_live_faq_keeps_answering(
    kb: Settings, embedder: Embedder, capsys
) -> None:
    assert main([], embedder) == 0
    live = read_active(make_store(kb)).version
    capsys.readouterr()
    good_faq = (kb.knowledge_dir / "faq.yaml").read_text()
    (kb.knowledge_dir / "faq.yaml").write_text("entries: [ {id: BAD ID, typo_key: 1")
    assert main([], embedder) == 2
    out = capsys.readouterr().out
    assert "INVALID faq.yaml: not readable YAML at line 1, column 36" in out and "fix faq.yaml first" in out
    assert read_active(make_store(kb)).version == live
    live_faq_answer(kb, embedder, live)

    (kb.knowledge_dir / "faq.yaml").write_text(good_faq)
    (kb.knowledge_dir / "aftercare.md").write_text(AFTERCARE)
    for name, when in (("late.md", "2026-13-01"), ("vague.md", "next spring")):
        (kb.knowledge_dir / name).write_text(AFTERCARE.replace("review_by: 2027-11-01", f"review_by: {when}"))
    assert main([], embedder) == 1  # published, with the two files named
    out = capsys.readouterr().out
    assert "FAILED  late.md: review_by '2026-13-01' is not a date; write it as YYYY-MM-DD" in out
    assert "FAILED  vague.md: review_by 'next spring' is not a date" in out
    assert "Published index" in out and read_active(make_store(kb)).documents == SHIPPED + 1


def test_a_held_index_is_published_with_force_and_logged(kb: Settings, embedder: Embedder, capsys) -> None:
    assert main([], embedder) == 0
    capsys.readouterr()
    (kb.knowledge_dir / CITED).unlink()
    assert main([], embedder) == 3
    out = capsys.readouterr().out
    assert f'LOST    "{FAQ_QUESTION}"' in out and "HELD" in out
    assert main(["--force"], embedder) == 1  # published; the FAQ entries left out are still reported
    assert "anyway, as asked (--force)" in capsys.readouterr().out
    actions = [(e.user.split(":")[0], e.action) for e in StaffLog(kb.data_dir, 90).entries()]
    assert actions == [("cli", "publish anyway"), ("cli", "re-ingest"), ("cli", "re-ingest")]


def test_an_invalid_setting_stops_the_command(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("BOT_MAX_FILE_BYTES", "a lot")
    assert main([]) == 2
    assert "BOT_MAX_FILE_BYTES: 'a lot': Input should be a valid integer" in capsys.readouterr().err
