"""Ingest into a real Chroma store in a temp dir, with the real model."""

from pathlib import Path

import pytest

from bot.conversation import Assistant
from bot.embedding import Embedder
from bot.index import IndexModelMismatch, LiveIndex, read_active
from bot.ingestion import ingest
from bot.replies import Kind
from bot.settings import PROJECT_ROOT, Settings
from bot.stores import make_store
from tests.conftest import copy_knowledge
from tests.staff_helpers import knowledge_copy

SHIPPED_DOCUMENTS = sorted(p.name for p in (PROJECT_ROOT / "knowledge").glob("*.md"))

DOC = """---
title: Visiting Notes
source: clinic
reviewed: 2026-01-01
---
## Parking at the Elm Street clinic

Patients park free in the blue garage behind the Elm Street clinic and bring the ticket to reception.
"""
NEW_TEXTS = 3
"""Texts the model embeds for DOC: its one chunk, its section heading and its one sentence."""


@pytest.fixture
def kb(tmp_path: Path, published: Settings) -> Settings:
    return knowledge_copy(tmp_path, published)


def test_first_ingest_publishes_and_second_is_a_no_op(embedder: Embedder, tmp_path: Path) -> None:
    kb = Settings(knowledge_dir=copy_knowledge(tmp_path / "knowledge"), data_dir=tmp_path / "data")  # a cold cache
    first = ingest(kb, embedder)
    assert first.published and first.exit_code == 0
    assert sorted(first.added) == SHIPPED_DOCUMENTS
    assert first.embedded >= first.chunks > 10
    second = ingest(kb, embedder)
    assert second.up_to_date and not second.published
    assert second.embedded == 0 and second.version == first.version
    assert read_active(make_store(kb)).version == first.version


def test_changed_and_new_documents_reuse_cached_embeddings(embedder: Embedder, kb: Settings) -> None:
    first = ingest(kb, embedder)
    (kb.knowledge_dir / "aftercare.md").write_text(DOC)
    # published even if the publish gate would hold it (a new document can move a borderline curated phrasing)
    report = ingest(kb, embedder, force=True)
    assert report.published and report.added == ["aftercare.md"]
    assert report.embedded == NEW_TEXTS  # only the new document's texts reached the model
    assert report.chunks == first.chunks + 1
    live = LiveIndex(make_store(kb), embedder.model_id).current()
    assert live.info.documents == len(SHIPPED_DOCUMENTS) + 1
    assert len({c.id for c in live.chunks}) == len(live.chunks) == report.chunks  # no duplicates


def test_removed_document_is_never_cited_again(embedder: Embedder, kb: Settings) -> None:
    (kb.knowledge_dir / "aftercare.md").write_text(DOC)
    ingest(kb, embedder)
    assistant = Assistant(kb, embedder)
    before = assistant.ask("Where do patients park at the Elm Street clinic?")
    assert any(c.title == "Visiting Notes" for c in before.citations)
    (kb.knowledge_dir / "aftercare.md").unlink()
    report = ingest(kb, embedder, force=True)  # as above: this test is about what a published removal does
    assert report.published and report.removed == ["aftercare.md"]
    after = assistant.ask("Where do patients park at the Elm Street clinic?")  # same process: follows the flip
    assert all(c.title != "Visiting Notes" for c in after.citations)
    assert after.index_version == report.version


def test_bad_files_are_reported_and_good_ones_still_ingested(embedder: Embedder, kb: Settings) -> None:
    (kb.knowledge_dir / "empty.md").write_text("")
    (kb.knowledge_dir / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (kb.knowledge_dir / "old.txt").write_bytes("caf\xe9".encode("latin-1"))
    (kb.knowledge_dir / "tool.exe").write_bytes(b"MZ")
    outside = kb.knowledge_dir.parent / "secret.md"
    outside.write_text("# Secret\n\nNot for patients.")
    (kb.knowledge_dir / "link.md").symlink_to(outside)
    report = ingest(kb, embedder)
    assert report.published and report.exit_code == 1
    reasons = {f.path: f.reason for f in report.failed}
    assert set(reasons) == {"empty.md", "photo.md", "old.txt", "tool.exe", "link.md"}
    assert "outside" in reasons["link.md"]
    assert len(report.added) == len(SHIPPED_DOCUMENTS)


def test_nothing_valid_publishes_nothing_and_keeps_the_live_index(
    embedder: Embedder, kb: Settings, tmp_path: Path
) -> None:
    live_version = ingest(kb, embedder).version
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "empty.md").write_text("")
    report = ingest(kb.model_copy(update={"knowledge_dir": broken}), embedder)
    assert not report.published and report.exit_code == 2
    assert read_active(make_store(kb)).version == live_version


def test_faq_entry_citing_a_missing_document_is_reported(embedder: Embedder, kb: Settings) -> None:
    (kb.knowledge_dir / "stem-cell-claims-and-evidence.md").unlink()
    report = ingest(kb, embedder)
    assert report.published
    assert any(f.path == "faq.yaml" and "how-it-might-work" in f.reason for f in report.failed)


def test_dry_run_writes_nothing(embedder: Embedder, kb: Settings) -> None:
    report = ingest(kb, embedder, dry_run=True)
    assert report.dry_run and not report.published and report.exit_code == 0
    assert report.added and read_active(make_store(kb)) is None


def test_a_folder_without_faq_is_served(embedder: Embedder, kb: Settings) -> None:
    (kb.knowledge_dir / "faq.yaml").unlink()
    assert ingest(kb, embedder).published
    answer = Assistant(kb, embedder).ask("What did the MESEMS trial find?")
    assert answer.kind == "answer" and answer.suggestions == ()


def test_an_index_built_with_another_model_is_never_served(
    published: Settings, onnx_embedder: Embedder, embedder: Embedder
) -> None:
    """The session index was built with the torch backend: an int8 process must refuse it, not answer from it."""
    other = Assistant(published, onnx_embedder)
    with pytest.raises(IndexModelMismatch, match="BOT_EMBEDDING_BACKEND"):
        other.ask("What are mesenchymal stem cells?")
    assert other.ask("I have crushing chest pain right now").kind is Kind.EMERGENCY  # safety needs no index
    assert read_active(make_store(published)).embedding_model == embedder.model_id
    assert Assistant(published, embedder).ask("What are mesenchymal stem cells?").kind is Kind.ANSWER
