"""A patient in a real headless Chromium, on a phone (390x844) and a desktop (1280x800): the chat fits the screen,
keeps the disclaimer in view, shows new replies from their start, asks suggested questions with one tap, ties
the dislike comment box to its reply, and makes urgent replies look urgent with a number to tap."""

import json

import pytest

from bot.settings import Settings
from tests.conftest import ARTIFACTS

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENS = {"phone": PHONE, "desktop": DESKTOP}
# a personal decision: referred to the care team, with general cited information (the tallest reply we have)
LONG_QUESTION = "Should I stop taking methotrexate before stem cell therapy?"
REPLIES = "#chat .message-row.bot-row"
QUESTIONS = "#chat .message-row.user-row"

pytestmark = pytest.mark.browser


def open_chat(page, base: str) -> None:
    """Open the chat page and wait until it can take a question. (Not "networkidle": Gradio keeps a
    heartbeat stream open for per-session state, so the network is never idle.)"""
    page.goto(base + "/", wait_until="load")
    page.locator("#question textarea").wait_for(state="visible", timeout=30_000)


def new_screen(browser, screen: str):
    """A page in a fresh context sized (and, for the phone, behaving) like the device."""
    phone = screen == "phone"
    context = browser.new_context(viewport=SCREENS[screen], is_mobile=phone, has_touch=phone)
    return context, context.new_page()


def wait_for_replies(page, count: int) -> None:
    page.wait_for_function(f"n => document.querySelectorAll('{REPLIES}').length >= n", arg=count, timeout=30_000)


def ask(page, question: str) -> None:
    """Type a question, press Ask, and wait for its reply."""
    before = page.locator(REPLIES).count()
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    wait_for_replies(page, before + 1)


def inside_viewport(page, selector: str) -> bool:
    """Whether the element's whole box is on screen (and the page has not grown wider than the screen)."""
    return page.locator(selector).first.evaluate(
        """e => { const r = e.getBoundingClientRect();
                  return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth
                         && document.scrollingElement.scrollWidth <= innerWidth; }"""
    )


