"""Slow down password guessing on the staff sign-in (``POST /admin/login``, Gradio's login form).

Attempts are counted per client address and per account (the username typed), in tiers of the ``limits``
library's moving window, e.g. ``5/minute;20/hour;100/day``: each tier that fills up makes the wait longer.
A successful sign-in clears both counts, so only a run of failures is ever slowed. Over a limit the answer is
429 with ``Retry-After`` and a message saying how long to wait, before the password is even checked. Every
failure and every refusal is logged as a warning with the address and the username, never the password.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.limits import refuse
from bot.web.routes import route_path

log = logging.getLogger(__name__)

LOGIN_PATH = "/admin/login"
MAX_USERNAME_CHARS = 100  # longer names are cut for counting and logging (a username, never a paragraph)
# Shown above Gradio's sign-in form, whose page does not display a 429's message itself.
LOGIN_NOTE = (
    "After several wrong passwords, sign-in pauses for a while (a minute at first, longer if it goes on): if "
    "Login seems to do nothing, wait a minute and try again."
)


class Tiers:
    """Attempts per key in every tier of a rate string; ``wait(key)`` is the seconds until one more is allowed."""

    def __init__(self, name: str, rate: str) -> None:
        self.name = name
        self.items: list[RateLimitItem] = parse_many(rate) if rate else []
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def wait(self, key: str) -> float:
        waits = [
            self.limiter.get_window_stats(item, self.name, key).reset_time - time.time()
            for item in self.items
            if not self.limiter.test(item, self.name, key)
        ]
        return max([1.0, *waits]) if waits else 0.0

    def hit(self, key: str) -> None:
        for item in self.items:
            self.limiter.hit(item, self.name, key)

    def clear(self, key: str) -> None:
        for item in self.items:
            self.limiter.clear(item, self.name, key)


class LoginThrottle:
    """ASGI middleware around Gradio's login route: limits attempts per address and per account."""

    def __init__(self, app: ASGIApp, per_address: str, per_account: str, path: str = LOGIN_PATH) -> None:
        self.app = app
        self.path = path
        self.address = Tiers("address", per_address)
        self.account = Tiers("account", per_account)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or route_path(scope).rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        body = await request.body()  # small: the body-size limit runs before this
        username = await _username(request)
        address = (scope.get("client") or ("unknown", 0))[0]
        # No await between the checks and the counting: concurrent attempts cannot slip past the limit together.
        for tiers, key, whose in ((self.address, address, "this address"), (self.account, username, "this account")):
            wait = tiers.wait(key)
            if wait:
                log.warning("staff sign-in refused for %r from %s: too many attempts for %s", username, address, whose)
                message = f"Too many sign-in attempts for {whose}. Please wait {_duration(wait)} and try again."
                await refuse(
                    scope, send, 429, "too_many_attempts", message, [(b"retry-after", b"%d" % math.ceil(wait))]
                )
                return
        self.address.hit(address)
        self.account.hit(username)
        status = 0
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: the client's disconnect, if it comes
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, replay, watch)
        if status == 200:
            self.address.clear(address)
            self.account.clear(username)
        else:
            log.warning("staff sign-in failed for %r from %s (HTTP %d)", username, address, status)


async def _username(request: Request) -> str:
    """The username of a login form (URL-encoded from gradio_client, multipart from the page); "" if none."""
    try:
        async with request.form() as form:
            value = form.get("username")
    except Exception:  # a malformed form: Gradio answers it; the attempt still counts, as nobody's account
        return ""
    return value.strip()[:MAX_USERNAME_CHARS] if isinstance(value, str) else ""


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{math.ceil(seconds)} seconds"
    if seconds < 90 * 60:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"
