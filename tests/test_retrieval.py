from bot.conversation import Assistant
from bot.retrieval import LexicalIndex, expand_lay_terms, tokenize


def test_tokenize_drops_question_words_and_stems() -> None:
    assert tokenize("Can you tell me about the costs of treatments?") == ["cost", "treatment"]


def test_lexical_coverage_weighs_rare_words() -> None:
    lexical = LexicalIndex(["stem cells trial MESEMS", "stem cells", "stem cells cost"])
    assert lexical.idf("mesem") > lexical.idf("stem")
    assert lexical.coverage(tokenize("MESEMS trial"), 0) == 1.0
    assert lexical.coverage(tokenize("MESEMS trial"), 1) == 0.0
    assert lexical.coverage(tokenize("weather Paris"), 0) == 0.0


def search(assistant: Assistant, question: str):
    snapshot = assistant.live.current()
    return assistant.retriever.search(snapshot, question, assistant.encoder.encode([question])[0], 5)


def test_dense_side_finds_a_paraphrase(assistant: Assistant) -> None:
    top = search(assistant, "how pricey is the procedure and will my insurer pay")[0]
    assert top.chunk.section == "How much does stem cell treatment cost, and does insurance pay?"
    assert top.similarity > 0.4


def test_lexical_side_finds_a_rare_name_the_model_does_not_know(assistant: Assistant) -> None:
    results = search(assistant, "MESEMS")
    assert results[0].chunk.section == "Does stem cell therapy work for multiple sclerosis?"
    assert results[0].coverage == 1.0


def test_a_product_name_finds_the_passage_that_names_it(assistant: Assistant) -> None:
    results = search(assistant, "What is Ryoncil approved for?")
    assert results[0].chunk.section == "What is Ryoncil?"
    assert "Ryoncil" in results[0].chunk.text


def test_lay_terms_and_abbreviations_expand_to_the_documents_wording() -> None:
    assert expand_lay_terms("does it work for MS?") == "does it work for MS? multiple sclerosis"
    assert expand_lay_terms("is a shot of belly fat pricey").count("injection") == 1
    assert "adipose" in expand_lay_terms("is a shot of belly fat pricey")
    assert expand_lay_terms("Ms. Smith asked about lupus") == "Ms. Smith asked about lupus"  # a title, not MS
    assert expand_lay_terms("what is lupus") == "what is lupus"


def test_lay_term_finds_the_section_written_in_medical_words(assistant: Assistant) -> None:
    results = search(assistant, "what is graft versus host disease")
    assert results[0].chunk.section == "What is Ryoncil?"


def test_a_section_is_read_from_its_start(assistant: Assistant) -> None:
    results = search(assistant, "What did the MESEMS trial find?")
    top = results[0].chunk
    assert top.section == "Does stem cell therapy work for multiple sclerosis?" and top.position == min(
        c.position for c in assistant.live.current().chunks if c.doc_path == top.doc_path and c.section == top.section
    )