def test_patient_asks_and_sees_a_cited_answer_with_the_disclaimer(browser, server: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_chat(page, server)
    banner = page.locator("#disclaimer-banner")
    assert Settings().disclaimer in banner.inner_text()

    page.locator("#question textarea").fill("What are mesenchymal stem cells?")
    page.locator("#question textarea").press("Enter")
    wait_for_replies(page, 1)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#chat *')].some(e => e.textContent.includes('Sources ('))",
        timeout=30_000,
    )
    reply = page.locator(REPLIES).last
    assert "bone marrow" in reply.inner_text() and "[1]" in reply.inner_text()
    # the disclaimer is on the reply itself, not only in the banner: one line, the whole text on a tap
    disclaimer = reply.locator("details.reply-disclaimer summary")
    assert disclaimer.text_content() == Settings().disclaimer
    assert disclaimer.bounding_box()["height"] < 24
    disclaimer.click()
    assert reply.locator("details.reply-disclaimer").get_attribute("open") is not None
    assert disclaimer.bounding_box()["height"] > 24

    summary = reply.locator("details.sources summary")
    summary.click()
    assert "Balanced Picture" in reply.locator("details.sources").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-answer.png"))
    page.close()
    assert not errors, errors


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_question_box_ask_button_and_examples_are_on_screen_at_first(browser, server: str, screen: str) -> None:
    context, page = new_screen(browser, screen)
    open_chat(page, server)
    page.locator("#chat button.example").first.wait_for()
    for selector in ("#question textarea", "#ask", "#disclaimer-banner", "#chat button.example"):
        assert inside_viewport(page, selector), f"{selector} is not on screen"
    examples = page.locator("#chat button.example")
    assert examples.count() >= 3
    # whole questions, without unexplained abbreviations in brackets
    texts = examples.all_inner_texts()
    assert not any("…" in text or "..." in text or "(aHSCT)" in text for text in texts), texts
    assert all(inside_viewport(page, f"#chat button.example >> nth={i}") for i in range(examples.count()))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"chat-start-{screen}.png"))
    context.close()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_examples_and_suggestions_are_buttons_that_ask(browser, server: str, screen: str) -> None:
    context, page = new_screen(browser, screen)
    open_chat(page, server)
    example = page.locator("#chat button.example").nth(1)
    example.click()
    wait_for_replies(page, 1)
    assert page.locator(QUESTIONS).last.inner_text().strip() == "What is a stem cell?"  # the second curated question
    suggestions = page.locator("#chat .options button.option")
    suggestions.first.wait_for()
    page.screenshot(path=str(ARTIFACTS / f"chat-suggestions-{screen}.png"))
    assert suggestions.count() >= 1 and "You could also ask" not in page.locator(REPLIES).last.inner_text()
    chosen = suggestions.first.inner_text().strip()
    suggestions.first.click()
    wait_for_replies(page, 2)
    assert page.locator(QUESTIONS).last.inner_text().strip() == chosen
    assert page.locator("#question textarea").input_value() == ""  # asked, not just put in the box
    context.close()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_banner_stays_and_a_new_long_reply_shows_its_first_line(browser, server: str, screen: str) -> None:
    context, page = new_screen(browser, screen)
    open_chat(page, server)
    ask(page, "Is stem cell therapy right for my lupus?")  # a first reply that fills a phone's view
    ask(page, LONG_QUESTION)
    page.locator("#chat .options button.option").first.wait_for()
    log = page.locator("#chat [role=log]")
    reply = page.locator(REPLIES).last
    assert "care team" in reply.inner_text()
    # the first line of the new reply is in the visible part of the conversation, whatever its length
    page.wait_for_function(
        """() => { const log = document.querySelector('#chat [role=log]').getBoundingClientRect();
                   const rows = document.querySelectorAll('#chat .message-row.bot-row');
                   const top = rows[rows.length - 1].getBoundingClientRect().top;
                   return top >= log.top && top + 40 <= log.bottom; }""",
        timeout=5_000,
    )
    if screen == "phone":  # here the reply and its suggestions are taller than the view: its end is hidden
        below, view = log.evaluate(
            """(log, reply) => [log.scrollHeight - (reply.getBoundingClientRect().top - log.getBoundingClientRect().top
                                                  + log.scrollTop), log.clientHeight]""",
            reply.element_handle(),
        )
        assert below > view
    page.screenshot(path=str(ARTIFACTS / f"chat-long-reply-{screen}.png"))

    # scrolling the conversation (and trying to scroll the page) never moves the disclaimer or the question box
    box = log.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for delta in (500, -900, 1500):
        page.mouse.wheel(0, delta)
        page.evaluate("d => window.scrollBy(0, d)", delta)
        page.wait_for_function("() => true")  # let the scroll be drawn
        for selector in ("#disclaimer-banner", "#question textarea", "#ask"):
            assert inside_viewport(page, selector), f"{selector} left the screen after scrolling {delta}"
    context.close()


def test_an_empty_question_adds_nothing_to_the_chat(browser, server: str) -> None:
    context, page = new_screen(browser, "phone")
    open_chat(page, server)
    page.locator("#question textarea").fill("   ")
    page.locator("#ask").click()
    page.get_by_text("Please type a question").wait_for()  # a passing hint, not a message in the chat
    assert page.locator("#chat .message-row").count() == 0
    context.close()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_dislike_comment_box_opens_under_the_disliked_reply(browser, server: str, screen: str) -> None:
    context, page = new_screen(browser, screen)
    open_chat(page, server)
    ask(page, "What are mesenchymal stem cells?")
    ask(page, LONG_QUESTION)
    first_reply_buttons = page.locator("#chat .message-buttons-left").first
    log = page.locator("#chat [role=log]")
    log.evaluate("e => { e.scrollTop = 0; }")
    dislike = first_reply_buttons.locator("button[aria-label^='Dislike']")
    dislike.click()
    comment = page.locator("#dislike-comment")
    comment.wait_for()
    page.locator("#comment textarea:focus").wait_for()  # ready to type
    page.wait_for_function(
        """() => { const box = document.querySelector('#dislike-comment').getBoundingClientRect();
                   const bar = document.querySelectorAll('#chat .message-buttons-left')[0].getBoundingClientRect();
                   return box.top >= bar.bottom - 1 && box.top - bar.bottom < 24; }""",
        timeout=5_000,
    )
    assert inside_viewport(page, "#dislike-comment")
    assert inside_viewport(page, "#chat .message-buttons-left >> nth=0")
    page.screenshot(path=str(ARTIFACTS / f"chat-dislike-{screen}.png"))
    page.keyboard.type("I wanted to know where the cells come from")
    page.locator("#comment-send").click()
    comment.wait_for(state="detached")
    # Esc closes it too, and the focus goes back to the dislike button
    page.locator("#chat .message-buttons-left").last.locator("button[aria-label^='Dislike']").click()
    page.locator("#comment textarea:focus").wait_for()
    page.keyboard.press("Escape")
    comment.wait_for(state="detached")
    context.close()


