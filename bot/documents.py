"""Turn a knowledge file into a ``SourceDocument``: metadata from its front matter, text split into sections.

Loaders are a registry keyed by file suffix, so a new format is one function and one line.
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


Loader = Callable[[str, bytes], SourceDocument]
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def content_hash(data: bytes) -> str:
    """The identity of a document's content: unchanged bytes mean unchanged chunks and embeddings."""
    return hashlib.sha256(data).hexdigest()


def _decode(path: str, data: bytes) -> str:
    if not data.strip():
        raise DocumentError(path, "the file is empty")
    if b"\x00" in data[:8192]:
        raise DocumentError(path, "the file is binary, not text (is it really a text document?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            path, f"the file is not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8"
        ) from exc


def _date_text(value: object) -> str | None:
    """Front-matter dates come back from YAML as ``date`` objects or strings; keep ISO text either way."""
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


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


def _load_markdown(path: str, data: bytes) -> SourceDocument:
    text = _decode(path, data)
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        raise DocumentError(path, f"the front matter is not valid YAML ({exc.__class__.__name__})") from exc
    heading_title, sections = split_markdown_sections(post.content)
    if not sections:
        raise DocumentError(path, "the file has no text besides its header")
    meta = post.metadata
    return SourceDocument(
        path=path,
        title=str(meta.get("title") or heading_title or _title_from_path(path)),
        source=str(meta.get("source") or path),
        reviewed=_date_text(meta.get("reviewed")),
        review_by=_date_text(meta.get("review_by")),
        content_hash=content_hash(data),
        sections=sections,
    )


LOADERS: dict[str, Loader] = {
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    # Plain text may carry the same front matter; without headings it is one section.
    ".txt": _load_markdown,
}


def load_document(knowledge_dir: Path, file: Path) -> SourceDocument:
    """Read and parse one knowledge file. Raises ``DocumentError`` with a reason staff can act on."""
    rel = file.relative_to(knowledge_dir).as_posix()
    loader = LOADERS.get(file.suffix.lower())
    if loader is None:
        raise DocumentError(
            rel, f"unsupported file type '{file.suffix or '(none)'}'; use one of {', '.join(sorted(LOADERS))}"
        )
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DocumentError(rel, f"the file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    return loader(rel, file.read_bytes())
