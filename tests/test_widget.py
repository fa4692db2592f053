"""The embeddable widget: a clinic's page on one origin embeds the bot from another, in a real headless Chromium.

Three loopback origins: the bot (``running_app``), the example clinic page on an origin in
``BOT_ALLOWED_ORIGINS``, and the same page on an origin that is not. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from bot.embedding import Embedder
from bot.settings import PROJECT_ROOT, Settings
from bot.web.widget import embed_origins
from tests.conftest import ARTIFACTS, app_for, free_port
from tests.serving import serving

EXAMPLE = PROJECT_ROOT / "examples" / "clinic-site.html"
EXAMPLE_BOT = "http://127.0.0.1:7860"  # the bot address written in the example page
SCRIPT_LINE = re.compile(r"<script src=\"[^\"]*/widget\.js\"[^>]*></script>")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
QUESTION = "What are mesenchymal stem cells?"
ASK_FROM_PAGE = """async (url) => {
  try {
    const response = await fetch(url, {method: "POST", headers: {"content-type": "application/json"},
                                       body: JSON.stringify({question: "What are mesenchymal stem cells?"})});
    return {ok: true, status: response.status, body: await response.json()};
  } catch (error) {
    return {ok: false, error: String(error)};
  }
}"""
RUN_AXE = """async () => {
  const results = await axe.run(document, {iframes: false, resultTypes: ["violations"]});
  return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 5).map(n => n.target.flat().join(" >> "))}));
}"""


class ClinicSite:
    """examples/clinic-site.html on its own loopback origin, its widget script pointing at ``bot``.

    ``/`` is the page with the widget; ``/without-widget`` is the same page without the script line;
    ``/elsewhere`` is the page as shipped for a bot that is not where its widget line says (nothing listens
    there), as when the bot runs on another port.
    """

    def __init__(self) -> None:
        site = self
        nowhere = f"http://127.0.0.1:{free_port()}"

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                page = EXAMPLE.read_text(encoding="utf-8")
                page = page.replace(EXAMPLE_BOT, nowhere if path == "/elsewhere" else site.bot)
                if path == "/without-widget":
                    page = SCRIPT_LINE.sub("", page)
                elif path not in ("/", "/elsewhere"):
                    self.send_response(404)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                body = page.encode()
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.bot = EXAMPLE_BOT
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[ClinicSite, ClinicSite]]:
    """The clinic page twice: on an allowed origin, and on one that is not on the list."""
    allowed, other = ClinicSite(), ClinicSite()
    yield allowed, other
    allowed.close()
    other.close()


@pytest.fixture(scope="module")
def bot(published: Settings, embedder: Embedder, sites) -> Iterator[str]:
    allowed, other = sites
    with serving(app_for(published, embedder, allowed_origins=[allowed.origin], rate_limit="")) as base:
        allowed.bot = other.bot = base
        yield base


def shadow_active_class(page) -> str:
    """The class of the focused element inside the widget's Shadow DOM ("" when the focus is elsewhere)."""
    return page.evaluate(
        "() => { const h = document.querySelector('clinic-chat-widget');"
        " return h && document.activeElement === h && h.shadowRoot.activeElement"
        " ? h.shadowRoot.activeElement.className : ''; }"
    )


def ask_in_widget(page, question: str):
    """Type a question into the open widget with the keyboard and wait for the reply; returns the frame."""
    frame = page.frame_locator("clinic-chat-widget iframe")
    frame.locator("#question:focus").wait_for(timeout=10_000)  # the launcher hands the focus to the question box
    page.keyboard.type(question)
    page.keyboard.press("Enter")
    frame.locator(".msg.bot.kind-answer").last.wait_for(timeout=30_000)
    return frame


