"""Refuse oversized request bodies before they are parsed (413 with a JSON reason), on every route.

Every request is held to ``max_bytes`` unless its path has a larger cap (the chat's events carry the
conversation; a staff upload carries documents). Bodies up to ``BUFFER_LIMIT`` are read here, so that an
over-long chunked body is refused as cleanly as one with an honest ``Content-Length``; a larger cap is
enforced on the declared length alone (the server reads no more than it), so such a route must declare it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.errors import error_bytes
from bot.web.routes import route_path

BUFFER_LIMIT = 2_000_000  # bodies up to this size are read into memory and counted; larger caps need a length
NO_BODY = {"GET", "HEAD", "OPTIONS"}


class BodySizeLimit:
    """ASGI middleware: ``max_bytes`` for every request body, or the cap of the first pattern that matches."""

    def __init__(self, app: ASGIApp, max_bytes: int, caps: Sequence[tuple[re.Pattern[str], int]] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.caps = list(caps)

    def limit(self, path: str) -> int:
        path = path.rstrip("/") or "/"
        return next((cap for pattern, cap in self.caps if pattern.match(path)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(route_path(scope))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await refuse(scope, send, 413, "body_too_large", f"the request body is over the {limit}-byte limit")
            return
        if scope["method"] in NO_BODY and declared is None:
            await self.app(scope, receive, send)
            return
        if limit > BUFFER_LIMIT:
            if declared is None:
                await refuse(
                    scope, send, 411, "length_required", "a request this large must declare its Content-Length"
                )
                return
            await self.app(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await refuse(scope, send, 413, "body_too_large", f"the request body is over the {limit}-byte limit")
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def refuse(
    scope: Scope, send: Send, status: int, code: str, message: str, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    """The REST API's error body; elsewhere it also carries ``detail``, which Gradio's pages show."""
    extra = {} if route_path(scope).startswith("/api/") else {"detail": message}
    body, own_headers = error_bytes(code, message, **extra)
    start = [*own_headers, *headers]
    await send({"type": "http.response.start", "status": status, "headers": start})
    await send({"type": "http.response.body", "body": body})
