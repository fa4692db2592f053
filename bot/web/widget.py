"""The embeddable chat: ``/widget.js`` (the one-line embed), the compact page ``/widget`` it frames, that page's
script and stylesheet, and who may embed it (``BOT_ALLOWED_ORIGINS``).

In the browser: a clinic's page loads ``/widget.js``, which draws a launcher in a Shadow DOM and, on first open,
a panel framing ``/widget``; that page asks ``POST /api/ask`` on its own origin. Only the allowed origins may
frame ``/widget`` (CSP ``frame-ancestors``) or call the API from their own scripts (CORS); with none configured,
only the bot's own origin may.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.conversation import Assistant
from bot.index import IndexNotReady
from bot.settings import Settings
from bot.web.urgent import CALL_NUMBERS, TEXT_NUMBERS

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
WIDGET_PAGE = "/widget"
API_PATHS = ("/api/ask", "/api/feedback")
DEFAULT_STARTERS = 3  # FAQ questions offered when BOT_WIDGET_STARTERS is empty
MAX_LABEL_CHARS = 80  # a theming value from a query string is a short label, never a paragraph
SCRIPT_PLACEHOLDER = "__WIDGET_DEFAULTS__"
_ORIGIN = re.compile(r"^https?://(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

PAGE = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True, undefined=StrictUndefined
).get_template("widget.html")
# Query parameters of /widget that /widget.js sets from the script tag's data attributes.
THEMING = {
    "title": "widget_title",
    "placeholder": "widget_placeholder",
    "send": "widget_send_label",
    "sources": "widget_sources_label",
}


def embed_origins(origins: list[str]) -> list[str]:
    """The configured origins in the form browsers send them (``https://clinic.example``); others are dropped.

    A value that is not a plain http(s) origin (a path, a wildcard, a typo) would either never match or open too
    much, and inside a CSP header it could even add directives; it is logged and left out.
    """
    valid = []
    for origin in origins:
        normal = origin.strip().rstrip("/").lower()
        if _ORIGIN.match(normal):
            valid.append(normal)
        else:
            log.warning("BOT_ALLOWED_ORIGINS: %r is not an origin like https://clinic.example; ignored", origin)
    return list(dict.fromkeys(valid))


def frame_ancestors(origins: list[str]) -> str:
    """The CSP ``frame-ancestors`` value for the widget page: the bot itself and the allowed origins."""
    return " ".join(["'self'", *origins])


class ApiCors:
    """Starlette's ``CORSMiddleware``, for the API paths only: the allowed origins may POST JSON to it."""

    def __init__(self, app: ASGIApp, origins: list[str], paths: tuple[str, ...] = API_PATHS) -> None:
        self.app = app
        self.paths = paths
        self.cors = CORSMiddleware(
            app, allow_origins=origins, allow_methods=["POST", "OPTIONS"], allow_headers=["content-type"]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in self.paths:
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def script_defaults(settings: Settings) -> dict[str, Any]:
    """What ``/widget.js`` uses when the script tag has no data attribute for it."""
    return {
        "title": settings.widget_title,
        "color": settings.widget_color,
        "logo": settings.widget_logo or "",
        "position": settings.widget_position,
        "lang": settings.widget_language,
        "label": settings.widget_launcher_label,
        "placeholder": settings.widget_placeholder,
        "send": settings.widget_send_label,
        "sources": settings.widget_sources_label,
        "close": settings.widget_close_label,
    }


def render_script(template: str, settings: Settings) -> str:
    """``widget.js`` with the settings' defaults written in, so that it never has to fetch a configuration."""
    # JSON is valid JavaScript; "<" is escaped so that no value can close a <script> element it is inlined into
    defaults = json.dumps(script_defaults(settings), ensure_ascii=True).replace("<", "\\u003c")
    return template.replace(SCRIPT_PLACEHOLDER, defaults, 1)


def _label(value: str | None, default: str) -> str:
    value = " ".join((value or "").split())[:MAX_LABEL_CHARS]
    return value or default


def render_page(settings: Settings, starters: list[str], query: dict[str, str]) -> str:
    """The compact chat page from ``templates/widget.html``; Jinja escapes every value, and the page's script
    only ever sets ``textContent``.

    The question box comes before the conversation in the page (the stylesheet draws it at the bottom), so that
    Tab goes from the question box and Send to the latest reply's sources, ratings and suggestions.
    """
    words = {name: _label(query.get(name), getattr(settings, field)) for name, field in THEMING.items()}
    color = query.get("color", "")
    language = query.get("lang", "")
    return PAGE.render(
        settings=settings,
        words=words,
        color=color if _COLOR.match(color) else settings.widget_color,
        language=language if _LANGUAGE.match(language) else settings.widget_language,
        starters=starters,
        call_numbers=CALL_NUMBERS,
        text_numbers=TEXT_NUMBERS,
    )


def _starters(assistant: Assistant) -> list[str]:
    settings = assistant.settings
    if settings.widget_starters:
        return list(settings.widget_starters)
    try:
        return [entry.question for entry in assistant.live.current().faq[:DEFAULT_STARTERS]]
    except IndexNotReady:
        return []


def build_widget_router(assistant: Assistant) -> APIRouter:
    """Routes for ``/widget.js``, ``/widget`` and the page's two assets (register before the Gradio mount)."""
    router = APIRouter(include_in_schema=False)
    settings = assistant.settings
    script = render_script((STATIC / "widget.js").read_text(encoding="utf-8"), settings)
    # Assets are revalidated (ETag) rather than cached blind, so that a new release shows at once.
    revalidate = {"cache-control": "no-cache"}

    @router.get("/widget.js")
    def widget_script() -> Response:
        # Any page may load the script (CORP cross-origin); only allowed origins may frame what it opens.
        headers = {"cache-control": "public, max-age=300", "cross-origin-resource-policy": "cross-origin"}
        return Response(script, media_type="text/javascript; charset=utf-8", headers=headers)

    @router.get(WIDGET_PAGE)
    def widget_page(request: Request) -> HTMLResponse:
        page = render_page(settings, _starters(assistant), dict(request.query_params))
        return HTMLResponse(page, headers={"cache-control": "no-store"})

    @router.get("/widget/widget-page.js")
    def page_script() -> FileResponse:
        return FileResponse(STATIC / "widget-page.js", media_type="text/javascript; charset=utf-8", headers=revalidate)

    @router.get("/widget/widget.css")
    def page_style() -> FileResponse:
        return FileResponse(STATIC / "widget.css", media_type="text/css; charset=utf-8", headers=revalidate)

    return router