# --- over HTTP ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("configured", "kept"),
    [
        (["https://clinic.example"], ["https://clinic.example"]),
        (["https://Clinic.Example/", " http://127.0.0.1:8000 "], ["https://clinic.example", "http://127.0.0.1:8000"]),
        (["http://[::1]:8080"], ["http://[::1]:8080"]),
        (["*", "clinic.example", "https://clinic.example/page", "https://a.example; script-src *"], []),
        (["ftp://clinic.example", "https://a.example https://b.example"], []),
    ],
)
def test_only_plain_origins_are_allowed(configured: list[str], kept: list[str]) -> None:
    assert embed_origins(configured) == kept


def test_starters_come_from_a_json_list_so_questions_may_hold_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_WIDGET_STARTERS", '["Is it safe, and for whom?", "What does it cost?"]')
    monkeypatch.setenv("BOT_ALLOWED_ORIGINS", "https://a.example, https://b.example")
    settings = Settings()
    assert settings.widget_starters == ["Is it safe, and for whom?", "What does it cost?"]
    assert settings.allowed_origins == ["https://a.example", "https://b.example"]


def test_widget_script_is_a_plain_script_that_fetches_nothing(bot: str) -> None:
    response = httpx.get(f"{bot}/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    script = response.text
    assert json.dumps(Settings().widget_title) in script and "__WIDGET_DEFAULTS__" not in script
    for forbidden in ("fetch(", "XMLHttpRequest", "import(", "sendBeacon", "WebSocket", "innerHTML", "eval("):
        assert forbidden not in script, forbidden
    assert len(script.encode()) < 16_000  # small: no framework, no build step


def test_widget_page_runs_under_a_strict_policy(bot: str, sites) -> None:
    allowed, _ = sites
    response = httpx.get(f"{bot}/widget")
    policy = response.headers["content-security-policy"]
    assert f"frame-ancestors 'self' {allowed.origin}" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    page = response.text
    assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", page))  # no inline script
    assert not re.search(r"\son[a-z]+\s*=", page)  # no inline event handler
    assert Settings().disclaimer.replace("'", "&#39;") in page  # escaped by the template
    assert "innerHTML" not in httpx.get(f"{bot}/widget/widget-page.js").text
    assert httpx.get(f"{bot}/widget/widget.css").headers["content-type"].startswith("text/css")


def test_theming_from_the_query_string_is_validated(bot: str) -> None:
    page = httpx.get(f"{bot}/widget", params={"color": "red;}body{x", "title": "<script>x</script>", "lang": "e n"})
    assert f'data-accent="{Settings().widget_color}"' in page.text
    assert "<script>x" not in page.text and "&lt;script&gt;x" in page.text
    assert '<html lang="en">' in page.text
    assert 'data-accent="#14532d"' in httpx.get(f"{bot}/widget", params={"color": "#14532d"}).text


def test_only_allowed_origins_may_call_the_api_from_a_browser(bot: str, server: str, sites) -> None:
    allowed, other = sites
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    ok = httpx.options(f"{bot}/api/ask", headers={"origin": allowed.origin, **preflight})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == allowed.origin
    assert "POST" in ok.headers["access-control-allow-methods"]
    refused = httpx.options(f"{bot}/api/ask", headers={"origin": other.origin, **preflight})
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    answer = httpx.post(f"{bot}/api/ask", json={"question": QUESTION}, headers={"origin": allowed.origin})
    assert answer.headers["access-control-allow-origin"] == allowed.origin
    # CORS is for the API only: the other routes answer no origin
    assert "access-control-allow-origin" not in httpx.get(f"{bot}/healthz", headers={"origin": allowed.origin}).headers
    # with no list (the shared server), only the bot's own origin may embed or call
    assert httpx.get(f"{server}/widget").headers["content-security-policy"].endswith("frame-ancestors 'self'")
    alone = httpx.options(f"{server}/api/ask", headers={"origin": allowed.origin, **preflight})
    assert "access-control-allow-origin" not in alone.headers


# --- in Chromium -------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_patient_opens_the_widget_with_the_keyboard_and_gets_a_cited_answer(browser, bot: str, sites) -> None:
    allowed, _ = sites
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{allowed.origin}/without-widget")
    page_globals = set(page.evaluate("() => Object.keys(window)"))
    page.goto(f"{allowed.origin}/", wait_until="networkidle")
    launcher = page.locator("clinic-chat-widget .launcher")
    launcher.wait_for()
    assert set(page.evaluate("() => Object.keys(window)")) - page_globals == {"ClinicChatWidget"}
    assert page.locator("clinic-chat-widget iframe").count() == 0  # nothing loads before the patient asks
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-closed-desktop.png"))

    # the page's hostile CSS does not reach the widget (and the widget leaves the page's styles alone)
    style = launcher.evaluate("e => { const s = getComputedStyle(e); return [s.display, s.fontFamily, s.fontSize]; }")
    assert style[0] != "none" and style[1].split(",")[0].strip() != "serif" and style[2] == "15px"
    assert page.locator("header.site").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(20, 83, 45)"
    assert page.locator("main p").first.evaluate("e => getComputedStyle(e).fontSize") == "20px"

    # keyboard only: Tab to the launcher, Enter opens it, the focus lands in the question box
    for _ in range(30):
        page.keyboard.press("Tab")
        if shadow_active_class(page).startswith("launcher"):
            break
    assert shadow_active_class(page).startswith("launcher")
    page.keyboard.press("Enter")
    assert launcher.get_attribute("aria-expanded") == "true"
    frame = ask_in_widget(page, QUESTION)

    reply = frame.locator(".msg.bot.kind-answer").last
    assert "bone marrow" in reply.inner_text() and "[1]" in reply.inner_text()
    disclaimer = frame.locator("#disclaimer")
    assert disclaimer.inner_text() == Settings().disclaimer and disclaimer.is_visible()
    page.screenshot(path=str(ARTIFACTS / "widget-open-desktop.png"))
    reply.locator("a.cite").first.click()  # a citation marker opens the sources at its entry
    sources = reply.locator("details.sources")
    assert sources.get_attribute("open") is not None
    source_text = sources.inner_text()
    assert "Balanced Picture" in source_text and "reviewed 20" in source_text
    assert frame.locator("button.suggestion").count() >= 1
    assert disclaimer.is_visible()  # still there after the conversation scrolled

    # like / dislike on the reply reaches POST /api/feedback
    with page.expect_response(lambda r: r.url.endswith("/api/feedback")) as rated:
        reply.locator("button.rate[data-rating='down']").click()
    assert rated.value.status == 204
    assert reply.locator("button.rate[data-rating='down']").get_attribute("aria-pressed") == "true"

    panel = page.locator("clinic-chat-widget .panel").bounding_box()
    assert 380 <= panel["width"] <= 400 and panel["height"] > 500  # the page's iframe rule changed nothing
    page.screenshot(path=str(ARTIFACTS / "widget-sources-desktop.png"))

    # Esc closes the panel from inside the chat and gives the focus back to the launcher
    frame.locator("#question").focus()
    page.keyboard.press("Escape")
    page.locator("clinic-chat-widget .panel").wait_for(state="hidden")
    assert launcher.get_attribute("aria-expanded") == "false"
    assert shadow_active_class(page).startswith("launcher")
    assert not errors, errors
    context.close()


@pytest.mark.browser
def test_an_emergency_is_emphasised_in_the_widget(browser, bot: str, sites) -> None:
    allowed, _ = sites
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{allowed.origin}/", wait_until="networkidle")
    page.locator("clinic-chat-widget .launcher").click()
    frame = page.frame_locator("clinic-chat-widget iframe")
    frame.locator("#question").fill("I have crushing chest pain")
    frame.locator("#question").press("Enter")
    alert = frame.locator(".msg.urgent[role=alert]")
    alert.wait_for(timeout=30_000)
    assert "911" in alert.inner_text() and alert.locator("strong").count() >= 1
    assert alert.evaluate("e => getComputedStyle(e).borderLeftWidth") == "5px"
    # the number is a link to tap, in the text and as a large button
    call = alert.locator("a.urgent-action[href='tel:911']")
    assert call.inner_text() == "Call 911" and call.bounding_box()["height"] >= 44
    assert alert.locator("a[href='tel:911']").count() == 2
    assert alert.locator("button.rate").count() == 0  # nothing to rate
    frame.locator("#question").fill("I want to end my life")
    frame.locator("#question").press("Enter")
    crisis = frame.locator(".msg.urgent[role=alert]").nth(1)
    crisis.wait_for(timeout=30_000)
    hrefs = [a.get_attribute("href") for a in crisis.locator("a.urgent-action").all()]
    assert hrefs == ["tel:988", "sms:988", "tel:911"]
    page.close()


HOSTILE_REPLY = {
    "answer": "Bring the wristband &lt;img src=x onerror=alert('answer')&gt; **always**. [1] [2]\n\n"
    "Read the [policy](javascript:alert('link')) or [the FDA page](https://www.fda.gov/) first.",
    "kind": "answer",
    "citations": [
        {
            "id": 1,
            "title": "<script>alert('title')</script>Harvest Day Notes",
            "source": "javascript:alert('source')",
            "section": "<b>bold?</b>",
            "snippet": "<img src=x onerror=alert('snippet')>",
            "score": 1.0,
            "reviewed": "2026-10-01",
        }
    ],
    "disclaimer": Settings().disclaimer,
    "suggestions": ["<img src=x onerror=alert('suggestion')>"],
    "index_version": "kb-test",
    "reply_id": "r1",
}


@pytest.mark.browser
def test_a_reply_full_of_markup_is_shown_as_text(browser, bot: str) -> None:
    page = browser.new_page(viewport={"width": 400, "height": 700})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route(f"{bot}/api/ask", lambda route: route.fulfill(json=HOSTILE_REPLY))
    page.goto(f"{bot}/widget")
    page.locator("#question").fill("wristband?")
    page.locator("#question").press("Enter")
    reply = page.locator(".msg.bot.kind-answer")
    reply.wait_for()
    reply.locator("summary").click()
    text = reply.inner_text()
    assert "<img src=x onerror=alert('answer')>" in text and "<script>alert('title')</script>" in text
    assert page.locator("img, script:not([src])").count() == 0
    assert [a.get_attribute("href") for a in reply.locator("a:not(.cite)").all()] == ["https://www.fda.gov/"]
    assert reply.locator("a.cite").count() == 1  # [2] has no source, so it stays plain text
    assert reply.locator("strong", has_text="always").count() == 1
    page.locator("button.suggestion", has_text="onerror").click()  # a suggestion is asked as plain text
    page.locator(".msg.user", has_text="onerror").wait_for()
    page.wait_for_timeout(300)
    assert dialogs == [] and page.locator("img").count() == 0
    page.close()


@pytest.mark.browser
def test_widget_fills_a_phone_screen(browser, bot: str, sites) -> None:
    allowed, _ = sites
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{allowed.origin}/", wait_until="networkidle")
    launcher = page.locator("clinic-chat-widget .launcher")
    launcher.wait_for()
    page.screenshot(path=str(ARTIFACTS / "widget-closed-mobile.png"))
    launcher.tap()
    frame = page.frame_locator("clinic-chat-widget iframe")
    frame.locator("#question").fill(QUESTION)
    frame.locator("#send").tap()
    frame.locator(".msg.bot.kind-answer").wait_for(timeout=30_000)
    box = page.locator("clinic-chat-widget .panel").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, PHONE["width"], PHONE["height"])
    assert frame.locator("#disclaimer").is_visible() and frame.locator("#question").is_visible()
    page.screenshot(path=str(ARTIFACTS / "widget-open-mobile.png"))
    page.locator("clinic-chat-widget .close").tap()
    page.locator("clinic-chat-widget .panel").wait_for(state="hidden")
    context.close()