def test_an_emergency_is_an_alert_with_a_number_to_tap_on_a_phone(browser, server: str) -> None:
    context, page = new_screen(browser, "phone")
    open_chat(page, server)
    page.locator("#question textarea").fill("I have crushing chest pain")
    page.locator("#ask").tap()
    alert = page.locator("#chat [role=alert]").first
    alert.wait_for(timeout=30_000)
    assert "emergency department" in alert.inner_text()
    assert alert.evaluate("e => getComputedStyle(e).borderLeftColor") == "rgb(185, 28, 28)"
    call = alert.locator("a.urgent-action[href='tel:911']")
    assert call.inner_text() == "Call 911" and call.get_attribute("target") is None
    assert inside_viewport(page, "#chat [role=alert] a.urgent-action[href='tel:911']")
    assert call.bounding_box()["height"] >= 44  # a finger-sized target
    assert contrast(call) >= 4.5 and contrast(alert.locator("p").first) >= 4.5
    assert alert.locator("a[href='tel:911']").count() >= 2  # the number in the text is a link too
    # no rating for an urgent reply
    buttons = page.locator("#chat .message-buttons-left").last
    assert buttons.locator("button[aria-label^='Like']").is_hidden()
    page.screenshot(path=str(ARTIFACTS / "chat-emergency-phone.png"))

    page.locator("#question textarea").fill("I want to end my life")
    page.locator("#ask").tap()
    page.locator("#chat [role=alert]").nth(1).wait_for(timeout=30_000)
    crisis = page.locator("#chat [role=alert]").nth(1)
    hrefs = [a.get_attribute("href") for a in crisis.locator("a.urgent-action").all()]
    assert hrefs == ["tel:988", "sms:988", "tel:911"]

    with page.expect_request("tel:911"):  # tapping it hands the number to the phone's dialer (last: no dialer here)
        call.tap()
    context.close()


def test_document_text_never_gets_call_links(browser, server: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    open_chat(page, server)
    ask(page, "When should I seek urgent care after a stem cell treatment?")  # an answer that names 911
    reply = page.locator(REPLIES).last
    assert "911" in reply.inner_text()
    assert reply.locator("a[href^='tel:'], a[href^='sms:'], [role=alert]").count() == 0
    page.close()


CONTRAST = """([e, pseudo]) => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92
                                                  : Math.pow((v + 0.055) / 1.055, 2.4); })
                                      .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const fg = lum(rgb(getComputedStyle(e, pseudo).color));
  let node = e, bg = "rgba(0, 0, 0, 0)";
  while (node && (bg === "rgba(0, 0, 0, 0)" || bg === "transparent")) {
    bg = getComputedStyle(node).backgroundColor; node = node.parentElement;
  }
  const b = lum(rgb(bg));
  return (Math.max(fg, b) + 0.05) / (Math.min(fg, b) + 0.05);
}"""


def contrast(locator, pseudo: str | None = None) -> float:
    """WCAG contrast of an element's text (or its placeholder, ``pseudo="::placeholder"``) on its background."""
    return locator.evaluate(f"e => ({CONTRAST})([e, {json.dumps(pseudo)}])")


def test_the_question_box_placeholder_is_readable(browser, server: str) -> None:
    page = browser.new_page(viewport=PHONE)
    open_chat(page, server)
    assert contrast(page.locator("#question textarea"), "::placeholder") >= 4.5
    page.close()


def test_the_api_docs_work_offline_under_the_strict_policy(browser, server: str) -> None:
    """Swagger UI from the swagger-ui-bundle package: it draws the /api/ask operation and its response schema
    with no request leaving the server and no Content-Security-Policy violation."""
    page = browser.new_page(viewport=DESKTOP)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: problems.append(r.url) if not r.url.startswith(server) else None)
    page.goto(f"{server}/api/docs")
    page.get_by_text("/api/ask").first.wait_for()
    page.get_by_text("/api/ask").first.click()
    page.get_by_text("citations").first.wait_for()
    assert not problems, problems
    page.close()
