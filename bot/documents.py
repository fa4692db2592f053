"""Turn a knowledge file into a ``SourceDocument``: metadata from its header, text split into sections.

Every format is first converted to Markdown plus metadata (``bot.formats``), so one splitter serves all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from bot import formats
from bot.formats import FormatError

MAX_FILE_BYTES = 5_000_000
"""Larger files are refused: a patient handout is never this big, and a huge file stalls every ingest."""


class DocumentError(ValueError):
    """A knowledge file that cannot be used; the message says why in words staff can act on."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Section:
    """A run of text under one heading. ``headings`` is the path of headings above it, outermost first."""

    headings: tuple[str, ...]
    text: str

    @property
    def heading(self) -> str | None:
        return self.headings[-1] if self.headings else None


@dataclass(frozen=True)
class SourceDocument:
    """One knowledge document, ready for chunking."""

    path: str  # relative to the knowledge folder, POSIX separators: the stable identity of the document
    title: str
    source: str
    reviewed: str | None
    review_by: str | None
    content_hash: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    role: str = "evidence"  # "claims": the clinic's own description of what it offers (see ROLES)


Converter = Callable[[bytes], tuple[str, dict[str, object]]]
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def is_expired(review_by: str | None, today: dt.date | None = None) -> bool:
    """A document whose review-by date has passed may be out of date: staff should review it first."""
    if not review_by:
        return False
    try:
        return dt.date.fromisoformat(review_by[:10]) < (today or dt.date.today())
    except ValueError:
        return False


def content_hash(data: bytes) -> str:
    """The identity of a document's content: unchanged bytes mean unchanged chunks and embeddings."""
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes) -> str:
    """UTF-8 text, or ``FormatError`` saying why the bytes are not a text document."""
    if not data.strip():
        raise FormatError("the file is empty")
    if b"\x00" in data[:8192]:
        raise FormatError("the file is binary, not text (is it really a text document?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"the file is not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8") from exc


ROLES = ("evidence", "claims")
"""What a document is to patients: ``evidence`` is balanced education (the default); ``claims`` is the clinic's
own description of what it offers, never the whole answer to a question about evidence, risks or approval."""


def _date_text(path: str, key: str, value: object) -> str | None:
    """Front-matter dates come back from YAML as ``date`` objects or strings; keep ISO text, refuse the rest.

    A date that does not parse would otherwise never expire, silently.
    """
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        raise DocumentError(path, f"{key} '{value}' is not a date; write it as YYYY-MM-DD, e.g. 2027-11-25") from None


def _role(path: str, value: object) -> str:
    role = str(value or "evidence").strip().lower()
    if role not in ROLES:
        raise DocumentError(path, f"role '{value}' is not one of {', '.join(ROLES)}")
    return role


def _title_from_path(path: str) -> str:
    return Path(path).stem.replace("-", " ").replace("_", " ").strip().capitalize()


def split_markdown_sections(text: str) -> tuple[str | None, tuple[Section, ...]]:
    """Split Markdown at ATX headings. Returns the first level-1 heading (a title) and the sections.

    A level-1 heading names the document rather than a section, so text under it has no section heading.
    """
    title: str | None = None
    stack: list[tuple[int, str]] = []
    sections: list[Section] = []
    buffer: list[str] = []
    in_fence = False

    def flush() -> None:
        body = "\n".join(buffer).strip()
        buffer.clear()
        if body:
            sections.append(Section(tuple(h for level, h in stack if level > 1), body))

    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if not match:
            buffer.append(line)
            continue
        flush()
        level, heading = len(match.group(1)), match.group(2).strip()
        if level == 1 and title is None:
            title = heading
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading))
    flush()
    return title, tuple(sections)


def _document(path: str, data: bytes, markdown: str, meta: dict[str, object]) -> SourceDocument:
    """The common end of every loader: Markdown text plus metadata in, a sectioned document out."""
    heading_title, sections = split_markdown_sections(markdown)
    if not sections:
        raise DocumentError(path, "the file has no text besides its header")
    return SourceDocument(
        path=path,
        title=str(meta.get("title") or heading_title or _title_from_path(path)),
        source=str(meta.get("source") or path),
        reviewed=_date_text(path, "reviewed", meta.get("reviewed")),
        review_by=_date_text(path, "review_by", meta.get("review_by")),
        content_hash=content_hash(data),
        sections=sections,
        role=_role(path, meta.get("role")),
    )


class _DatesAsText(yaml.SafeLoader):
    """YAML without implicit timestamps: ``review_by: 2026-13-01`` stays text for ``_date_text`` to refuse by
    name, instead of failing deep inside the parser with "month must be in 1..12" and no key."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _FrontMatter(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> object:
        return yaml.load(fm, Loader=_DatesAsText)  # noqa: S506 (a SafeLoader subclass)


def markdown_with_front_matter(data: bytes) -> tuple[str, dict[str, object]]:
    """Markdown (or plain text) with an optional YAML front-matter header."""
    text = decode_text(data)
    try:
        handler = _FrontMatter()
        post = frontmatter.loads(text, handler=handler if handler.detect(text) else None)
    except yaml.YAMLError as exc:
        raise FormatError(f"the front matter is not valid YAML ({exc.__class__.__name__})") from exc
    return post.content, dict(post.metadata)


CONVERTERS: dict[str, Converter] = {
    ".md": markdown_with_front_matter,
    ".markdown": markdown_with_front_matter,
    ".txt": markdown_with_front_matter,  # plain text may carry the same header; without headings it is one section
    ".html": formats.html_to_markdown,
    ".htm": formats.html_to_markdown,
    ".pdf": formats.pdf_to_markdown,
    ".docx": formats.docx_to_markdown,
}
"""Suffix -> converter to Markdown and metadata: a new format is one function and one line here."""


def load_document(knowledge_dir: Path, file: Path, max_bytes: int = MAX_FILE_BYTES) -> SourceDocument:
    """Read and parse one knowledge file. Raises ``DocumentError`` with a reason staff can act on."""
    rel = file.relative_to(knowledge_dir).as_posix()
    convert = CONVERTERS.get(file.suffix.lower())
    if convert is None:
        kinds = ", ".join(sorted(CONVERTERS))
        raise DocumentError(rel, f"unsupported file type '{file.suffix or '(none)'}'; use one of {kinds}")
    size = file.stat().st_size
    if size > max_bytes:
        raise DocumentError(rel, f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit")
    data = file.read_bytes()
    try:
        markdown, meta = convert(data)
    except FormatError as exc:
        raise DocumentError(rel, str(exc)) from exc
    return _document(rel, data, markdown, meta)
