"""One way to ask a question, shared by the REST API, the patient chat and gradio_client's ``/ask``: the same
answer, and the same refusals with the same reasons, whichever door the question came through.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from bot.conversation import Assistant
from bot.index import IndexNotReady
from bot.inputs import InputRejected, Turn
from bot.replies import Answer
from bot.web.errors import error_body
from bot.web.ratelimit import RateLimiter

STATUS_OF_PROBLEM = {"empty": 400, "too_long": 413, "history_too_long": 413}
"""HTTP status for each ``InputRejected.problem``."""


class Refusal(BaseModel):
    """Why a question got no answer: an HTTP status for the REST API, a code for scripts, a reason for people."""

    status: int
    error: str
    message: str

    def body(self, **extra: object) -> dict[str, object]:
        return error_body(self.error, self.message, **extra)

    def sentence(self) -> str:
        """The reason as shown to a patient in the chat and the widget."""
        return f"Sorry, {self.message}."


def ask(
    assistant: Assistant,
    question: str,
    history: Sequence[Turn] = (),
    limiter: RateLimiter | None = None,
    client: str = "unknown",
) -> Answer | Refusal:
    """The answer, or why there is none. ``limiter`` counts the question against ``client``'s budget (the chat
    and gradio_client; the REST API is counted by the rate-limit middleware before its route runs)."""
    if limiter is not None and (retry_after := limiter.hit(client)) is not None:
        return Refusal(status=429, error="rate_limited", message=limiter.reason(retry_after))
    try:
        return assistant.ask(question, list(history))
    except InputRejected as exc:
        return Refusal(status=STATUS_OF_PROBLEM[exc.problem], error="invalid_question", message=exc.reason)
    except IndexNotReady:  # also an index made with another model: it must not answer (bot/index.py)
        return Refusal(status=503, error="index_not_ready", message=assistant.settings.unavailable_message)