FOCUS = """() => {
  const host = document.querySelector('clinic-chat-widget');
  if (document.activeElement !== host) return 'page:' + document.activeElement.tagName.toLowerCase();
  const inner = host.shadowRoot.activeElement;
  if (!inner) return 'host';
  return inner.tagName === 'IFRAME' ? 'chat' : 'panel:' + inner.className;
}"""
IN_CHAT = """() => { const e = document.activeElement;
  if (!document.hasFocus() || e === document.body) return '';
  return (e.id || e.className || e.tagName.toLowerCase()) + '#' + [...document.querySelectorAll('*')].indexOf(e); }"""


def focus_state(page, chat) -> str:
    """Where the focus is: a control of the panel, a control of the chat page in its frame, or the page behind."""
    where = page.evaluate(FOCUS)
    return f"chat:{chat.evaluate(IN_CHAT)}" if where == "chat" else where


def focus_trail(page, key: str, presses: int) -> list[str]:
    """Where the focus lands after each of ``presses`` presses of ``key`` (chat controls by name)."""
    chat = next(f for f in page.frames if "/widget" in f.url)
    trail, state = [], focus_state(page, chat)
    for _ in range(presses):
        page.keyboard.press(key)
        # the chat page hands the focus over by message, so the move may land a moment later: poll for it
        deadline = time.monotonic() + 3
        moved = focus_state(page, chat)
        while (moved == state or moved in ("chat:", "host")) and time.monotonic() < deadline:
            page.wait_for_timeout(20)
            moved = focus_state(page, chat)
        state = moved
        trail.append(moved.split("#")[0])
    return trail


