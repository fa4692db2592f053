"""The staff page in a real headless Chromium, at phone and desktop size: the Insights charts are drawn under the
page's strict CSP (no eval) with a day of data and say so with none, a dislike comment from the chat reaches the
knowledge gaps, staff can sign out, and axe finds nothing to fix on the signed-in pages.

One app process on a private copy of the session's index, with insights on and a staff login.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.embedding import Embedder
from bot.settings import Settings
from bot.web.charts import KIND_COLOURS, NO_DATA
from tests.conftest import ARTIFACTS, app_for
from tests.serving import serving
from tests.test_browser import PHONE, SCREENS, contrast, open_chat, wait_for_replies
from tests.test_widget import RUN_AXE

USER, PASSWORD = "staff", "a long staff passphrase"
CHARTS = ("#volume-chart", "#rate-chart")
PAINTED = """async (img) => {
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const px = g.getImageData(0, 0, canvas.width, canvas.height).data;
  const hex = 'BAR_COLOUR';
  const [r, gr, b] = [1, 3, 5].map(i => parseInt(hex.substr(i, 2), 16));
  let n = 0;  // pixels in the bars' colour
  for (let i = 0; i < px.length; i += 4) if (px[i] === r && px[i + 1] === gr && px[i + 2] === b) n++;
  return n;
}""".replace("BAR_COLOUR", KIND_COLOURS["answer"])


@pytest.fixture(scope="module")
def staff_app(published: Settings, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with insights on and a staff login, on a copy of the session's index (no questions stored yet)."""
    root = tmp_path_factory.mktemp("staff")
    data = root / "data"
    shutil.copytree(published.data_dir, data, ignore=shutil.ignore_patterns(".ingest.lock", "insights*"))
    settings = published.model_copy(update={"data_dir": data})
    staff = {"admin_user": USER, "admin_password": PASSWORD, "feedback_enabled": True, "rate_limit": ""}
    with serving(app_for(settings, embedder, **staff)) as base:
        yield base


@pytest.fixture(scope="module")
def a_day_of_questions(staff_app: str) -> str:
    """Today's questions: answered, not in the materials, and an emergency."""
    for question in [
        "What are mesenchymal stem cells?",
        "What does it cost?",
        "Is stem cell therapy FDA-approved for autoimmune diseases?",
        "How long is recovery after the fat harvest?",
        "I have crushing chest pain",
    ]:
        assert httpx.post(f"{staff_app}/api/ask", json={"question": question}, timeout=30).status_code == 200
    return staff_app


def open_staff_page(browser, base: str, screen: str, *, bypass_csp: bool = False):
    """A signed-in staff page; returns (context, page, console errors)."""
    phone = screen == "phone"
    context = browser.new_context(viewport=SCREENS[screen], is_mobile=phone, has_touch=phone, bypass_csp=bypass_csp)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/admin/")
    page.locator("input[type=password]").wait_for(timeout=30_000)
    page.locator("input[type=text]").first.fill(USER)
    page.locator("input[type=password]").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("tab", name="Insights").wait_for(timeout=30_000)
    return context, page, errors


def open_insights(page) -> None:
    page.get_by_role("tab", name="Insights").click()
    page.locator("#volume-chart img, #volume-chart .no-data").first.wait_for(timeout=30_000)


