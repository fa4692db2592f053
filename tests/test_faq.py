from pathlib import Path

import pytest

from bot.documents import load_document
from bot.faq import FaqError, load_faq
from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"


def test_shipped_faq_is_curated_and_points_at_real_sections() -> None:
    entries = load_faq(KNOWLEDGE / "faq.yaml")
    assert len(entries) >= 15
    assert sum(1 for e in entries if e.alternates) >= 15
    for entry in entries:
        doc = load_document(KNOWLEDGE, KNOWLEDGE / entry.source)
        headings = {s.heading for s in doc.sections}
        assert entry.section in headings, f"{entry.id}: section {entry.section!r} not in {entry.source}"


def test_unknown_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(
        "entries:\n  - {id: a, question: 'Why is that', answer: 'Because of this', source: a.md, answr: typo}\n"
    )
    with pytest.raises(FaqError, match="answr"):
        load_faq(path)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    entry = "{id: a, question: 'Why is that', answer: 'Because of this', source: a.md}"
    path.write_text(f"entries:\n  - {entry}\n  - {entry}\n")
    with pytest.raises(FaqError, match="duplicate"):
        load_faq(path)


def test_missing_file_means_no_faq(tmp_path: Path) -> None:
    assert load_faq(tmp_path / "faq.yaml") == []
