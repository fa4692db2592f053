import re

import pytest

from bot.answering import escape, extractive_draft
from bot.chunking import Chunk
from bot.conversation import Assistant
from bot.replies import Kind
from bot.retrieval import LexicalIndex, ScoredChunk


def chunk(position: int, text: str, section: str) -> Chunk:
    return Chunk(
        f"c{position}", "doc.md", "Doc", "src", section, f"Doc › {section}", text, "2026-01-01", None, position
    )


CHUNKS = [
    chunk(
        0, "The MESEMS trial treated 144 patients. The MSCs did not reduce lesions. Unrelated closing words here.", "MS"
    ),
    chunk(1, "Prices range from $1,150 to $12,000 per injection. Insurance rarely pays for it.", "Costs"),
]
LEXICAL = LexicalIndex([c.embed_text for c in CHUNKS])


def scored(*pairs: tuple[int, float]) -> list[ScoredChunk]:
    return [ScoredChunk(CHUNKS[i], 1.0 / (n + 1), sim, 1.0, 0.0) for n, (i, sim) in enumerate(pairs)]


def test_sentences_are_cited_in_order_of_first_appearance() -> None:
    draft = extractive_draft(
        "MESEMS trial lesions and injection prices",
        scored((0, 0.6), (1, 0.5)),
        LEXICAL,
        max_sentences=3,
        max_citations=3,
        min_confidence=0.4,
    )
    assert draft is not None and draft.kind is Kind.ANSWER
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", draft.text)]
    assert numbers and numbers == sorted(numbers) and numbers[0] == 1
    assert {c.id for c in draft.citations} == set(numbers)
    assert draft.citations[0].section == "MS" and draft.citations[0].reviewed == "2026-01-01"


def test_a_continuing_sentence_follows_the_one_that_matched() -> None:
    draft = extractive_draft(
        "What did MESEMS find?", scored((0, 0.6)), LEXICAL, max_sentences=2, max_citations=3, min_confidence=0.4
    )
    assert draft.text == "The MESEMS trial treated 144 patients. [1] The MSCs did not reduce lesions. [1]"


def test_source_lines_are_never_quoted_as_answers() -> None:
    cited = Chunk(
        "c9",
        "doc.md",
        "Doc",
        "src",
        "MS",
        "Doc › MS",
        "The MESEMS trial treated 144 patients.\nSource: [Uccelli et al., MESEMS trial, Lancet Neurology](https://doi.org/x)",
        "2026-01-01",
        None,
        0,
    )
    lexical = LexicalIndex([cited.embed_text])
    draft = extractive_draft(
        "MESEMS trial Lancet",
        [ScoredChunk(cited, 1.0, 0.6, 1.0, 0.0)],
        lexical,
        max_sentences=3,
        max_citations=3,
        min_confidence=0.4,
    )
    assert draft is not None and "Source:" not in draft.text and "144 patients" in draft.text


def test_below_threshold_there_is_no_draft() -> None:
    assert (
        extractive_draft("prices", scored((1, 0.2)), LEXICAL, max_sentences=3, max_citations=3, min_confidence=0.4)
        is None
    )


def test_html_is_escaped() -> None:
    assert escape('<img src=x onerror="alert(1)">') == '&lt;img src=x onerror="alert(1)"&gt;'


@pytest.mark.parametrize(
    "question",
    [
        "What are mesenchymal stem cells?",
        "What did the MESEMS trial find?",
        "Can stem cells cause vision loss?",
        "how much does it cost",
        "What is Hemacord?",
    ],
)
def test_every_citation_number_has_its_entry(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.kind == "answer"
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert numbers == {c.id for c in answer.citations} == set(range(1, len(numbers) + 1))
    for citation in answer.citations:
        assert citation.title and citation.snippet and citation.reviewed in {"2026-11-25", "2026-11-27"}


def test_curated_faq_answers_a_paraphrase(assistant: Assistant) -> None:
    answer = assistant.ask("does my health insurance pay for stem cell treatment?")
    assert "insurance does not usually cover" in answer.answer
    assert answer.citations[0].section == "How much does stem cell treatment cost, and does insurance pay?"


def test_suggestions_are_answerable_follow_ups(assistant: Assistant) -> None:
    answer = assistant.ask("What are mesenchymal stem cells?")
    assert 2 <= len(answer.suggestions) <= 3
    assert "What are mesenchymal stem cells?" not in answer.suggestions
    for suggestion in answer.suggestions:
        assert assistant.ask(suggestion).kind == "answer", suggestion
