"""The one redaction function: anything a feature stores about a question goes through ``redact`` first.

Patterns, in order (an SSN looks like part of a phone number, so it goes first): e-mail addresses, US Social
Security numbers, phone numbers, dates, street addresses. Each is replaced by a tag such as ``[EMAIL]`` so
that staff still see the shape of the question ("my appointment on [DATE]") without the detail.
"""

from __future__ import annotations

import re

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_STREET = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter"
    r"|circle|cir|highway|hwy|parkway|pkwy|square|sq|trail|trl)"
)

REDACTIONS: list[tuple[str, re.Pattern[str]]] = [
    ("[EMAIL]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (
        "[SSN]",
        re.compile(r"\b\d{3}[- .]\d{2}[- .]\d{4}\b|\b(?:ssn|social security(?: number)?)\W{0,3}\d{9}\b", re.IGNORECASE),
    ),
    ("[PHONE]", re.compile(r"(?<![\w/])(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b")),
    (
        "[DATE]",
        re.compile(
            rf"\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b"
            rf"|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
            rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?(?:,?\s+\d{{4}})?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "[ADDRESS]",
        re.compile(
            rf"\b\d{{1,6}}\s+(?:[A-Za-z0-9.'-]+\s+){{1,4}}{_STREET}\b\.?(?:,?\s*(?:apt|apartment|suite|ste|unit|#)\.?\s*[\w-]+)?",
            re.IGNORECASE,
        ),
    ),
]


def redact(text: str) -> str:
    """``text`` with e-mails, SSNs, phone numbers, dates and street addresses replaced by tags."""
    for tag, pattern in REDACTIONS:
        text = pattern.sub(tag, text)
    return text
