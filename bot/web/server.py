"""Build the one FastAPI app: REST API first, then the Gradio patient chat mounted at ``/``."""

from __future__ import annotations

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from bot.conversation import Assistant
from bot.credentials import StaffAccounts
from bot.embedding import Embedder
from bot.insights import Insights
from bot.settings import Settings
from bot.web.admin import build_admin, build_closed_admin
from bot.web.api import build_router, install_error_handlers
from bot.web.chat import CSS, build_chat
from bot.web.head import HeadAsGet
from bot.web.limits import BodySizeLimit
from bot.web.ratelimit import RateLimiter, RateLimitMiddleware
from bot.web.security import SecurityHeaders
from bot.web.staff_documents import STAFF_CSS
from bot.web.widget import WIDGET_PAGE, ApiCors, build_widget_router, embed_origins, frame_ancestors

# System fonts only: a patient's browser never fetches anything from a third party.
THEME = gr.themes.Soft(font=["system-ui", "Segoe UI", "Roboto", "sans-serif"], font_mono=["ui-monospace", "monospace"])


def create_app(
    settings: Settings | None = None, embedder: Embedder | None = None, assistant: Assistant | None = None
) -> FastAPI:
    """The whole web app. Pass the process's ``Embedder`` (and an ``Assistant`` to share one); otherwise they
    are built from the settings."""
    settings = settings or Settings()
    embedder = embedder or Embedder.from_settings(settings)
    insights = Insights(settings.data_dir, enabled=settings.feedback_enabled, retention_days=settings.retention_days)
    assistant = assistant or Assistant(settings, embedder)
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
    app.add_middleware(HeadAsGet)  # outermost: HEAD gets exactly the GET response's status and headers
    # API and widget routes are registered before the Gradio mount so that they take precedence over it.
    app.include_router(build_router(assistant, insights))
    app.include_router(build_widget_router(assistant))
    app.state.assistant = assistant

    @app.get("/admin", include_in_schema=False)
    def admin_slash() -> RedirectResponse:
        return RedirectResponse("/admin/")

    accounts = StaffAccounts.from_settings(settings)  # refuses an unreadable credentials file at start-up
    if accounts is not None:
        admin = build_admin(settings, assistant.live.store, insights, embedder)
        auth = accounts.as_auth()
    else:
        admin, auth = build_closed_admin(), None
    # The staff app is mounted first: "/" would otherwise take every path, "/admin" included.
    gr.mount_gradio_app(
        app, admin, path="/admin", auth=auth, footer_links=[], theme=THEME, run_history=False, css=STAFF_CSS
    )
    chat = build_chat(assistant, insights, limiter)
    return gr.mount_gradio_app(app, chat, path="/", css=CSS, footer_links=[], theme=THEME, run_history=False)