@pytest.mark.browser
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_insights_say_so_when_there_are_no_questions_yet(browser, staff_app: str, screen: str) -> None:
    context, page, errors = open_staff_page(browser, staff_app, screen)
    open_insights(page)
    for chart in CHARTS:
        assert page.locator(f"{chart} .no-data").inner_text() == NO_DATA
        assert page.locator(f"{chart} h2").is_visible() and page.locator(f"{chart} img").count() == 0
    page.screenshot(path=str(ARTIFACTS / f"insights-empty-{screen}.png"), full_page=True)
    assert errors == [], errors
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_insights_charts_draw_a_day_of_data(browser, a_day_of_questions: str, screen: str) -> None:
    context, page, errors = open_staff_page(browser, a_day_of_questions, screen)
    open_insights(page)
    for chart, title in zip(CHARTS, ("Questions per day", "Answer rate per day"), strict=True):
        image = page.locator(f"{chart} img")
        image.wait_for()
        assert page.locator(f"{chart} h2").inner_text() == title
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        box = image.bounding_box()
        assert box["width"] > 250 and box["height"] > 100  # a chart, not an empty box
        assert box["x"] >= 0 and box["x"] + box["width"] <= SCREENS[screen]["width"]
        assert image.evaluate(PAINTED) > 500, f"{chart}: no bar was drawn"
        svg = base64.b64decode(image.get_attribute("src").split(",", 1)[1]).decode()
        labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert svg.count('class="bar"') >= 1 and labels
        assert not [label for label in labels if re.search(r"\.\d{3}", label)], labels  # no "2,075.000000"
        assert len(image.get_attribute("alt")) > 40  # says what it shows
    volume = base64.b64decode(page.locator("#volume-chart img").get_attribute("src").split(",", 1)[1]).decode()
    assert ">5<" in volume  # the day's bar is labelled with its number of questions
    page.screenshot(path=str(ARTIFACTS / f"insights-{screen}.png"))
    assert errors == [], errors  # no Content-Security-Policy refusal, nor anything else
    context.close()


@pytest.mark.browser
def test_a_dislike_comment_from_the_chat_reaches_the_knowledge_gaps(browser, a_day_of_questions: str) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    open_chat(page, a_day_of_questions)
    page.locator("#question textarea").fill("Does stem cell therapy work for lupus?")
    page.locator("#ask").click()
    wait_for_replies(page, 1)
    page.locator("#chat .message-buttons-left button[aria-label^='Dislike']").first.click()
    page.locator("#comment textarea:focus").wait_for()
    page.keyboard.type("Please say how many patients were in the trials")
    page.keyboard.press("Enter")
    page.locator("#dislike-comment").wait_for(state="detached")
    context.close()

    context, page, _ = open_staff_page(browser, a_day_of_questions, "desktop")
    open_insights(page)
    gaps = page.locator("#gaps")
    comment = gaps.get_by_text("Please say how many patients were in the trials").filter(visible=True)
    comment.first.wait_for(timeout=30_000)  # (the table keeps a hidden copy of itself for measuring)
    assert "Does stem cell therapy work for lupus?" in gaps.inner_text()
    # the table keeps to the page: nothing runs off the right edge
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")
    assert gaps.bounding_box()["x"] + gaps.bounding_box()["width"] <= 1280
    context.close()


@pytest.mark.browser
def test_staff_can_sign_out(browser, staff_app: str) -> None:
    context, page, _ = open_staff_page(browser, staff_app, "phone")
    sign_out = page.locator("#sign-out")
    assert sign_out.is_visible()
    sign_out.click()
    page.locator("input[type=password]").wait_for(timeout=30_000)
    assert page.request.get(f"{staff_app}/admin/gradio_api/info").status == 401  # the session is over
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize("tab", ["Documents", "Insights"])
def test_staff_page_has_no_accessibility_violations(
    browser,
    a_day_of_questions: str,
    axe_script: Path,
    tab: str,
    screen: str,
) -> None:
    # Our pages' CSP (rightly) refuses an injected script; the scan alone bypasses it.
    context, page, _ = open_staff_page(browser, a_day_of_questions, screen, bypass_csp=True)
    page.get_by_role("tab", name=tab).click()
    if tab == "Insights":
        page.locator("#volume-chart img").wait_for(timeout=30_000)
    else:
        reingest = page.locator("#reingest")
        assert contrast(reingest) >= 4.5  # white on the accent colour
    page.add_script_tag(path=str(axe_script))
    violations = page.evaluate(RUN_AXE)
    assert violations == [], json.dumps(violations, indent=1)
    context.close()
