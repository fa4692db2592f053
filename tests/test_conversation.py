import pytest

from bot.conversation import Assistant, condense
from bot.embedding import Embedder
from bot.inputs import InputRejected, Turn
from bot.settings import Settings

ONE_OF_EACH = {
    "answer": "What are mesenchymal stem cells?",
    "no_answer": "Can I bring my dog to the appointment?",
    "emergency": "I have crushing chest pain",
    "crisis": "i dont want to be alive anymore",
    "personal_advice": "Should I stop taking my methotrexate before the injection?",
    "out_of_scope": "what's the weather in Paris",
}


@pytest.mark.parametrize(("kind", "question"), ONE_OF_EACH.items())
def test_every_path_carries_the_same_disclaimer(assistant: Assistant, kind: str, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.kind == kind
    assert answer.disclaimer == Settings().disclaimer
    assert answer.index_version.startswith("kb-")
    assert len(answer.reply_id) == 32


def test_a_configured_disclaimer_is_used_verbatim(embedder: Embedder, published: Settings) -> None:
    custom = published.model_copy(update={"disclaimer": "Education only. Not medical advice."})
    for question in ONE_OF_EACH.values():
        assert Assistant(custom, embedder).ask(question).disclaimer == "Education only. Not medical advice."


def test_emergency_and_crisis_send_to_911_and_988_without_retrieval(assistant: Assistant) -> None:
    emergency = assistant.ask("I have crushing chest pain")
    assert "911" in emergency.answer and not emergency.citations and not emergency.suggestions
    crisis = assistant.ask("I want to kill myself")
    assert "988" in crisis.answer and "911" in crisis.answer and not crisis.citations


def test_out_of_scope_cites_nothing_and_offers_examples(assistant: Assistant) -> None:
    answer = assistant.ask("who won the super bowl")
    assert answer.kind == "out_of_scope" and not answer.citations
    assert answer.suggestions and all(s in answer.answer for s in answer.suggestions)


def test_no_answer_gives_the_clinic_contact(embedder: Embedder, published: Settings) -> None:
    clinic = published.model_copy(update={"clinic_contact": "call 555-0100"})
    answer = Assistant(clinic, embedder).ask("Can I bring my dog to the appointment?")
    assert answer.kind == "no_answer" and "call 555-0100" in answer.answer and not answer.citations


def test_personal_advice_refers_to_the_care_team_with_general_cited_information(assistant: Assistant) -> None:
    answer = assistant.ask("Is stem cell therapy right for me? How much does it cost?")
    assert answer.kind == "personal_advice"
    assert "care team" in answer.answer
    assert answer.citations  # general information, cited
    assert "mg" not in answer.answer.lower().split()


def test_input_limits(assistant: Assistant) -> None:
    with pytest.raises(InputRejected) as empty:
        assistant.ask(" \x00\u200b ")
    assert empty.value.problem == "empty"
    with pytest.raises(InputRejected) as long:
        assistant.ask("x" * (assistant.settings.max_question_chars + 1))
    assert long.value.problem == "too_long"


def test_follow_up_is_condensed_with_the_previous_question() -> None:
    history = [Turn("user", "What are mesenchymal stem cells?"), Turn("assistant", "They are ...")]
    assert condense("where do they come from?", history) == "What are mesenchymal stem cells? where do they come from?"
    assert condense("How much does treatment cost in total at the clinic?", history).startswith("How much")
    assert condense("where do they come from?", []) == "where do they come from?"


def test_what_about_swaps_the_most_specific_word() -> None:
    rarity = {"lupus": 3.0, "stem": 0.5, "cell": 0.5, "therapi": 0.7, "work": 1.0}.get
    history = [Turn("user", "Does stem cell therapy work for lupus?")]
    assert condense("what about MS?", history, lambda t: rarity(t, 0.0)) == "Does stem cell therapy work for MS?"
    assert condense("and rheumatoid arthritis?", history, lambda t: rarity(t, 0.0)).endswith(
        "for rheumatoid arthritis?"
    )
    # "and <a question>" asks something new about the same topic: no word of the previous question is swapped
    asked = condense("and is it approved?", history, lambda t: rarity(t, 0.0))
    assert asked.startswith("and is it approved?") and "lupus" in asked


def test_follow_up_retrieves_the_topic_of_the_conversation(assistant: Assistant) -> None:
    history = [Turn("user", "Does stem cell therapy work for lupus?")]
    answer = assistant.ask("and what about multiple sclerosis?", history)
    assert answer.kind == "answer"
    assert any("multiple sclerosis" in (c.section or "") for c in answer.citations)


def test_emergencies_are_answered_even_before_any_index_exists(embedder: Embedder, tmp_path) -> None:
    from bot.index import IndexNotReady

    empty = Assistant(Settings(data_dir=tmp_path / "data"), embedder)
    answer = empty.ask("I can't breathe and my throat is swelling")
    assert answer.kind == "emergency" and answer.disclaimer == Settings().disclaimer
    assert empty.ask("i want to end my life").kind == "crisis"
    with pytest.raises(IndexNotReady):
        empty.ask("What are mesenchymal stem cells?")
