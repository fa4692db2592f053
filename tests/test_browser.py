"""A patient in a real headless Chromium: ask in the chat, see a cited answer and the disclaimer."""

import os
import shutil

import pytest

from bot.settings import Settings
from tests.conftest import ARTIFACTS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.browser


def open_chat(page, base: str) -> None:
    """Open the chat page and wait until it can take a question. (Not "networkidle": Gradio keeps a
    heartbeat stream open for per-session state, so the network is never idle.)"""
    page.goto(base + "/", wait_until="load")
    page.locator("#question textarea").wait_for(state="visible", timeout=30_000)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs the Debian package 'chromium'")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def test_patient_asks_and_sees_a_cited_answer_with_the_disclaimer(browser, server: str) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_chat(page, server)
    banner = page.locator("#disclaimer-banner")
    assert Settings().disclaimer in banner.inner_text()

    page.locator("#question textarea").fill("What are mesenchymal stem cells?")
    page.locator("#question textarea").press("Enter")
    reply = page.locator("#chat .message.bot, #chat [data-testid='bot']").last
    reply.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#chat *')].some(e => e.textContent.includes('Sources ('))",
        timeout=30_000,
    )
    chat_text = page.locator("#chat").inner_text()
    assert "bone marrow" in chat_text
    assert "[1]" in chat_text
    assert Settings().disclaimer in chat_text  # on the reply itself, not only in the banner

    summary = page.locator("#chat details.sources summary").last
    summary.click()
    assert "Balanced Picture" in page.locator("#chat details.sources").last.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-answer.png"), full_page=True)
    assert not errors, errors


def test_emergency_message_shows_in_the_chat(browser, server: str) -> None:
    page = browser.new_page()
    open_chat(page, server)
    page.locator("#question textarea").fill("I have crushing chest pain")
    page.locator("#ask").click()
    page.wait_for_function("() => document.querySelector('#chat').innerText.includes('911')", timeout=30_000)
    assert "emergency department" in page.locator("#chat").inner_text()
