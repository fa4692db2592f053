"""The public REST API (ARCHITECTURE section 4): ``POST /api/ask``, ``POST /api/feedback``, ``GET /healthz``.

Every failure a client can cause is a 4xx with a JSON body saying what is wrong; no input reaches a 5xx.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.conversation import Assistant
from bot.index import IndexModelMismatch, IndexNotReady
from bot.inputs import Turn
from bot.insights import Insights
from bot.replies import Answer
from bot.web.asking import Refusal, ask
from bot.web.errors import error_response

log = logging.getLogger(__name__)
HTTP_ERROR_CODES = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large", 415: "unsupported_media_type"}


class HistoryMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str


class AskRequest(BaseModel):
    """The body of ``POST /api/ask``; unknown keys are refused so that typos are caught, not ignored."""

    model_config = ConfigDict(extra="forbid")

    question: str
    history: list[HistoryMessage] = Field(default_factory=list)
    session_id: str | None = Field(default=None, max_length=200)


class FeedbackRequest(BaseModel):
    """The body of ``POST /api/feedback``."""

    model_config = ConfigDict(extra="forbid")

    reply_id: str = Field(min_length=1, max_length=64)
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=1000)


DOCS_URL = "/api/docs"
DOCS_ASSETS = "/api/docs/static"


def build_docs_router(app_title: str) -> APIRouter:
    """Interactive API docs (Swagger UI) at ``/api/docs``, served from the swagger-ui-bundle package: no CDN,
    so they work offline and under the page's strict Content-Security-Policy."""
    import swagger_ui_bundle

    router = APIRouter()
    assets = Path(swagger_ui_bundle.swagger_ui_path)

    @router.get(DOCS_URL, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title=f"{app_title}: REST API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
        )

    @router.get(DOCS_ASSETS + "/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        if name not in DOCS_FILES:
            return error_response(404, "not_found", "no such file")
        return FileResponse(assets / name)

    return router


DOCS_FILES = frozenset({"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"})


def build_router(assistant: Assistant, insights: Insights) -> APIRouter:
    router = APIRouter()

    # Sync handlers: FastAPI runs them in its thread pool, so the CPU-bound model call never blocks the loop.
    @router.post("/api/ask", response_model=Answer)
    def ask_question(body: AskRequest) -> Answer | JSONResponse:
        reply = ask(assistant, body.question, [Turn(m.role, m.content) for m in body.history])
        if isinstance(reply, Refusal):
            return error_response(reply.status, reply.error, reply.message)
        return reply

    @router.post("/api/feedback", status_code=204)
    def feedback(body: FeedbackRequest) -> Response:
        if not insights.record_feedback(body.reply_id, body.rating, body.comment):
            return error_response(404, "unknown_reply", "no reply with that id (it may be too old)")
        return Response(status_code=204)

    @router.get("/healthz")
    def healthz() -> JSONResponse:
        try:
            info = assistant.live.current().info
        except IndexModelMismatch as exc:
            body = {"status": "model_mismatch", "index_version": None, "documents": 0, "chunks": 0, "reason": str(exc)}
            return JSONResponse(body, status_code=503)
        except IndexNotReady:
            return JSONResponse(
                {"status": "no_index", "index_version": None, "documents": 0, "chunks": 0}, status_code=503
            )
        return JSONResponse(
            {"status": "ok", "index_version": info.version, "documents": info.documents, "chunks": info.chunks}
        )

    return router


def install_error_handlers(app: FastAPI) -> None:
    """JSON reasons for malformed requests; never echo the input, never show a stack trace."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "invalid_json", "the request body is not valid JSON")
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "problem": e.get("msg", "")}
            for e in errors
        ][:10]
        return error_response(422, "invalid_request", "the request body does not match the API", details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI answers an undecodable body with a bare 400; give it the same shape as every other error
        code = "invalid_json" if exc.status_code == 400 else HTTP_ERROR_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(500, "internal_error", "something went wrong on our side; please try again")
