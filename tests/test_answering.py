"""Answering by meaning, on the real model and an index of the shipped knowledge folder."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from bot.answering import Ranking, escape, quotable, section_text
from bot.clinic_questions import read_clinic_questions
from bot.conversation import Assistant
from bot.inputs import Turn
from bot.replies import Kind
from bot.sections import Section
from bot.understanding import question_parts

SAFETY = "Is stem cell therapy safe? Known risks"
COST = "How much does stem cell treatment cost, and does insurance pay?"


def first_section(assistant: Assistant, question: str, history: list[Turn] | None = None) -> str | None:
    answer = assistant.ask(question, history or [])
    assert answer.kind is Kind.ANSWER, (question, answer.kind, answer.answer)
    return answer.citations[0].section


@pytest.mark.parametrize(
    "question",
    [
        "What are mesenchymal stem cells?",
        "What did the MESEMS trial find?",
        "Can stem cells cause vision loss?",
        "how much does it cost",
        "risks and cost?",
        "What is Ryoncil?",
    ],
)
def test_every_citation_number_has_its_entry(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.kind is Kind.ANSWER
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)]
    assert numbers == sorted(numbers) and set(numbers) == {c.id for c in answer.citations}
    assert {c.id for c in answer.citations} == set(range(1, len(answer.citations) + 1))
    for citation in answer.citations:
        assert citation.title and citation.snippet and citation.reviewed == "2026-11-27"
        assert citation.url and citation.url.startswith("http")  # each section names its primary source


def test_a_compound_question_is_answered_in_its_parts(assistant: Assistant) -> None:
    answer = assistant.ask("risks and cost?")
    assert [c.section for c in answer.citations][:2] == [SAFETY, COST]
    assert answer.answer.count("[1]") == 1 and answer.answer.count("[2]") == 1


def test_a_word_the_question_only_shares_does_not_win(assistant: Assistant) -> None:
    """ "risks?" must get the risks section, not a sentence that happens to use the word."""
    assert first_section(assistant, "risks?") == SAFETY
    assert first_section(assistant, "side effects") == "Side effects of a stem cell injection or infusion"


def test_misspellings_are_read_as_the_documents_words(assistant: Assistant) -> None:
    assert first_section(assistant, "lupas stemcells wrk?") == "Does stem cell therapy work for lupus?"


def test_a_follow_up_keeps_its_own_question_and_takes_the_topic(assistant: Assistant) -> None:
    history = [Turn("user", "what are mscs?")]
    assert first_section(assistant, "is it safe?", history) == SAFETY
    lupus = [Turn("user", "does it work for lupus?")]
    assert first_section(assistant, "and RA?", lupus) == "Does stem cell therapy work for rheumatoid arthritis?"
    assert first_section(assistant, "how much?", history) == COST


def test_a_condition_no_document_mentions_is_not_answered_about_something_else(assistant: Assistant) -> None:
    answer = assistant.ask("does stem cell therapy work for hashimotos?")
    assert answer.kind is Kind.NO_ANSWER and not answer.citations
    assert "Hashimoto" in answer.answer and answer.suggestions


def test_an_evidence_question_is_never_answered_from_the_clinics_claims_alone(assistant: Assistant) -> None:
    claims = {p for p, d in assistant.live.current().documents.items() if d.role == "claims"}
    for question in ("does stem cell therapy promote immune tolerance?", "is it proven to reduce my medicines?"):
        answer = assistant.ask(question)
        assert answer.kind is Kind.ANSWER
        assert not all(c.document in claims for c in answer.citations), question


def test_what_the_handout_says_is_answered_from_the_handout_and_whether_it_holds_from_evidence(
    assistant: Assistant,
) -> None:
    claims = {p for p, d in assistant.live.current().documents.items() if d.role == "claims"}
    answer = assistant.ask("how does the clinic's brochure describe autoimmune diseases?")
    assert answer.kind is Kind.ANSWER and answer.citations[0].document in claims
    assert answer.citations[0].section == "Understanding Autoimmune Diseases"
    assert answer.answer.startswith("Our clinic's own handout describes it this way:")
    checked = assistant.ask("the flyer says stem cells repair damaged tissue, is that accurate?")
    assert checked.kind is Kind.ANSWER and checked.citations[0].document not in claims


def test_a_quote_from_the_clinics_claims_says_whose_words_they_are(assistant: Assistant) -> None:
    snapshot = assistant.live.current()
    sections = assistant._derived(snapshot).sections
    handout = next(s for s in sections.sections if s.role == "claims" and s.sentences)
    ranking = assistant.understand(handout.sentences[0], [], snapshot).ranking
    from bot.answering import Match, compose

    draft = compose([(Match(0.99, handout), ranking)], snapshot, 3)
    assert draft.text.startswith("Our clinic's own handout describes it this way:")


def test_uncovered_clinic_logistics_and_off_topic_questions(assistant: Assistant) -> None:
    assert assistant.ask("what's the weather in Paris tomorrow").kind is Kind.OUT_OF_SCOPE
    assert assistant.ask("Can I bring my dog to the appointment?").kind is Kind.NO_ANSWER


@pytest.mark.parametrize(
    "question",
    ["how much is your 3 session package", "what time do you open on mondays", "is there parking near you"],
)
def test_a_question_about_the_clinic_itself_is_not_answered_by_a_section_sharing_its_words(
    assistant: Assistant, question: str
) -> None:
    """The documents never say how the clinic runs: the patient gets the clinic's contact, not the cost section."""
    answer = assistant.ask(question)
    assert answer.kind is Kind.NO_ANSWER, (question, [c.section for c in answer.citations])


