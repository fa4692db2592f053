"""Split documents into chunks that fit the model's 256-token window and end at natural boundaries.

A chunk carries its document title and heading path as ``context``: it is embedded with the text (so the
vector knows what the passage is about) but patients are shown only the text itself.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.documents import SourceDocument

TokenCounter = Callable[[str], int]
SPECIAL_TOKENS = 2  # [CLS] and [SEP]: counted once per embedded text
CONTEXT_SEPARATOR = " › "

_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Mrs.", "Ms.", "St.", "U.S.", "No.", "al.", "approx.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“(\[*]*[A-Z0-9])")
NON_ANSWER_SECTIONS = frozenset({"sources", "references", "bibliography", "further reading", "citations"})
"""Reference lists name studies but answer nothing: they are cited through the document, not indexed."""
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SOURCE_LINE = re.compile(r"^\s*(?:\*\*|_)?Sources?(?:\*\*|_)?\s*:", re.IGNORECASE)
_LINK_URL = re.compile(r"\]\((https?://[^)\s]+)\)")


def split_source_lines(text: str) -> tuple[str, str | None]:
    """A section's text without its "Source: [title](url)" lines, and the first URL they give.

    Such a line says where the section's facts come from; it answers nothing, so it is not indexed or quoted,
    and its link goes with the citation instead.
    """
    kept, link = [], None
    for line in text.splitlines():
        if _SOURCE_LINE.match(line):
            found = _LINK_URL.search(line)
            link = link or (found.group(1) if found else None)
        else:
            kept.append(line)
    return "\n".join(kept).strip(), link


@dataclass(frozen=True)
class Chunk:
    """A passage of one document: the unit that is embedded, retrieved and cited."""

    id: str
    doc_path: str
    title: str
    source: str
    section: str | None
    context: str
    text: str
    reviewed: str | None
    review_by: str | None
    position: int
    link: str | None = None  # the primary source of the section, from its closing "Source: [..](url)" line

    @property
    def embed_text(self) -> str:
        """What the model sees: the heading path gives a short passage its topic."""
        return f"{self.context}\n\n{self.text}"


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage, keeping list items and lines as units of their own."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = _LIST_MARKER.sub("", line).strip()
        if not line:
            continue
        protected = line
        for i, abbr in enumerate(_ABBREVIATIONS):
            protected = protected.replace(abbr, f"\x00{i}\x00")
        for piece in _SENTENCE_END.split(protected):
            for i, abbr in enumerate(_ABBREVIATIONS):
                piece = piece.replace(f"\x00{i}\x00", abbr)
            if piece.strip():
                sentences.append(piece.strip())
    return sentences


def _units(text: str) -> list[str]:
    """Paragraphs, with each list item a unit of its own."""
    units: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        if lines and all(_LIST_MARKER.match(line) for line in lines[1:]):
            # a lead-in line followed by list items, or a list: one unit per line
            units.extend(line.strip() for line in lines)
        elif lines:
            units.append(" ".join(line.strip() for line in lines))
    return units


def _fit(unit: str, budget: int, count: TokenCounter) -> list[str]:
    """Break a unit that is over budget into sentences, and a sentence still over it into word runs."""
    if count(unit) - SPECIAL_TOKENS <= budget:
        return [unit]
    pieces = split_sentences(unit)
    if len(pieces) > 1:
        return [part for piece in pieces for part in _fit(piece, budget, count)]
    words, parts, current = unit.split(), [], []
    for word in words:
        if current and count(" ".join([*current, word])) - SPECIAL_TOKENS > budget:
            parts.append(" ".join(current))
            current = []
        current.append(word)
    if current:
        parts.append(" ".join(current))
    return parts


def _pack(units: Iterable[str], budget: int, count: TokenCounter) -> list[str]:
    """Greedily join consecutive units while they fit. WordPiece counts add up across whitespace joins."""
    chunks: list[list[str]] = []
    used = 0
    for unit in units:
        size = count(unit) - SPECIAL_TOKENS
        if chunks and used + size <= budget:
            chunks[-1].append(unit)
            used += size
        else:
            chunks.append([unit])
            used = size
    return ["\n\n".join(parts) for parts in chunks]


def chunk_document(doc: SourceDocument, count: TokenCounter, max_tokens: int) -> list[Chunk]:
    """Chunks of one document, in reading order, each with ``count(chunk.embed_text) <= max_tokens``."""
    chunks: list[Chunk] = []
    # ids are unique per document, not only per content: two files with the same text are two documents
    stem = hashlib.sha256(f"{doc.path}\0{doc.content_hash}".encode()).hexdigest()[:16]
    for section in doc.sections:
        if section.heading and section.heading.strip().lower() in NON_ANSWER_SECTIONS:
            continue
        context = CONTEXT_SEPARATOR.join((doc.title, *section.headings))
        # the context line, the blank line and the special tokens all come out of the window
        budget = max_tokens - count(context)
        if budget < 32:  # a heading path so long it leaves no room: keep only the nearest heading
            context = section.heading or doc.title
            budget = max_tokens - count(context)
        body, link = split_source_lines(section.text)
        units = [part for unit in _units(body) for part in _fit(unit, budget, count)]
        for text in _pack(units, budget, count):
            chunks.append(
                Chunk(
                    id=f"{stem}-{len(chunks):04d}",
                    doc_path=doc.path,
                    title=doc.title,
                    source=doc.source,
                    section=section.heading,
                    context=context,
                    text=text,
                    reviewed=doc.reviewed,
                    review_by=doc.review_by,
                    position=len(chunks),
                    link=link,
                )
            )
    return chunks


@dataclass(frozen=True)
class Unit:
    """A section heading or one sentence of a chunk, embedded on its own: what answering compares a question
    with (a heading says what its section answers; a sentence, what it says)."""

    chunk_id: str
    kind: str  # "heading" (of the section the chunk opens) or "sentence"
    index: int  # the sentence's place in its chunk; 0 for a heading
    text: str


def heading_question(headings: tuple[str, ...]) -> str:
    """A section's heading path as one line: "Risks: Can stem cells cause tumors?"."""
    return ": ".join(h.strip().rstrip(":") for h in headings)


def units_of(chunks: Iterable[Chunk]) -> list[Unit]:
    """The heading of each section (on the section's first chunk) and every sentence of every chunk."""
    units: list[Unit] = []
    previous: tuple[str, str] | None = None
    for chunk in chunks:
        key = (chunk.doc_path, chunk.context)
        if chunk.section is not None and key != previous:
            headings = tuple(chunk.context.split(CONTEXT_SEPARATOR)[1:]) or (chunk.section,)
            units.append(Unit(chunk.id, "heading", 0, heading_question(headings)))
        previous = key
        units += [Unit(chunk.id, "sentence", i, text) for i, text in enumerate(split_sentences(chunk.text))]
    return units
