"""Security headers on every response, with a per-response nonce on the chat page's own scripts.

The nonce is what makes the Content-Security-Policy strict: scripts that Gradio's page ships (tagged with
the nonce here) and scripts from our own origin run; an injected ``<script>``, an ``onerror=`` attribute or a
``javascript:`` link does not, even if some text ever slipped past the sanitiser.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_SCRIPT_TAG = re.compile(rb"<script(?=[\s>])")
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
COMMON_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


def page_policy(nonce: str, frame_ancestors: str = "'self'") -> str:
    """The policy for HTML pages: own scripts and nonce-tagged inline ones, nothing from other origins."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",  # Svelte components set inline styles
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


class SecurityHeaders:
    """ASGI middleware: nonce the scripts of HTML responses and set CSP and related headers on all."""

    def __init__(self, app: ASGIApp, frame_ancestors: Mapping[str, str] | None = None) -> None:
        """``frame_ancestors`` maps a path to who may frame it (the widget page); every other page: ``'self'``."""
        self.app = app
        self.frame_ancestors = dict(frame_ancestors or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        start: Message | None = None
        body = bytearray()

        async def wrapped(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON_HEADERS.items():
                    headers.setdefault(name, value)
                if not headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("content-security-policy", API_POLICY)
                    await send(message)
                    return
                ancestors = self.frame_ancestors.get(scope["path"], "'self'")
                headers.setdefault("content-security-policy", page_policy(nonce, ancestors))
                start = message  # hold the start until the body is rewritten (its length changes)
                return
            if start is None:
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body", False):
                return
            rewritten = _SCRIPT_TAG.sub(b'<script nonce="' + nonce.encode() + b'"', bytes(body))
            headers = MutableHeaders(scope=start)
            if "content-length" in headers:
                headers["content-length"] = str(len(rewritten))
            await send(start)
            await send({"type": "http.response.body", "body": rewritten, "more_body": False})

        await self.app(scope, receive, wrapped)
