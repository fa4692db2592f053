"""The shipped knowledge folder is readable, sourced, labelled and consistent with the FAQ (real files, no mocks).

The documents are the medical content patients get, so these checks hold every document the project writes to
the plain-language target (Flesch-Kincaid grade 8 or lower, as patient-education guidance recommends), to a
link on every section, and to a declared role: `evidence` (written from primary sources) or `claims` (the
clinic's own material).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import frontmatter
import pytest

from bot.documents import load_document
from bot.embedding import Embedder
from bot.faq import load_faq
from bot.settings import PROJECT_ROOT

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # textstat 0.7.4 imports pkg_resources, which warns on import
    import textstat

KNOWLEDGE = PROJECT_ROOT / "knowledge"
DOCUMENTS = sorted(KNOWLEDGE.glob("*.md"))
FAQ = load_faq(KNOWLEDGE / "faq.yaml")
ROLES = {"evidence", "claims"}
MAX_GRADE = 8.0
"""Patient-education guidance (AMA, NIH) aims at grade 6-8; 8 is the ceiling for everything the project writes."""
MAX_SINGLE_ANSWER_GRADE = 9.5
"""One answer is two to four sentences: a single long word moves its grade by a point or more, so each answer is
held to a looser bound and the answers measured together are held to MAX_GRADE."""

_HEADING = re.compile(r"^#{1,6}\s")
_SOURCE_LINE = re.compile(r"^Source:\s")
_LINK = re.compile(r"\[[^\]]+\]\(https://[^)\s]+\)")
_SOURCES_HEADING = re.compile(r"^sources?$", re.IGNORECASE)


def _meta(path: Path) -> dict[str, object]:
    return dict(frontmatter.loads(path.read_text(encoding="utf-8")).metadata)


def _body(path: Path) -> str:
    return frontmatter.loads(path.read_text(encoding="utf-8")).content


def readable_text(markdown: str) -> str:
    """What a patient reads: the body without headings, `Source:` lines and any final `## Sources` list."""
    kept: list[str] = []
    in_sources = False
    for line in markdown.splitlines():
        if _HEADING.match(line):
            in_sources = bool(_SOURCES_HEADING.match(line.lstrip("#").strip()))
            continue
        if in_sources or _SOURCE_LINE.match(line.strip()):
            continue
        kept.append(re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line))
    return "\n".join(kept)


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


def evidence_documents() -> list[Path]:
    return [path for path in DOCUMENTS if _meta(path).get("role") == "evidence"]


def level2_sections(markdown: str) -> dict[str, str]:
    """Each `##` heading with its text, down to the next `##` heading (`###` subsections included)."""
    sections: dict[str, str] = {}
    current: str | None = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    return sections


def test_there_are_evidence_documents_and_one_claims_document() -> None:
    roles = [_meta(path).get("role") for path in DOCUMENTS]
    assert roles.count("evidence") >= 4
    assert roles.count("claims") >= 1


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_document_declares_its_role(path: Path) -> None:
    assert _meta(path).get("role") in ROLES, f"{path.name}: front matter needs role: evidence or role: claims"


@pytest.mark.parametrize("path", evidence_documents(), ids=lambda p: p.name)
def test_evidence_documents_read_at_grade_8_or_lower(path: Path) -> None:
    text = readable_text(_body(path))
    assert len(text.split()) > 100
    assert grade(text) <= MAX_GRADE, f"{path.name}: Flesch-Kincaid grade {grade(text):.1f}"


@pytest.mark.parametrize("path", evidence_documents(), ids=lambda p: p.name)
def test_every_section_of_an_evidence_document_links_its_source(path: Path) -> None:
    sections = level2_sections(_body(path))
    assert sections, f"{path.name} has no ## sections"
    unlinked = [h for h, text in sections.items() if not _SOURCES_HEADING.match(h) and not _LINK.search(text)]
    assert not unlinked, f"{path.name}: sections without a [title](https://...) source link: {unlinked}"


@pytest.mark.parametrize("path", evidence_documents(), ids=lambda p: p.name)
def test_evidence_documents_carry_the_review_front_matter(path: Path) -> None:
    meta = _meta(path)
    for key in ("title", "source", "reviewed", "review_by"):
        assert meta.get(key), f"{path.name}: front matter lacks {key}"


def test_faq_answers_read_at_grade_8_or_lower() -> None:
    answers = [entry.answer for entry in FAQ]
    assert grade("\n".join(answers)) <= MAX_GRADE, f"all FAQ answers together: grade {grade(chr(10).join(answers)):.1f}"
    hard = {e.id: round(grade(e.answer), 1) for e in FAQ if grade(e.answer) > MAX_SINGLE_ANSWER_GRADE}
    assert not hard, f"FAQ answers above grade {MAX_SINGLE_ANSWER_GRADE}: {hard}"


@pytest.mark.parametrize("entry", FAQ, ids=lambda e: e.id)
def test_faq_entry_cites_an_existing_document_and_heading(entry) -> None:
    path = KNOWLEDGE / entry.source
    assert path.is_file(), f"{entry.id}: {entry.source} does not exist"
    headings = {section.heading for section in load_document(KNOWLEDGE, path).sections}
    assert entry.section in headings, f"{entry.id}: no heading {entry.section!r} in {entry.source}"


def test_faq_phrasings_are_unique_across_entries() -> None:
    seen: dict[str, str] = {}
    for entry in FAQ:
        for phrasing in entry.phrasings:
            key = re.sub(r"[^a-z0-9 ]", "", phrasing.lower()).strip()
            assert key not in seen or seen[key] == entry.id, f"{phrasing!r} in {entry.id} and {seen[key]}"
            seen[key] = entry.id


NEAR_DUPLICATE = 0.9
"""Two phrasings of different FAQ entries this similar (cosine, bundled model) would send a question to either."""


def test_faq_phrasings_of_different_entries_are_not_near_duplicates(embedder: Embedder) -> None:
    phrasings = [(entry.id, text) for entry in FAQ for text in entry.phrasings]
    vectors = embedder.encode([text for _, text in phrasings])
    sims = vectors @ vectors.T
    close = [
        (round(float(sims[i, j]), 3), phrasings[i], phrasings[j])
        for i in range(len(phrasings))
        for j in range(i + 1, len(phrasings))
        if phrasings[i][0] != phrasings[j][0] and sims[i, j] >= NEAR_DUPLICATE
    ]
    assert not close, close
