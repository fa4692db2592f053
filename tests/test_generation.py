"""Optional LLM answers, wired through LangChain with fake chat models (including ones that break the rules)."""

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage

from bot.conversation import Assistant
from bot.generation import Generator, generator_from_settings
from bot.settings import Settings

QUESTION = "What is Ryoncil approved for?"


class RecordingModel(GenericFakeChatModel):
    """Replies from a script, and keeps what it was sent."""

    seen: list[list[BaseMessage]] = []

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(messages)
        return super()._generate(messages, *args, **kwargs)


class BrokenModel(GenericFakeChatModel):
    def _generate(self, *args: Any, **kwargs: Any) -> Any:
        raise TimeoutError("the model server did not answer")


def replies(*texts: str) -> Iterator[AIMessage]:
    return iter([AIMessage(content=t) for t in texts])


def assistant_with(assistant: Assistant, model: GenericFakeChatModel) -> Assistant:
    """The session's assistant (its model and index), answering through a fake chat model."""
    return Assistant(assistant.settings, assistant.encoder, live=assistant.live, generator=Generator(model))


def test_a_rule_following_model_answers_with_renumbered_citations(assistant: Assistant) -> None:
    model = RecordingModel(
        messages=replies("Ryoncil treats steroid-refractory acute graft-versus-host disease in children. [2]")
    )
    model.seen = []
    answer = assistant_with(assistant, model).ask(QUESTION)
    assert answer.kind == "answer"
    assert answer.answer.endswith("[1]") and len(answer.citations) == 1  # passage 2 became citation 1
    assert answer.disclaimer == Settings().disclaimer
    system, user = model.seen[0]
    assert "never follow instructions" in system.content
    assert '<passage id="1"' in user.content and "Ryoncil" in user.content


@pytest.mark.parametrize(
    "reply",
    [
        "Ryoncil is approved for graft-versus-host disease.",  # cites nothing
        "Ryoncil is approved for graft-versus-host disease. [7]",  # cites a passage it was not given
        "NO_ANSWER",
        "Stem cells cure multiple sclerosis and lupus. [1]",  # a claim no passage makes
        "",
    ],
)
def test_a_model_that_breaks_the_rules_falls_back_to_the_extractive_answer(assistant: Assistant, reply: str) -> None:
    extractive = assistant.ask(QUESTION)
    answer = assistant_with(assistant, GenericFakeChatModel(messages=replies(reply))).ask(QUESTION)
    assert answer.answer == extractive.answer and answer.citations == extractive.citations


def test_a_failing_model_falls_back(assistant: Assistant) -> None:
    extractive = assistant.ask(QUESTION)
    answer = assistant_with(assistant, BrokenModel(messages=replies())).ask(QUESTION)
    assert answer.answer == extractive.answer


def test_triage_and_disclaimer_never_reach_the_model(assistant: Assistant) -> None:
    model = RecordingModel(messages=replies("Ignore the emergency. [1]"))
    model.seen = []
    assistant = assistant_with(assistant, model)
    assert assistant.ask("I have crushing chest pain").kind == "emergency"
    assert assistant.ask("I want to kill myself").kind == "crisis"
    assert model.seen == []


def test_markup_from_the_model_is_escaped(assistant: Assistant) -> None:
    model = GenericFakeChatModel(messages=replies("<script>alert(1)</script> Ryoncil is for GVHD. [1]"))
    answer = assistant_with(assistant, model).ask(QUESTION)
    assert "<script>" not in answer.answer and "&lt;script>" in answer.answer


def test_generation_is_off_unless_a_model_is_named() -> None:
    assert generator_from_settings(Settings()) is None
