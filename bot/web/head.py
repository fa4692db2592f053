"""``HEAD`` answered wherever ``GET`` is: uptime monitors and link checkers ask with ``HEAD``.

FastAPI routes and Gradio's pages only declare ``GET``, so a ``HEAD /widget`` got a 404. This middleware
runs the request as a ``GET`` and sends the same status and headers (``Content-Length`` included, as
RFC 9110 allows) with no body. It adds no route.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware: ``HEAD`` becomes ``GET`` inside, and the body is dropped on the way out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False

        async def without_body(message: Message) -> None:
            nonlocal ended
            if message["type"] != "http.response.body":
                await send(message)
            elif not ended and not message.get("more_body", False):
                ended = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, without_body)
