"""Content checks on real text: curated answers against the sections they cite, and reading grades."""

from pathlib import Path

import pytest

from bot.content_checks import (
    SUPPORT_THRESHOLD,
    check_support,
    claim_sentences,
    document_grades,
    document_pieces,
    readable_body,
    reading_grade,
    section_texts,
)
from bot.documents import load_document
from bot.embedding import Embedder
from bot.faq import FaqEntry
from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"
BALANCED = "stem-cell-therapy-the-balanced-picture.md"
HANDOUT = "stem-cells-for-autoimmune-diseases.md"


@pytest.fixture(scope="module")
def docs():
    return [load_document(KNOWLEDGE, KNOWLEDGE / name) for name in (BALANCED, HANDOUT)]


def entry(answer: str, section: str | None, source: str = BALANCED, entry_id: str = "e") -> FaqEntry:
    return FaqEntry(id=entry_id, question="A question?", answer=answer, source=source, section=section)


def test_a_faithful_paraphrase_is_supported(docs, embedder: Embedder) -> None:
    faithful = entry(
        "The FDA approved Ryoncil in December 2024, made from donor bone-marrow MSCs, for children with "
        "steroid-refractory acute graft-versus-host disease. It is not approved for autoimmune diseases.",
        "What is Ryoncil?",
    )
    assert check_support([faithful], section_texts(document_pieces(docs)), embedder.encode) == []


def test_a_sentence_from_elsewhere_is_named_with_its_score(docs, embedder: Embedder) -> None:
    drifted = entry(
        "Clinic stem cell treatments are usually not paid for by insurance. Treatment regenerates damaged organs "
        "within weeks.",
        "How much does stem cell treatment cost, and does insurance pay?",
        entry_id="drifted",
    )
    [problem] = check_support([drifted], section_texts(document_pieces(docs)), embedder.encode)
    assert problem.entry_id == "drifted" and not problem.missing
    assert [s.sentence for s in problem.sentences] == ["Treatment regenerates damaged organs within weeks."]
    assert problem.sentences[0].similarity < SUPPORT_THRESHOLD
    assert "Source:" not in (problem.sentences[0].nearest or "")  # the section's source line is no passage
    assert "drifted" in problem.line() and "regenerates damaged organs" in problem.line()


def test_a_sentence_condensing_several_of_its_section_is_supported(docs, embedder: Embedder) -> None:
    """A summary of two or three sentences matches their run, not any single one of them."""
    summary = entry(
        "Ask about other treatments, the expected benefit, where the cells come from and the published evidence, "
        "and get advice from a doctor outside the clinic.",
        "What should I ask before any stem cell treatment?",
    )
    cited = section_texts(document_pieces(docs))
    assert check_support([summary], cited, embedder.encode) == []
    # no single sentence of the section would have carried it: the run of sentences does
    [sentence] = claim_sentences(summary.answer)
    singles = embedder.encode(claim_sentences(cited(summary) or ""))
    assert float((singles @ embedder.encode([sentence])[0]).max()) < SUPPORT_THRESHOLD


def test_a_missing_section_or_document_is_reported(docs, embedder: Embedder) -> None:
    gone = entry("Rest for two days after the procedure.", "Aftercare", entry_id="gone")
    elsewhere = entry("Rest for two days after the procedure.", None, source="aftercare.md", entry_id="nodoc")
    problems = check_support([gone, elsewhere], section_texts(document_pieces(docs)), embedder.encode)
    assert [(p.entry_id, p.missing) for p in problems] == [("gone", True), ("nodoc", True)]
    assert "does not exist" in problems[0].line()


def test_claim_sentences_drop_markup_and_fragments() -> None:
    assert claim_sentences("Yes. **Stem cells** are [studied](https://x.example) in trials.") == [
        "Stem cells are studied in trials."
    ]


def test_reading_grade_orders_plain_and_technical_text() -> None:
    plain = "Rest for two days. Drink water. Call us if the spot gets red or hot."
    technical = (
        "Autologous hematopoietic stem cell transplantation uses myeloablative chemotherapy to reconstitute "
        "immunological tolerance, followed by reinfusion of cryopreserved peripheral blood progenitor cells."
    )
    assert reading_grade(plain) < 6 < 14 < reading_grade(technical)
    assert reading_grade("") is None and reading_grade("12 34") is None


def test_reading_grade_reads_the_body_only(docs, tmp_path: Path) -> None:
    """Front matter, headings and the reference list are not prose a patient reads."""
    balanced = docs[0]
    body = readable_body(balanced)
    assert "title:" not in body and "## " not in body and "Balanced Picture" not in body
    assert "Hemacord" in body and "https://" not in body
    # each section's "Source: [..](url)" line names studies, it is not prose: left out like a Sources list
    assert "Source:" not in body and "Consumer Alert on Regenerative Medicine" not in body
    grades = document_grades(docs)
    assert set(grades) == {BALANCED, HANDOUT}
    assert all(6 < grade < 18 for grade in grades.values())
    # a list without full stops counts as one sentence per item, not one endless sentence
    (tmp_path / "list.md").write_text("## Bring\n\n- your medicines\n- a friend to drive you home\n- loose clothes\n")
    listed = load_document(tmp_path, tmp_path / "list.md")
    assert readable_body(listed).count(".") == 3 and reading_grade(readable_body(listed)) < 5
