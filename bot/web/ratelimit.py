"""Per-client rate limiting of every request that changes something, with the ``limits`` library's moving window.

Every POST (or PUT, PATCH, DELETE) counts, whatever its route: a question to the REST API, a chat event through
Gradio's queue (one per question or like), a staff action. Reads are never counted (the page, its assets, the
stream that carries the chat's replies), so a patient's page always loads. The REST API, the chat and the staff
page each have their own budget per address.

The chat also limits questions itself (bot/web/chat.py), so that a patient over the limit gets a reply saying
how long to wait rather than an error: its door here is ``CHAT_DOOR_FACTOR`` times wider, for scripts that post
events the page would not.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.web.limits import NO_BODY, refuse
from bot.web.routes import STAFF_MOUNT, route_path

CHAT_DOOR_FACTOR = 2  # a question is one chat event; a like or a comment is another


class RateLimiter:
    """``hit(client)`` counts one request and says how long to wait when over the limit (None if allowed)."""

    def __init__(self, rate: str, factor: int = 1) -> None:
        item = parse(rate) if rate else None
        self._item: RateLimitItem | None = type(item)(item.amount * factor, item.multiples) if item else None
        self.rate = rate if factor == 1 or item is None else str(self._item)  # as written, or "120 per 1 minute"
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, client: str, budget: str = "client") -> float | None:
        if self._item is None:
            return None
        if self._limiter.hit(self._item, budget, client):
            return None
        reset_at = self._limiter.get_window_stats(self._item, budget, client).reset_time
        return max(1.0, reset_at - time.time())

    def reason(self, retry_after: float, what: str = "questions") -> str:
        return f"too many {what} from this address (limit {self.rate}); please wait {math.ceil(retry_after)} s"


def budget(path: str) -> str:
    """Which budget a request counts against: the REST API, the staff page or the chat."""
    if path.startswith("/api/"):
        return "api"
    if path == STAFF_MOUNT or path.startswith(STAFF_MOUNT + "/"):
        return "staff"
    return "chat"


class RateLimitMiddleware:
    """429 with a JSON reason and ``Retry-After`` once a client is over the limit for requests with a body."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, chat_door: RateLimiter | None = None) -> None:
        self.app = app
        self.limiter = limiter
        self.chat_door = chat_door or limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in NO_BODY:
            client = (scope.get("client") or ("unknown", 0))[0]
            name = budget(route_path(scope))
            limiter = self.chat_door if name == "chat" else self.limiter
            retry_after = limiter.hit(client, name)
            if retry_after is not None:
                wait = str(math.ceil(retry_after)).encode()
                await refuse(
                    scope, send, 429, "rate_limited", limiter.reason(retry_after, "requests"), [(b"retry-after", wait)]
                )
                return
        await self.app(scope, receive, send)