def test_a_refused_question_suggests_the_question_it_was_near(assistant: Assistant) -> None:
    answer = assistant.ask("how much is your 3 session package")
    assert answer.kind is Kind.NO_ANSWER
    assert answer.suggestions[0] == "How much does stem cell therapy cost?"


@pytest.mark.parametrize(
    "question", ["what should i binge watch tonight", "write me a python function that reverses a string"]
)
def test_everyday_questions_get_the_scope_note_not_a_passage(assistant: Assistant, question: str) -> None:
    assert assistant.ask(question).kind is Kind.OUT_OF_SCOPE


def test_the_topic_model_tells_health_from_small_talk(assistant: Assistant) -> None:
    topic = assistant.topic
    assert topic.embedding_model == assistant.encoder.model_id
    health = ["is stem cell therapy safe", "what is lupus", "do you take insurance"]
    everyday = ["best pizza in town", "who won the game last night", "how do I reset my router"]
    p = topic.probability(assistant.encoder.encode(health + everyday))
    assert (p[:3] >= topic.threshold).all() and (p[3:] < topic.threshold).all(), p


def test_the_ways_of_asking_about_the_clinic_are_read_strictly(tmp_path: Path) -> None:
    assert len(read_clinic_questions()) >= 40
    bad = tmp_path / "clinic_questions.yaml"
    bad.write_text("phrasings:\n  - fine\n  - {not: a string}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="phrasings"):
        read_clinic_questions(bad)


def test_rest_answers_are_markdown_without_entities(assistant: Assistant) -> None:
    answer = assistant.ask("who do I call if I have thoughts of suicide after treatment, is 988 the lifeline?")
    assert "&amp;" not in answer.answer and "&#" not in answer.answer


def test_markup_in_documents_is_shown_as_text() -> None:
    assert escape('<img src=x onerror="alert(1)">') == '&lt;img src=x onerror="alert(1)">'
    assert escape("988 Suicide & Crisis Lifeline, 1 < 2") == "988 Suicide & Crisis Lifeline, 1 < 2"


def test_suggestions_never_repeat_the_answer_and_are_answered(assistant: Assistant) -> None:
    for question in ("how much does it cost", "What are mesenchymal stem cells?"):
        answer = assistant.ask(question)
        cited = {c.section for c in answer.citations}
        assert 2 <= len(answer.suggestions) <= 3
        for suggestion in answer.suggestions:
            asked = assistant.ask(suggestion)
            assert asked.kind is Kind.ANSWER, suggestion
            assert asked.citations[0].section not in cited, (question, suggestion)


def test_a_section_is_quoted_from_its_start_with_the_sentences_nearest_the_question() -> None:
    section = Section(
        0,
        "doc.md",
        "Doc",
        "MS",
        "evidence",
        (0,),
        (
            "Stem cell treatment has not been shown to work for MS.",
            "Read more below:",
            "The trial enrolled 144 people in nine countries.",
            "These MSCs did not reduce brain lesions.",
        ),
        (0, 1, 2, 3),
        None,
    )
    sims = np.array([0.5, 0.9, 0.2, 0.8], dtype=np.float32)
    ranking = Ranking(np.zeros(0), np.zeros((1, 1)), sims, False, np.zeros(1, dtype=bool))
    text = section_text(section, ranking, max_sentences=2)
    # the opening states the point; the closest sentence follows with the one it refers back to
    assert text.startswith("Stem cell treatment has not been shown to work for MS.")
    assert "did not reduce brain lesions" in text and "144 people" in text
    assert "Read more below" not in text  # a lead-in to nothing stands on its own nowhere


def test_fragments_and_lead_ins_are_never_quoted() -> None:
    assert not quotable("See the list:") and not quotable("Why?") and not quotable("Too short.")
    assert quotable("MSCs did not reduce brain lesions.")


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("risks and cost?", ["risks", "cost"]),
        ("is it safe? how much is it", ["is it safe", "how much is it"]),
        ("what is a stem cell", []),
    ],
)
def test_question_parts(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts
