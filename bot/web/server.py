"""Build the one FastAPI app: REST API first, then the Gradio patient chat mounted at ``/``."""

from __future__ import annotations

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from bot.conversation import Assistant
from bot.insights import Insights
from bot.settings import Settings
from bot.web.admin import ADMIN_CSS, build_admin, build_closed_admin
from bot.web.api import build_router, install_error_handlers
from bot.web.chat import CSS, HEAD, build_chat, build_chat_assets
from bot.web.limits import BodySizeLimit
from bot.web.ratelimit import RateLimiter, RateLimitMiddleware
from bot.web.security import SecurityHeaders
from bot.web.theme import THEME
from bot.web.widget import WIDGET_PAGE, ApiCors, build_widget_router, embed_origins, frame_ancestors


def create_app(settings: Settings | None = None, assistant: Assistant | None = None) -> FastAPI:
    """The whole web app. Pass an ``Assistant`` to share one (tests do); otherwise one is built."""
    settings = settings or Settings()
    insights = Insights(settings.data_dir, enabled=settings.feedback_enabled, retention_days=settings.retention_days)
    assistant = assistant or Assistant(settings)
    assistant.on_reply = assistant.on_reply or insights.record_reply
    app = FastAPI(title=settings.clinic_name, docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    limiter = RateLimiter(settings.rate_limit)
    install_error_handlers(app)
    origins = embed_origins(settings.allowed_origins)
    # Middleware runs outermost-last-added: headers on everything, then CORS for the allowed origins (outside the
    # limits, so that their scripts can read a 413 or 429), then rate limit, then body size.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimitMiddleware, limiter=limiter)
    app.add_middleware(ApiCors, origins=origins)
    app.add_middleware(SecurityHeaders, frame_ancestors={WIDGET_PAGE: frame_ancestors(origins)})
    # API and widget routes are registered before the Gradio mount so that they take precedence over it.
    app.include_router(build_router(assistant, insights))
    app.include_router(build_widget_router(assistant))
    app.include_router(build_chat_assets())
    app.state.assistant = assistant

    @app.get("/admin", include_in_schema=False)
    def admin_slash() -> RedirectResponse:
        return RedirectResponse("/admin/")

    if settings.admin_user and settings.admin_password:
        admin = build_admin(settings, assistant.live.store, insights, assistant.encode)
        auth = (settings.admin_user, settings.admin_password)
    else:
        admin, auth = build_closed_admin(), None
    # The staff app is mounted first: "/" would otherwise take every path, "/admin" included.
    gr.mount_gradio_app(
        app, admin, path="/admin", auth=auth, css=ADMIN_CSS, footer_links=[], theme=THEME, run_history=False
    )
    chat = build_chat(assistant, insights, limiter)
    return gr.mount_gradio_app(app, chat, path="/", css=CSS, head=HEAD, footer_links=[], theme=THEME, run_history=False)
