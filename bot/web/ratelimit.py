"""Per-client rate limiting of every request that changes something, with the ``limits`` library's moving window.

Every POST (or PUT, PATCH, DELETE) counts, whatever its route: a question to the REST API, a chat event through
Gradio's queue (one per question or like), a staff action. Reads are never counted (the page, its assets, the
stream that carries the chat's replies), so a patient's page always loads and a question costs exactly one.
The REST API, the chat and the staff page each have their own budget per address.
"""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.web.limits import NO_BODY, refuse
from bot.web.routes import STAFF_MOUNT


class RateLimiter:
    """``hit(client)`` counts one request and says how long to wait when over the limit (None if allowed)."""

    def __init__(self, rate: str) -> None:
        self.rate = rate
        self._item = parse(rate) if rate else None
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, client: str, budget: str = "client") -> float | None:
        if self._item is None:
            return None
        if self._limiter.hit(self._item, budget, client):
            return None
        reset_at = self._limiter.get_window_stats(self._item, budget, client).reset_time
        return max(1.0, reset_at - time.time())

    def reason(self, retry_after: float) -> str:
        return f"too many requests from this address (limit {self.rate}); please wait {math.ceil(retry_after)} s"


def budget(path: str) -> str:
    """Which budget a request counts against: the REST API, the staff page or the chat."""
    if path.startswith("/api/"):
        return "api"
    if path == STAFF_MOUNT or path.startswith(STAFF_MOUNT + "/"):
        return "staff"
    return "chat"


class RateLimitMiddleware:
    """429 with a JSON reason and ``Retry-After`` once a client is over the limit for requests with a body."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in NO_BODY:
            client = (scope.get("client") or ("unknown", 0))[0]
            retry_after = self.limiter.hit(client, budget(scope["path"]))
            if retry_after is not None:
                wait = str(math.ceil(retry_after)).encode()
                await refuse(
                    scope, send, 429, "rate_limited", self.limiter.reason(retry_after), [(b"retry-after", wait)]
                )
                return
        await self.app(scope, receive, send)
