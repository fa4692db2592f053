"""Build the one FastAPI app: REST API first, then the Gradio patient chat mounted at ``/``."""

from __future__ import annotations

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from bot.conversation import Assistant
from bot.settings import Settings
from bot.web.admin import build_admin, build_closed_admin
from bot.web.api import build_router, install_error_handlers
from bot.web.chat import CSS, build_chat
from bot.web.limits import BodySizeLimit
from bot.web.ratelimit import RateLimiter, RateLimitMiddleware
from bot.web.security import SecurityHeaders

# System fonts only: a patient's browser never fetches anything from a third party.
THEME = gr.themes.Soft(font=["system-ui", "Segoe UI", "Roboto", "sans-serif"], font_mono=["ui-monospace", "monospace"])


def create_app(settings: Settings | None = None, assistant: Assistant | None = None) -> FastAPI:
    """The whole web app. Pass an ``Assistant`` to share one (tests do); otherwise one is built."""
    settings = settings or Settings()
    assistant = assistant or Assistant(settings)
    app = FastAPI(title=settings.clinic_name, docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    limiter = RateLimiter(settings.rate_limit)
    install_error_handlers(app)
    # Middleware runs outermost-last-added: headers on everything, then rate limit, then body size.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimitMiddleware, limiter=limiter)
    app.add_middleware(SecurityHeaders)
    # API routes are registered before the Gradio mount so that they take precedence over it.
    app.include_router(build_router(assistant))
    app.state.assistant = assistant

    @app.get("/admin", include_in_schema=False)
    def admin_slash() -> RedirectResponse:
        return RedirectResponse("/admin/")

    if settings.admin_user and settings.admin_password:
        admin, auth = build_admin(settings, assistant.live.store), (settings.admin_user, settings.admin_password)
    else:
        admin, auth = build_closed_admin(), None
    # The staff app is mounted first: "/" would otherwise take every path, "/admin" included.
    gr.mount_gradio_app(app, admin, path="/admin", auth=auth, footer_links=[], theme=THEME, run_history=False)
    chat = build_chat(assistant, limiter)
    return gr.mount_gradio_app(app, chat, path="/", css=CSS, footer_links=[], theme=THEME, run_history=False)
