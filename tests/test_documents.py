from pathlib import Path

import pytest

from bot.documents import DocumentError, load_document, split_markdown_sections
from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_front_matter_gives_title_source_and_dates() -> None:
    doc = load_document(KNOWLEDGE, KNOWLEDGE / "stem-cell-therapy-the-balanced-picture.md")
    assert doc.title == "Stem Cell Therapy for Autoimmune Disease: The Balanced Picture"
    assert doc.reviewed == "2026-11-27"
    assert doc.review_by == "2027-11-27"
    assert doc.path == "stem-cell-therapy-the-balanced-picture.md"
    assert len(doc.content_hash) == 64


def test_sections_follow_heading_path() -> None:
    title, sections = split_markdown_sections(
        "# Doc\n\nIntro text.\n\n## Benefits\n\nSome.\n\n### 1. Tolerance\n\nMore.\n\n## Risks\n\nRisky."
    )
    assert title == "Doc"
    assert [s.headings for s in sections] == [(), ("Benefits",), ("Benefits", "1. Tolerance"), ("Risks",)]
    assert sections[2].heading == "1. Tolerance"
    assert sections[2].text == "More."


def test_headings_inside_code_fences_are_text() -> None:
    _, sections = split_markdown_sections("## A\n\n```\n# not a heading\n```\n")
    assert len(sections) == 1 and "# not a heading" in sections[0].text


def test_missing_title_falls_back_to_heading_then_file_name(tmp_path: Path) -> None:
    with_heading = load_document(tmp_path, write(tmp_path, "a.md", b"# Heading title\n\nBody text here."))
    bare = load_document(tmp_path, write(tmp_path, "after-care_notes.txt", b"Just some text."))
    assert with_heading.title == "Heading title"
    assert bare.title == "After care notes"
    assert bare.reviewed is None


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.md", b"   \n", "empty"),
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("latin1.txt", "caf\u00e9 na\u00efve".encode("latin-1"), "not UTF-8"),
        ("notes.exe", b"hello", "unsupported file type"),
        ("header-only.md", b"---\ntitle: x\n---\n", "no text"),
        ("bad-yaml.md", b"---\ntitle: [unclosed\n---\nbody", "front matter"),
    ],
)
def test_bad_files_raise_a_clear_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    with pytest.raises(DocumentError) as caught:
        load_document(tmp_path, write(tmp_path, name, data))
    assert caught.value.path == name
    assert reason in caught.value.reason
