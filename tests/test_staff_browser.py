"""Staff in a real headless Chromium: sign in, remove a document only after confirming, see the held index,
publish it anyway after confirming, restore from the trash, and find each action in the log."""

import re

import pytest

from bot.credentials import write_account
from bot.embedding import Embedder
from bot.ingestion import ingest
from bot.settings import Settings
from tests.conftest import ARTIFACTS, app_for, serving
from tests.staff_helpers import knowledge_copy

pytestmark = pytest.mark.browser
ACCOUNT = ("carla", "a staff password")
HANDOUT = "stem-cell-claims-and-evidence.md"  # seven FAQ entries cite it, the immunosuppressants one among them
FAQ_QUESTION = "Can stem cell therapy reduce the need for immunosuppressant drugs?"
WAIT = 60_000  # an action re-ingests: seconds on a busy machine


@pytest.fixture(scope="module")
def site(embedder: Embedder, published: Settings, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("staff-browser")
    write_account(root / "accounts", *ACCOUNT)
    settings = knowledge_copy(root, published, admin_credentials_file=root / "accounts", rate_limit="")
    assert ingest(settings, embedder).published
    with serving(app_for(settings, embedder)) as base:
        yield base, settings


def sign_in(page, base: str) -> None:
    page.goto(base + "/admin/", wait_until="load")
    page.locator("input[type=text]").fill(ACCOUNT[0])
    page.locator("input[type=password]").fill(ACCOUNT[1])
    page.get_by_role("button", name="Login").click()
    page.locator("#documents").wait_for(state="visible", timeout=WAIT)


def shows(page, selector: str, text: str) -> None:
    """Wait until an element's visible text contains ``text`` (polling, no fixed sleep)."""
    page.wait_for_function(
        "([selector, text]) => (document.querySelector(selector)?.innerText || '').includes(text)",
        arg=[selector, text],
        timeout=WAIT,
    )


def choose(page, dropdown: str, option: str) -> None:
    """Pick an option of a Gradio dropdown the way staff do: open it, click the entry."""
    page.locator(f"{dropdown} input").click()
    page.get_by_role("option", name=re.compile("^" + re.escape(option))).click(timeout=WAIT)
    page.wait_for_function(
        "([id, value]) => document.querySelector(id + ' input').value.startsWith(value)", arg=[dropdown, option]
    )


def test_staff_remove_confirm_publish_anyway_and_restore(browser, site) -> None:
    base, settings = site
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, base)
    assert page.locator("#remove-choice input").input_value() == ""  # nothing pre-selected
    shows(page, "#documents", "reading grade")

    choose(page, "#remove-choice", HANDOUT)
    page.locator("#remove").click()
    panel = page.locator("#confirm-remove")
    panel.wait_for(state="visible", timeout=WAIT)
    assert "immunosuppressants" in panel.inner_text() and "curated FAQ answer" in panel.inner_text()
    trash_button = page.locator("#move-to-trash")
    assert trash_button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(185, 28, 28)"  # destructive
    assert page.locator("#cancel-remove").evaluate("e => getComputedStyle(e).backgroundColor") != "rgb(185, 28, 28)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staff-confirm-remove.png"), full_page=True)
    page.locator("#cancel-remove").click()
    panel.wait_for(state="hidden", timeout=WAIT)
    assert (settings.knowledge_dir / HANDOUT).exists()

    choose(page, "#remove-choice", HANDOUT)
    page.locator("#remove").click()
    page.locator("#move-to-trash").click()
    shows(page, "#report", "to the trash")
    shows(page, "#held", "Held: index")
    assert FAQ_QUESTION in page.locator("#held").inner_text()
    assert not (settings.knowledge_dir / HANDOUT).exists()
    shows(page, "#staff-log", "moved to trash")

    page.locator("#publish-anyway").click()
    confirm = page.locator("#confirm-publish-box")
    confirm.wait_for(state="visible", timeout=WAIT)
    assert "Patients will be answered from it at once" in confirm.inner_text()
    page.screenshot(path=str(ARTIFACTS / "staff-publish-anyway.png"), full_page=True)
    page.locator("#confirm-publish").click()
    shows(page, "#report", "Published")
    page.locator("#held-box").wait_for(state="hidden", timeout=WAIT)
    shows(page, "#staff-log", "publish anyway")

    page.get_by_text("Trash (kept 30 days)").click()
    choose(page, "#trash-choice", HANDOUT)
    page.locator("#restore").click()
    shows(page, "#report", f"Restored {HANDOUT}")
    assert (settings.knowledge_dir / HANDOUT).exists()
    shows(page, "#staff-log", "restore")
    assert ACCOUNT[0] in page.locator("#staff-log").inner_text()
    page.screenshot(path=str(ARTIFACTS / "staff-documents.png"), full_page=True)
    assert "Error rendering" not in page.locator("body").inner_text()
    assert not errors, errors
