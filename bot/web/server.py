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
from bot.web.admin import ADMIN_CSS, build_admin, build_closed_admin
from bot.web.api import build_docs_router, build_router, install_error_handlers
from bot.web.chat import HEAD, build_chat, build_chat_assets, chat_css
from bot.web.head import HeadAsGet
from bot.web.limits import BodySizeLimit
from bot.web.login import LOGIN_NOTE, LoginThrottle
from bot.web.ratelimit import CHAT_DOOR_FACTOR, RateLimiter, RateLimitMiddleware
from bot.web.routes import BODY_CAPS, STAFF_MOUNT, RouteGuard, body_caps
from bot.web.security import SecurityHeaders
from bot.web.staff_documents import STAFF_CSS
from bot.web.theme import THEME
from bot.web.widget import WIDGET_PAGE, ApiCors, build_widget_router, embed_origins, frame_ancestors

# Files Gradio keeps for the staff page (uploads, the insights export) are looked for every 10 minutes and deleted
# once an hour old: long after the page has used them.
STAFF_FILES_CHECK_SECONDS = 600
STAFF_FILES_MAX_AGE_SECONDS = 3600


def create_app(
    settings: Settings | None = None, embedder: Embedder | None = None, assistant: Assistant | None = None
) -> FastAPI:
    """The whole web app. Pass the process's ``Embedder`` (and an ``Assistant`` to share one); otherwise they
    are built from the settings."""
    settings = settings or Settings()
    if embedder is None and assistant is not None:  # the staff page ingests with the model the assistant serves
        model = getattr(assistant.encoder, "model", assistant.encoder)  # a BatchingEncoder wraps an Embedder
        embedder = model if isinstance(model, Embedder) else None
    embedder = embedder or Embedder.from_settings(settings)
    insights = Insights(settings.data_dir, enabled=settings.feedback_enabled, retention_days=settings.retention_days)
    assistant = assistant or Assistant(settings, embedder)
    assistant.on_reply = assistant.on_reply or insights.record_reply
    app = FastAPI(title=settings.clinic_name, docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.openapi_version = "3.0.3"  # the bundled Swagger UI (4.x) renders no 3.1 document; the schema is the same
    accounts = StaffAccounts.from_settings(settings)  # refuses an unreadable credentials file at start-up
    staff_login = accounts is not None
    install_error_handlers(app)
    origins = embed_origins(settings.allowed_origins)
    # Middleware runs outermost-last-added: headers on everything, then CORS for the allowed origins (outside the
    # limits, so that their scripts can read a 413 or 429), then 404 for every route the product does not use
    # (bot/web/routes.py), then the rate limit and the body size of every request, then sign-in throttling.
    if staff_login:
        app.add_middleware(
            LoginThrottle, per_address=settings.login_rate_limit, per_account=settings.login_account_rate_limit
        )
    caps = body_caps({name: getattr(settings, name) for name in BODY_CAPS.values()})
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, caps=caps)
    limiter = RateLimiter(settings.rate_limit)
    chat_door = RateLimiter(settings.rate_limit, factor=CHAT_DOOR_FACTOR)
    app.add_middleware(RateLimitMiddleware, limiter=limiter, chat_door=chat_door)
    app.add_middleware(RouteGuard, staff_login=staff_login)
    app.add_middleware(ApiCors, origins=origins)
    app.add_middleware(SecurityHeaders, frame_ancestors={WIDGET_PAGE: frame_ancestors(origins)})
    app.add_middleware(HeadAsGet)  # outermost: HEAD gets exactly the GET response's status and headers
    # API and widget routes are registered before the Gradio mount so that they take precedence over it.
    app.include_router(build_router(assistant, insights))
    app.include_router(build_docs_router(settings.clinic_name))
    app.include_router(build_widget_router(assistant))
    app.include_router(build_chat_assets())
    app.state.assistant = assistant

    @app.get(STAFF_MOUNT, include_in_schema=False)
    def admin_slash() -> RedirectResponse:
        return RedirectResponse(STAFF_MOUNT + "/")

    if accounts is not None:
        admin = build_admin(settings, assistant.live.store, insights, embedder)
        auth = accounts.as_auth()
    else:
        admin, auth = build_closed_admin(), None
    admin.delete_cache = (STAFF_FILES_CHECK_SECONDS, STAFF_FILES_MAX_AGE_SECONDS)
    # Monitoring off in Gradio too (RouteGuard already closes its routes); no uploads to the chat at all.
    # The staff app is mounted first: "/" would otherwise take every path, "/admin" included.
    gr.mount_gradio_app(
        app,
        admin,
        path=STAFF_MOUNT,
        auth=auth,
        auth_message=LOGIN_NOTE if staff_login else None,
        max_file_size=settings.max_file_bytes,
        enable_monitoring=False,
        css=ADMIN_CSS + STAFF_CSS,
        footer_links=[],
        theme=THEME,
        run_history=False,
    )
    chat = build_chat(assistant, insights, limiter)
    return gr.mount_gradio_app(
        app,
        chat,
        path="/",
        max_file_size=0,
        enable_monitoring=False,
        css=chat_css(settings),
        head=HEAD,
        footer_links=[],
        theme=THEME,
        run_history=False,
    )