@pytest.mark.browser
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_open_widget_keeps_the_keyboard(browser, bot: str, sites, screen: str) -> None:
    allowed, _ = sites
    phone = screen == "phone"
    context = browser.new_context(viewport=PHONE if phone else DESKTOP, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.goto(f"{allowed.origin}/", wait_until="networkidle")
    page.locator("clinic-chat-widget .launcher").focus()
    page.keyboard.press("Enter")
    frame = ask_in_widget(page, QUESTION)
    reply = frame.locator(".msg.bot.kind-answer").last
    # like / dislike are drawn icons with names, not emoji that need a font
    rates = reply.locator("button.rate")
    assert rates.count() == 2 and all(b.text_content() == "" for b in rates.all())
    assert [b.get_attribute("aria-label") for b in rates.all()] == ["Helpful", "Not helpful"]
    assert reply.locator("button.rate svg path").count() == 2

    frame.locator("#question").focus()
    forward = focus_trail(page, "Tab", 24)
    assert not [f for f in forward if f.startswith("page:")], forward  # never the page behind the panel
    # from the question box: Send, then the conversation and the reply's controls, then the close button
    assert forward[0] == "chat:send", forward
    after_send = forward[1 : forward.index("panel:close")]
    assert "chat:cite" in after_send and "chat:rate" in after_send and "chat:suggestion" in after_send, forward
    assert forward[forward.index("panel:close") + 1] == "chat:question", forward  # and round again

    frame.locator("#question").focus()
    backward = focus_trail(page, "Shift+Tab", 6)
    assert not [f for f in backward if f.startswith("page:")], backward
    assert backward[0] == "panel:close" and backward[1] == "chat:suggestion", backward
    assert frame.locator(".msg.bot.kind-answer").count() == 1  # moving around asked nothing
    context.close()


@pytest.mark.browser
def test_the_example_page_finds_a_bot_elsewhere_and_says_when_it_cannot(browser, bot: str, sites) -> None:
    allowed, _ = sites
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{allowed.origin}/elsewhere", wait_until="load")
    notice = page.locator(".example-notice")
    notice.wait_for()
    assert "did not load" in notice.inner_text() and "?bot=" in notice.inner_text()
    assert page.locator("clinic-chat-widget").count() == 0
    page.goto(f"{allowed.origin}/elsewhere?bot={bot}", wait_until="load")
    page.locator("clinic-chat-widget .launcher").click()
    page.frame_locator("clinic-chat-widget iframe").locator("#question:focus").wait_for(timeout=15_000)
    assert page.locator(".example-notice").count() == 0
    assert page.evaluate("() => document.querySelectorAll('clinic-chat-widget').length") == 1
    page.close()


@pytest.mark.browser
def test_an_origin_not_on_the_list_gets_no_chat(browser, bot: str, sites) -> None:
    allowed, other = sites
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{other.origin}/", wait_until="networkidle")
    # the browser refuses the frame and says why: the chat page's frame-ancestors does not name this origin
    with page.expect_console_message(lambda message: "frame-ancestors" in message.text, timeout=15_000):
        page.locator("clinic-chat-widget .launcher").click()
    framed = [frame for frame in page.frames if frame != page.main_frame]
    assert framed, "the widget should have tried to open its frame"
    assert all(frame.locator("#question").count() == 0 for frame in framed)  # an error page, not the chat
    page.screenshot(path=str(ARTIFACTS / "widget-refused.png"))
    # and a script on that page cannot ask the API, while one on an allowed page can
    refused = page.evaluate(ASK_FROM_PAGE, f"{bot}/api/ask")
    assert refused["ok"] is False and "Failed to fetch" in refused["error"]
    page.goto(f"{allowed.origin}/")
    answered = page.evaluate(ASK_FROM_PAGE, f"{bot}/api/ask")
    assert answered["ok"] and answered["status"] == 200 and answered["body"]["kind"] == "answer"
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize(
    "target",
    [
        "chat page",
        "chat page with replies",
        "chat page with replies, dark theme",
        "widget page",
        "clinic page with the widget open",
    ],
)
def test_no_accessibility_violations(browser, bot: str, sites, axe_script: Path, target: str, screen: str) -> None:
    allowed, _ = sites
    # Our pages' CSP (rightly) refuses an injected script; the scan alone bypasses it.
    scheme = "dark" if target.endswith("dark theme") else "light"
    viewport = PHONE if screen == "phone" else DESKTOP
    context = browser.new_context(viewport=viewport, bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    if target.startswith("chat page"):
        page.goto(f"{bot}/")
        page.locator("#chat button.example").first.wait_for(timeout=30_000)  # Gradio has drawn the chat
        if target.startswith("chat page with replies"):
            for count, question in enumerate(("I have crushing chest pain", QUESTION), start=1):
                page.locator("#question textarea").fill(question)  # an urgent reply, then an answer
                page.locator("#ask").click()
                page.locator("#chat .message-row.bot-row").nth(count - 1).wait_for(timeout=30_000)
            page.locator("#chat .options button.option").first.wait_for(timeout=30_000)
            page.locator("#chat .message-buttons-left button[aria-label^='Dislike']").last.click()
            page.locator("#dislike-comment").wait_for()  # the comment box open, too
        scanned = [page.main_frame]
    elif target == "widget page":
        page.goto(f"{bot}/widget", wait_until="networkidle")
        scanned = [page.main_frame]
    else:
        page.goto(f"{allowed.origin}/", wait_until="networkidle")
        page.locator("clinic-chat-widget .launcher").click()
        ask_in_widget(page, QUESTION)
        scanned = [page.main_frame, next(f for f in page.frames if f.url.startswith(f"{bot}/widget"))]
    violations = []
    for frame in scanned:
        frame.add_script_tag(path=str(axe_script))
        violations += frame.evaluate(RUN_AXE)
    assert violations == [], json.dumps(violations, indent=1)  # none at all, of any impact
    context.close()
