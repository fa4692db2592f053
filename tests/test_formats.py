"""Every supported format through the real parsers, and every kind of bad file."""

from pathlib import Path

import pytest

from bot.documents import DocumentError, load_document
from tests.factories import HTML_PAGE, docx_bytes, encrypted_pdf_bytes, pdf_bytes, write


def test_html_keeps_main_text_and_headings_only(tmp_path: Path) -> None:
    doc = load_document(tmp_path, write(tmp_path / "guide.html", HTML_PAGE))
    assert doc.title == "Injection Day Guide"
    assert (doc.reviewed, doc.review_by, doc.source) == (
        "2026-09-01",
        "2027-09-01",
        "https://clinic.example/injection-day",
    )
    assert [s.heading for s in doc.sections] == ["Before you arrive", "After the injection"]
    text = " ".join(s.text for s in doc.sections)
    assert "- Bring your medication list." in text and "Rest for the remainder" in text
    for furniture in ("SCRIPT-TEXT", "NAV-TEXT", "HEADER-TEXT", "FOOTER-TEXT", "color:red"):
        assert furniture not in text


def test_pdf_text_layer_and_properties(tmp_path: Path) -> None:
    data = pdf_bytes(["Stem cell products need FDA approval.", "Ask about clinical trials."], title="FDA Basics")
    doc = load_document(tmp_path, write(tmp_path / "fda.pdf", data))
    assert doc.title == "FDA Basics" and doc.reviewed == "2026-05-01" and doc.review_by == "2027-05-01"
    assert "FDA approval" in doc.sections[0].text


def test_docx_headings_become_sections(tmp_path: Path) -> None:
    data = docx_bytes(
        "Costs Explained",
        {"What it costs": ["Prices vary between clinics."], "Insurance": ["Insurance rarely covers it."]},
        comments="reviewed: 2026-03-01; source: Billing office",
    )
    doc = load_document(tmp_path, write(tmp_path / "costs.docx", data))
    assert doc.title == "Costs Explained" and doc.reviewed == "2026-03-01" and doc.source == "Billing office"
    assert [s.heading for s in doc.sections] == ["What it costs", "Insurance"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("locked.pdf", encrypted_pdf_bytes(["secret text"]), "encrypted"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog garbage", "PDF"),
        ("notreally.pdf", b"hello, I am text", "PDF"),
        ("scan.pdf", pdf_bytes([]), "no text layer"),
        ("broken.docx", b"PK\x03\x04 not a zip", "Word file"),
        ("empty.html", b"  ", "empty"),
        ("image.html", b"GIF89a\x00\x00", "binary"),
    ],
)
def test_bad_files_of_each_format_are_explained(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    with pytest.raises(DocumentError) as caught:
        load_document(tmp_path, write(tmp_path / name, data))
    assert reason in caught.value.reason


def test_files_over_the_size_limit_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "huge.md", "# Big\n\n" + "word " * 3000)
    with pytest.raises(DocumentError, match="over the 1,000-byte limit"):
        load_document(tmp_path, path, max_bytes=1000)
