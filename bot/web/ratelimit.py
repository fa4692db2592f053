"""Per-client rate limiting for the API and the chat, with the ``limits`` library's moving window."""

from __future__ import annotations

import json
import math
import time

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

LIMITED_PATHS = ("/api/ask", "/api/feedback")


class RateLimiter:
    """``hit(client)`` counts one request and says how long to wait when over the limit (None if allowed)."""

    def __init__(self, rate: str) -> None:
        self.rate = rate
        self._item = parse(rate) if rate else None
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, client: str) -> float | None:
        if self._item is None:
            return None
        if self._limiter.hit(self._item, "client", client):
            return None
        reset_at = self._limiter.get_window_stats(self._item, "client", client).reset_time
        return max(1.0, reset_at - time.time())

    def reason(self, retry_after: float) -> str:
        return f"too many questions from this address (limit {self.rate}); please wait {math.ceil(retry_after)} s"


class RateLimitMiddleware:
    """429 with a JSON reason for POSTs to the API paths once a client is over the limit."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, paths: tuple[str, ...] = LIMITED_PATHS) -> None:
        self.app = app
        self.limiter = limiter
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in self.paths:
            client = (scope.get("client") or ("unknown", 0))[0]
            retry_after = self.limiter.hit(client)
            if retry_after is not None:
                body = json.dumps({"error": "rate_limited", "message": self.limiter.reason(retry_after)}).encode()
                headers = [
                    (b"content-type", b"application/json"),
                    (b"retry-after", str(math.ceil(retry_after)).encode()),
                ]
                await send({"type": "http.response.start", "status": 429, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
