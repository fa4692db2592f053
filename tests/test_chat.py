"""How the chat page renders replies: sources, the compact disclaimer, suggestions as options, and urgent
replies as alerts with tap-to-call links that document text never gets."""

import html

import pytest

from bot.replies import Answer, Citation, Kind
from bot.settings import DEFAULT_CRISIS_MESSAGE, DEFAULT_EMERGENCY_MESSAGE, Settings
from bot.web.chat import chat_css, display_question, render_notice, render_reply, suggestion_options
from bot.web.urgent import action_links, linkify_numbers, numbers_in

SETTINGS = Settings()
DISCLAIMER = SETTINGS.disclaimer


def reply(text: str, kind: Kind = Kind.ANSWER, **extra) -> Answer:
    fields = {"citations": (), "suggestions": (), "index_version": "kb-test", "reply_id": "r1", **extra}
    return Answer(answer=text, kind=kind, disclaimer=DISCLAIMER, **fields)


def test_an_answer_has_its_sources_and_the_whole_disclaimer_but_no_suggestion_text() -> None:
    source = Citation(
        id=1,
        title="Balanced <Picture>",
        source="handout",
        section="Risks",
        snippet="Some <b>risk</b>.",
        score=0.9,
        reviewed="2026-11-25",
    )
    shown = render_reply(reply("Answer. [1]", citations=(source,), suggestions=("What does it cost?",)), SETTINGS)
    assert "<summary>Sources (1)</summary>" in shown and "Balanced &lt;Picture&gt;" in shown
    assert f'<details class="reply-disclaimer"><summary>{DISCLAIMER}</summary></details>' in html.unescape(shown)
    assert "What does it cost?" not in shown  # it is a button (an option), not text
    assert suggestion_options(reply("x", suggestions=("What does it cost?",))) == [{"value": "What does it cost?"}]
    assert "tel:" not in shown and "role=" not in shown


@pytest.mark.parametrize(
    ("message", "kind", "actions"),
    [
        (DEFAULT_EMERGENCY_MESSAGE, Kind.EMERGENCY, ["tel:911"]),
        (DEFAULT_CRISIS_MESSAGE, Kind.CRISIS, ["tel:988", "sms:988", "tel:911"]),
    ],
)
def test_urgent_replies_are_alerts_with_numbers_to_tap(message: str, kind: Kind, actions: list[str]) -> None:
    shown = render_reply(reply(message, kind), SETTINGS)
    assert shown.startswith('<div class="urgent-reply" role="alert">')
    assert [part.split('"')[0] for part in shown.split('class="urgent-action" href="')[1:]] == actions
    assert '<a href="tel:911">911</a>' in shown  # the number in the message's own words
    assert DISCLAIMER in html.unescape(shown)


def test_a_document_answer_naming_911_gets_no_link() -> None:
    shown = render_reply(reply("Call 911 or go to the nearest emergency department for chest pain. [1]"), SETTINGS)
    assert "tel:" not in shown and "alert" not in shown


def test_links_are_added_only_to_text_outside_tags_and_links() -> None:
    fragment = '<p title="911">Call 911 or <a href="https://x.example/911">911 info</a>; not 9110 or 1-911-5.</p>'
    linked = linkify_numbers(fragment)
    assert linked == (
        '<p title="911">Call <a href="tel:911">911</a> or <a href="https://x.example/911">911 info</a>; '
        "not 9110 or 1-911-5.</p>"
    )
    assert numbers_in("text or call 988, or 911. 988 again") == ["988", "911"]
    assert action_links("no numbers here", SETTINGS.call_label, SETTINGS.text_label) == ""


def test_urgent_link_labels_and_the_suggestions_label_come_from_the_settings() -> None:
    spanish = Settings(call_label="Llamar al {number}", text_label="Enviar texto al {number}")
    shown = render_reply(reply(DEFAULT_CRISIS_MESSAGE, Kind.CRISIS), spanish)
    assert ">Llamar al 988</a>" in shown and ">Enviar texto al 988</a>" in shown and "Call 988" not in shown
    css = chat_css(Settings(suggestions_label='Also: "x" }; body { display: none'))
    rule = next(line for line in css.splitlines() if ".options::before" in line)
    assert 'content: "Also: \\22 x\\22  \\7d ; body \\7b  display: none";' in rule


def test_a_notice_is_not_an_answer() -> None:
    shown = render_notice("Sorry, the question is too long.", DISCLAIMER)
    assert '<p class="reply-notice">' in shown and DISCLAIMER in html.unescape(shown)


@pytest.mark.parametrize(
    ("question", "shown"),
    [
        (
            "Is stem cell therapy the same as a stem cell transplant (aHSCT)?",
            "Is stem cell therapy the same as a stem cell transplant?",
        ),
        ("What are mesenchymal stem cells (MSCs)?", "What are mesenchymal stem cells?"),
        ("Does it help (in my case)?", "Does it help (in my case)?"),
    ],
)
def test_example_questions_are_shown_without_bracketed_abbreviations(question: str, shown: str) -> None:
    assert display_question(question) == shown
