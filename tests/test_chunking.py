import pytest

from bot.chunking import chunk_document, split_sentences
from bot.documents import Section, SourceDocument, load_document
from bot.embedding import MAX_TOKENS, Embedder
from bot.ingestion import knowledge_files
from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"

count_tokens = Embedder().count_tokens  # the tokenizer only: no model is loaded to count


@pytest.mark.parametrize("path", knowledge_files(KNOWLEDGE), ids=lambda p: p.name)
def test_every_shipped_chunk_fits_the_model_window(path) -> None:
    doc = load_document(KNOWLEDGE, path)
    chunks = chunk_document(doc, count_tokens, MAX_TOKENS)
    assert chunks
    for chunk in chunks:
        assert count_tokens(chunk.embed_text) <= MAX_TOKENS, chunk.id
        assert chunk.context.startswith(doc.title)


def synthetic(text: str, headings: tuple[str, ...] = ("Section",)) -> SourceDocument:
    return SourceDocument("x.md", "Title", "src", None, None, "f" * 64, (Section(headings, text),))


def test_long_text_is_split_at_sentence_boundaries_and_fits() -> None:
    sentence = "Mesenchymal stromal cells were studied in a small trial of adults with lupus nephritis."
    paragraph = " ".join([sentence] * 60)  # far over one window
    chunks = chunk_document(synthetic(paragraph), count_tokens, MAX_TOKENS)
    assert len(chunks) > 1
    for chunk in chunks:
        assert count_tokens(chunk.embed_text) <= MAX_TOKENS
        assert chunk.text.endswith(".")  # ends at a sentence boundary, never mid-sentence
    assert " ".join(c.text for c in chunks).count("lupus") == 60


def test_a_single_overlong_sentence_is_still_cut_to_fit() -> None:
    chunks = chunk_document(synthetic("word " * 1000), count_tokens, MAX_TOKENS)
    assert all(count_tokens(c.embed_text) <= MAX_TOKENS for c in chunks)
    assert sum(c.text.count("word") for c in chunks) == 1000


def test_small_sections_stay_whole_and_ids_are_stable() -> None:
    doc = synthetic("First paragraph.\n\nSecond paragraph.")
    first, second = chunk_document(doc, count_tokens, MAX_TOKENS), chunk_document(doc, count_tokens, MAX_TOKENS)
    assert len(first) == 1
    assert first[0].text == "First paragraph.\n\nSecond paragraph."
    assert [c.id for c in first] == [c.id for c in second]


def test_reference_lists_are_not_indexed() -> None:
    doc = SourceDocument(
        "x.md",
        "T",
        "s",
        None,
        None,
        "a" * 64,
        (Section(("Risks",), "Infections were reported."), Section(("Sources",), "- FDA, 2020.")),
    )
    assert [c.section for c in chunk_document(doc, count_tokens, MAX_TOKENS)] == ["Risks"]


def test_sentences_keep_abbreviations_and_list_items() -> None:
    assert split_sentences("The U.S. FDA warned, e.g. about SVF. It was 2020.\n- An item\n2. Another one") == [
        "The U.S. FDA warned, e.g. about SVF.",
        "It was 2020.",
        "An item",
        "Another one",
    ]
