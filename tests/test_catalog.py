from pathlib import Path

import pytest

from bot.catalog import UploadRefused, dependents, document_statuses, faq_notes, remove_document, save_upload
from bot.embedding import Embedder
from bot.ingestion import ingest
from bot.settings import Settings
from bot.stores import make_store
from tests.factories import docx_bytes
from tests.staff_helpers import knowledge_copy


@pytest.fixture
def kb(tmp_path: Path, published: Settings) -> Settings:
    return knowledge_copy(tmp_path, published)


@pytest.mark.parametrize(
    "name",
    [
        "../evil.md",
        "..\\evil.md",
        "/etc/passwd.md",
        "sub/dir.md",
        ".hidden.md",
        "..md",
        "a\x00b.md",
        "",
        "x" * 200 + ".md",
    ],
)
def test_path_traversal_and_odd_names_are_refused(kb: Settings, name: str) -> None:
    with pytest.raises(UploadRefused):
        save_upload(kb, name, b"# Title\n\nSome text.")
    assert not (kb.knowledge_dir.parent / "evil.md").exists()


def test_type_size_and_content_are_checked_before_anything_is_written(kb: Settings) -> None:
    with pytest.raises(UploadRefused, match="unsupported"):
        save_upload(kb, "run.exe", b"MZ")
    with pytest.raises(UploadRefused, match="limit"):
        save_upload(kb.model_copy(update={"max_file_bytes": 10}), "big.md", b"# A\n\n" + b"x" * 100)
    with pytest.raises(UploadRefused, match="binary"):
        save_upload(kb, "photo.md", b"\x89PNG\x00\x00")
    assert sorted(p.name for p in kb.knowledge_dir.iterdir()) == [
        "faq.yaml",
        "stem-cell-claims-and-evidence.md",
        "stem-cell-clinical-trials-travel-and-reporting.md",
        "stem-cell-evidence-by-disease.md",
        "stem-cell-look-alike-treatments.md",
        "stem-cell-safety-and-risks.md",
        "stem-cell-therapy-the-balanced-picture.md",
        "stem-cell-treatment-what-to-expect.md",
        "stem-cells-for-autoimmune-diseases.md",
    ]


def test_statuses_follow_uploads_ingests_and_removals(embedder: Embedder, kb: Settings) -> None:
    store = make_store(kb)
    ingest(kb, embedder)
    save_upload(kb, "costs.docx", docx_bytes("Costs", {"Prices": ["Prices vary between clinics."]}))
    rows = {row.path: row for row in document_statuses(kb, store)}
    assert rows["costs.docx"].status.startswith("new")
    assert rows["stem-cells-for-autoimmune-diseases.md"].status == "indexed"
    assert rows["stem-cells-for-autoimmune-diseases.md"].chunks > 0
    assert rows["stem-cells-for-autoimmune-diseases.md"].reviewed == "2026-11-25"
    # published even if the publish gate would hold it (its subject in test_publish_gate): statuses follow publishing
    assert ingest(kb, embedder, force=True).published
    assert {r.path: r.status for r in document_statuses(kb, store)}["costs.docx"] == "indexed"
    remove_document(kb, "costs.docx")
    assert {r.path: r.status for r in document_statuses(kb, store)}["costs.docx"].startswith("removed")
    with pytest.raises(UploadRefused):
        remove_document(kb, "../faq.yaml")


def test_expired_document_is_reported_and_left_out_of_answers(embedder: Embedder, kb: Settings) -> None:
    from bot.conversation import Assistant

    path = kb.knowledge_dir / "stem-cell-therapy-the-balanced-picture.md"
    path.write_text(path.read_text().replace("review_by: 2027-11-27", "review_by: 2020-01-01"))
    report = ingest(kb, embedder)
    assert report.expired == ["stem-cell-therapy-the-balanced-picture.md"] and "EXPIRED" in report.table()
    statuses = {r.path: r.status for r in document_statuses(kb, make_store(kb))}
    assert statuses["stem-cell-therapy-the-balanced-picture.md"] == "expired"
    answer = Assistant(kb, embedder).ask("What is Ryoncil?")
    assert all("Balanced Picture" not in c.title for c in answer.citations)
    shown = Assistant(kb.model_copy(update={"exclude_expired": False}), embedder).ask("What is Ryoncil?")
    assert any("Balanced Picture" in c.title for c in shown.citations)


def test_bad_dates_and_a_broken_faq_are_shown_with_their_reason(kb: Settings) -> None:
    (kb.knowledge_dir / "late.md").write_text("---\ntitle: Late\nreview_by: 2026-13-01\n---\n## A\n\nSome text.\n")
    (kb.knowledge_dir / "vague.md").write_text("---\ntitle: Vague\nreviewed: next spring\n---\n## A\n\nSome text.\n")
    statuses = {r.path: r.status for r in document_statuses(kb, make_store(kb))}
    assert (
        statuses["late.md"] == "failed: review_by '2026-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2027-11-25"
    )
    assert statuses["vague.md"].startswith("failed: reviewed 'next spring' is not a date")
    with pytest.raises(UploadRefused, match="review_by '2026-13-01' is not a date"):
        save_upload(kb, "late-again.md", (kb.knowledge_dir / "late.md").read_bytes())
    faq_before = (kb.knowledge_dir / "faq.yaml").read_bytes()
    with pytest.raises(UploadRefused, match=r"not valid, so it was not saved: not readable YAML at line 1, column 36"):
        save_upload(kb, "faq.yaml", b"entries: [ {id: BAD ID, typo_key: 1")
    assert (kb.knowledge_dir / "faq.yaml").read_bytes() == faq_before
    assert not any(p.name.startswith(".upload-") for p in kb.knowledge_dir.iterdir())


def test_removal_names_what_depends_on_a_document_and_goes_to_the_trash(kb: Settings) -> None:
    found = dependents(kb, "stem-cell-claims-and-evidence.md")
    assert {entry.id for entry in found.faq} == {
        "how-it-might-work",
        "immune-reset",
        "tissue-repair",
        "immunosuppressants",
        "rejection",
        "success-rates",
        "quality-of-life",
    }
    assert not dependents(kb, "stem-cells-for-autoimmune-diseases.md").any  # the clinic's claims: no FAQ cites it
    assert not dependents(kb, "nothing.md").any
    assert faq_notes(kb) == []
    item = remove_document(kb, "stem-cell-claims-and-evidence.md")
    assert item.path.exists() and item.original == "stem-cell-claims-and-evidence.md"
    assert any("cites 'stem-cell-claims-and-evidence.md'" in note for note in faq_notes(kb))
