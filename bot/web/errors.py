"""The one error body every surface writes: ``{"error": code, "message": reason, ...}``.

The REST API answers it with a 4xx/5xx status, the middlewares (body size, rate limit, unknown routes) write it
before any route runs, and gradio_client's ``/ask`` returns it as its result. Scripts switch on ``error``; the
``message`` is a plain reason that a clinic's page may show a patient as "Sorry, <message>."
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from fastapi.responses import JSONResponse


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": code, "message": message, **extra}


def error_response(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    """The error body as a FastAPI response."""
    return JSONResponse(error_body(code, message, **extra), status_code=status)


def error_bytes(code: str, message: str, **extra: object) -> tuple[bytes, Sequence[tuple[bytes, bytes]]]:
    """The error body and its headers for middleware that answers on the raw ASGI ``send``."""
    body = json.dumps(error_body(code, message, **extra)).encode()
    return body, [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
