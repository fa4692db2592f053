"""Tap-to-call links for urgent replies (emergency and crisis), in the chat page and the widget alike.

Only the fixed, configured urgent messages get links, and only after the reply has been sanitised: the links
are written here from constants, never taken from document or patient text, so the sanitiser's http(s)-only
rule for everything else stays as strict as it is.
"""

from __future__ import annotations

import html
import re

CALL_NUMBERS = ("911", "988")
"""Numbers that become ``tel:`` links where an urgent reply names them (US defaults: emergency, crisis line)."""
TEXT_NUMBERS = ("988",)
"""Numbers that also get an ``sms:`` link (the 988 Lifeline takes texts)."""

_NUMBER = re.compile(r"(?<![\w/:.-])(" + "|".join(re.escape(n) for n in CALL_NUMBERS) + r")(?![\w/-])")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_LINK_OPEN = re.compile(r"<a[\s>]", re.IGNORECASE)
_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


def numbers_in(text: str) -> list[str]:
    """The call numbers a message names, in the order they first appear."""
    return list(dict.fromkeys(_NUMBER.findall(text)))


def linkify_numbers(fragment: str) -> str:
    """Sanitised HTML or Markdown with each call number in its text (not in tags or links) as a ``tel:`` link."""
    parts = _TAG_OR_TEXT.split(fragment)
    in_link = False
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            in_link = bool(_LINK_OPEN.match(part)) or (in_link and not _LINK_CLOSE.match(part))
        elif not in_link:
            parts[i] = _NUMBER.sub(r'<a href="tel:\1">\1</a>', part)
    return "".join(parts)


def action_links(text: str, call_label: str, text_label: str) -> str:
    """A row of large call (and text) links for the numbers an urgent message names; empty if it names none.

    The labels are the ``call_label`` and ``text_label`` settings ("Call {number}", "Text {number}")."""
    links = []
    for number in numbers_in(text):
        call = html.escape(call_label.replace("{number}", number))
        links.append(f'<a class="urgent-action" href="tel:{number}">{call}</a>')
        if number in TEXT_NUMBERS:
            text = html.escape(text_label.replace("{number}", number))
            links.append(f'<a class="urgent-action" href="sms:{number}">{text}</a>')
    return f'<p class="urgent-actions">{" ".join(links)}</p>' if links else ""
