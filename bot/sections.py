"""The sections of an index generation: the unit a patient is answered with when no curated answer fits.

A section is a run of chunks of one document under one heading path. Each has what answering compares a
question with: its heading as a question ("Does stem cell therapy work for lupus?"), the curated FAQ
phrasings that cite it (more ways of asking the same thing), and its sentences, each embedded on its own.
Built once per generation, beside BM25 (``Retriever``), from vectors stored at ingest: no model call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.index import Snapshot
from bot.retrieval import expand_lay_terms, tokenize, tokenize_many


@dataclass(frozen=True)
class Section:
    """One section of one document, its sentences in reading order."""

    index: int
    doc_path: str
    title: str
    heading: str | None
    role: str  # the document's role: "evidence" or "claims"
    chunks: tuple[int, ...]  # positions in ``Snapshot.chunks``
    sentences: tuple[str, ...]
    sentence_rows: tuple[int, ...]  # rows of ``Snapshot.unit_vectors``, one per sentence
    heading_row: int | None


class SectionIndex:
    """Sections of a snapshot with their vectors, and which sections the FAQ entries cite."""

    def __init__(self, snapshot: Snapshot, everyday: frozenset[str] = frozenset()) -> None:
        self.snapshot = snapshot
        self.everyday = everyday
        chunks = snapshot.chunks
        self.section_of_chunk: list[int] = []
        keys: list[tuple[str, str]] = []
        for chunk in chunks:
            key = (chunk.doc_path, chunk.context)
            if not keys or keys[-1] != key or chunk.section is None:
                keys.append(key)
            self.section_of_chunk.append(len(keys) - 1)
        members: list[list[int]] = [[] for _ in keys]
        for position, section in enumerate(self.section_of_chunk):
            members[section].append(position)
        sentences: list[list[tuple[str, int]]] = [[] for _ in keys]
        heading_rows: list[int | None] = [None] * len(keys)
        for row, unit in enumerate(snapshot.units):
            section = self.section_of_chunk[snapshot.positions[unit.chunk_id]]
            if unit.kind == "heading":
                heading_rows[section] = row
            else:
                sentences[section].append((unit.text, row))
        self.sections: list[Section] = []
        for i, positions in enumerate(members):
            first = chunks[positions[0]]
            doc = snapshot.documents.get(first.doc_path)
            self.sections.append(
                Section(
                    index=i,
                    doc_path=first.doc_path,
                    title=first.title,
                    heading=first.section,
                    role=doc.role if doc is not None else "evidence",
                    chunks=tuple(positions),
                    sentences=tuple(text for text, _ in sentences[i]),
                    sentence_rows=tuple(row for _, row in sentences[i]),
                    heading_row=heading_rows[i],
                )
            )
        self._heading_sections = np.array([s.index for s in self.sections if s.heading_row is not None], dtype=int)
        self._heading_rows = np.array([s.heading_row for s in self.sections if s.heading_row is not None], dtype=int)
        self._sentence_section = np.zeros(len(snapshot.units), dtype=int)
        for s in self.sections:
            self._sentence_section[list(s.sentence_rows)] = s.index
        self._sentence_rows = np.array([row for s in self.sections for row in s.sentence_rows], dtype=int)
        by_heading = {(s.doc_path, s.heading): s.index for s in self.sections}
        by_document: dict[str, int] = {}
        for s in self.sections:
            by_document.setdefault(s.doc_path, s.index)
        self.terms = [frozenset(t for p in s.chunks for t in tokenize(chunks[p].embed_text)) for s in self.sections]
        texts = [c.embed_text for c in chunks] + [p for e in snapshot.faq for p in e.phrasings]
        self.vocabulary = frozenset(t for tokens in tokenize_many(texts) for t in tokens) if texts else frozenset()
        # a curated answer names its document and section; one that names no section cites the document's first
        self.faq_section: dict[str, int | None] = {
            entry.id: by_heading.get((entry.source, entry.section), by_document.get(entry.source))
            for entry in snapshot.faq
        }

    def unknown_share(self, question: str) -> float:
        """Share of the question's content words (stemmed) that nothing in the generation uses."""
        terms = set(tokenize(expand_lay_terms(question)))
        return len(terms - self.vocabulary) / len(terms) if terms else 0.0

    def rare_coverage(self, question: str) -> np.ndarray:
        """Per section: the share of the question's unusual words (names the model has never seen, such as
        "MESEMS" or "zimislecel": not everyday English) that the section contains; 0 when there are none."""
        words = [w for w in re.findall(r"[A-Za-z][\w-]{3,}", question) if w.lower() not in self.everyday]
        rare = {t for w in words for t in tokenize(w)}
        if not rare:
            return np.zeros(len(self.sections), dtype=np.float32)
        return np.array([len(rare & terms) / len(rare) for terms in self.terms], dtype=np.float32)

    def heading_similarity(self, vector: np.ndarray) -> np.ndarray:
        """Cosine of the question with each section's heading (-1 for a section without one)."""
        out = np.full(len(self.sections), -1.0, dtype=np.float32)
        if len(self._heading_rows):
            out[self._heading_sections] = self.snapshot.unit_vectors[self._heading_rows] @ vector
        return out

    def sentence_similarity(self, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cosine of the question with every sentence (indexed by unit row), and each section's best."""
        sims = np.full(len(self.snapshot.units), -1.0, dtype=np.float32)
        if len(self._sentence_rows):
            sims[self._sentence_rows] = self.snapshot.unit_vectors[self._sentence_rows] @ vector
        best = np.full(len(self.sections), -1.0, dtype=np.float32)
        if len(self._sentence_rows):
            np.maximum.at(best, self._sentence_section[self._sentence_rows], sims[self._sentence_rows])
        return sims, best
