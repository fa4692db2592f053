"""Make any text from documents or patients safe to render: HTML is shown as text, links only http(s).

Two layers, because replies travel two ways: the API returns Markdown that clients render (so the Markdown
itself must carry no markup and no dangerous links), and the chat renders our own HTML around it (so that
HTML goes through nh3, the Ammonia sanitiser, with a short allow-list).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

SAFE_SCHEMES = frozenset({"http", "https"})
ALLOWED_TAGS = frozenset({"details", "summary", "ol", "ul", "li", "b", "i", "strong", "em", "p", "br", "a", "code"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "details": {"class"}, "ol": {"class"}, "p": {"class"}}
_MARKDOWN_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)>?(?:\s+\"[^\"]*\")?\s*\)")
_BARE_SCHEME = re.compile(r"\b(?:javascript|vbscript|data|file)\s*:", re.IGNORECASE)


def is_safe_url(url: str) -> bool:
    """http(s) links, and links within this app ("/path"); nothing else (no javascript:, data:, //host)."""
    url = url.strip()
    if url.startswith("/") and not url.startswith("//"):
        return True
    return urlsplit(url).scheme.lower() in SAFE_SCHEMES and bool(urlsplit(url).netloc)


def _rewrite_link(match: re.Match[str]) -> str:
    image, text, url = match.group(1), match.group(2), match.group(3)
    if image or not is_safe_url(url):  # no remote images (they track readers); unsafe links keep their words
        return text
    return f"[{text}]({url})"


_MARKUP_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def markdown_text(text: str) -> str:
    """Source text as safe Markdown: tags escaped, images dropped to their alt text, unsafe links unlinked.

    Only a character that could start markup is escaped: "<" before a tag name becomes "&lt;", and "&" that
    would read as an entity becomes "&amp;". Everything else stays as written ("988 Suicide & Crisis
    Lifeline", "1 < 2"), so a client that shows the text without rendering it shows what the document says,
    and one that renders it as Markdown or even as HTML runs nothing.
    """
    escaped = _ENTITY.sub("&amp;", text)
    escaped = _MARKUP_START.sub("&lt;", escaped)
    linked = _MARKDOWN_LINK.sub(_rewrite_link, escaped)
    # a bare "javascript:" that some renderer might auto-link is broken up with a zero-width joiner
    return _BARE_SCHEME.sub(lambda m: m.group(0)[:-1] + "\u2060:", linked)


def plain_text(text: str) -> str:
    """Text for fields that are not Markdown (citation snippets): links and images keep only their words."""
    return _MARKDOWN_LINK.sub(lambda m: m.group(2), text).replace("**", "")


_TAG = re.compile(r"<(script|style)\b[^>]{0,200}>.*?</\1\s*>|<[^>]{0,200}>", re.IGNORECASE | re.DOTALL)
_URL = re.compile(r"\b(?:https?|javascript|vbscript|data|file):\S*", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"\b(?:on\w+|src|href|style)\s*=\s*(?:\"[^\"]*\"|'[^']*'|\S+)", re.IGNORECASE)


def search_text(question: str) -> str:
    """What to search for: the words of a question without markup, links or URLs around them."""
    text = _MARKDOWN_LINK.sub(lambda m: m.group(2), question)
    text = _ATTRIBUTE.sub(" ", _URL.sub(" ", _TAG.sub(" ", text)))
    text = " ".join(text.split())
    return text or question


def html_fragment(fragment: str) -> str:
    """Our own reply HTML, cleaned by nh3 with the allow-list above."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(SAFE_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
