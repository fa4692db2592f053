"""What a patient sends, checked before anything else runs: one question and the conversation so far.

Failures are ``InputRejected`` with a ``problem`` code the web layer maps to an HTTP status and the chat to a
gentle prompt; nothing here knows about HTTP.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.settings import Settings

Problem = Literal["empty", "too_long", "history_too_long"]


class InputRejected(ValueError):
    """A question that cannot be processed as sent; ``reason`` says why in words a client can show."""

    def __init__(self, problem: Problem, reason: str) -> None:
        super().__init__(reason)
        self.problem = problem
        self.reason = reason


@dataclass(frozen=True)
class Turn:
    """One earlier message of the conversation."""

    role: str  # "user" or "assistant"
    content: str


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_text(text: str) -> str:
    """Normalise unicode, drop control and invisible formatting characters, collapse white space."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def validate_question(text: str, settings: Settings) -> str:
    """The cleaned question, or ``InputRejected`` saying what is wrong with it."""
    if len(text) > settings.max_question_chars:
        raise InputRejected(
            "too_long", f"question is too long: {len(text)} characters, the limit is {settings.max_question_chars}"
        )
    cleaned = clean_text(text)
    if not cleaned:
        raise InputRejected("empty", "question is empty")
    return cleaned


def validate_history(history: Sequence[Turn], settings: Settings) -> list[Turn]:
    """The conversation within the configured limits, or ``InputRejected``."""
    if len(history) > settings.max_history_messages:
        raise InputRejected(
            "history_too_long", f"history has {len(history)} messages; the limit is {settings.max_history_messages}"
        )
    total = sum(len(turn.content) for turn in history)
    if total > settings.max_history_chars:
        raise InputRejected(
            "history_too_long", f"history has {total} characters; the limit is {settings.max_history_chars}"
        )
    return list(history)
