"""Compose replies: a curated FAQ answer when one matches, else the few document sentences that answer best.

Every sentence shown comes from a shipped document (or a curated FAQ answer that names its document) and is
followed by its citation number, numbered in order of first appearance. Nothing here writes new medical
claims: the bot can only repeat what the clinic's materials say.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from bot.chunking import Chunk, split_sentences
from bot.faq import FaqEntry
from bot.index import Snapshot
from bot.replies import Citation, Draft, Kind
from bot.retrieval import LexicalIndex, ScoredChunk, tokenize
from bot.sanitize import markdown_text, plain_text

SNIPPET_CHARS = 240
MIN_SENTENCE_WORDS = 4
OPENING_BONUS = 0.3
RANK_PENALTY = 0.15
CARRY_OVER = 0.5
KEEP_RATIO = 0.5
"""A sentence scoring under half the best one is filler that happens to share a word with the question."""
_REFERS_BACK = re.compile(
    r"^(?:this|these|that|those|they|it|its|their|all (?:three|two|of them)|both|such|he|she"
    r"|the (?:authors|trial|study))\b",
    re.IGNORECASE,
)
NEAR_DUPLICATE = 0.92
"""A suggestion this similar to the question just asked would only repeat the answer."""


def escape(text: str) -> str:
    """Show any HTML in source text as text, and keep only safe links: documents never inject markup."""
    return markdown_text(text)


def snippet(text: str) -> str:
    """A short plain-text excerpt for a citation."""
    text = " ".join(plain_text(text).split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"


def cite(number: int, chunk: Chunk, text: str, similarity: float) -> Citation:
    """The numbered citation of a passage of ``chunk`` (``text`` is what was quoted from it)."""
    return Citation(
        id=number,
        title=chunk.title,
        source=chunk.source,
        section=chunk.section,
        snippet=snippet(text),
        score=round(similarity, 4),
        reviewed=chunk.reviewed,
        document=chunk.doc_path,
    )


def best_faq(
    snapshot: Snapshot, query_vector: np.ndarray, skip: frozenset[str] = frozenset()
) -> tuple[FaqEntry, float] | None:
    """The FAQ entry whose closest phrasing is nearest the question, with that similarity.

    Entries whose source document is in ``skip`` (expired documents) are passed over.
    """
    if not len(snapshot.faq_vectors):
        return None
    sims = snapshot.faq_vectors @ query_vector
    for row in np.argsort(-sims):
        entry = snapshot.faq[snapshot.faq_owner[int(row)]]
        if entry.source not in skip:
            return entry, float(sims[row])
    return None


def faq_draft(entry: FaqEntry, similarity: float, snapshot: Snapshot) -> Draft:
    """A curated answer, cited to the document section it was written from."""
    doc = snapshot.documents[entry.source]
    citation = Citation(
        id=1,
        title=doc.title,
        source=doc.source,
        section=entry.section,
        snippet=snippet(entry.answer),
        score=round(similarity, 4),
        reviewed=doc.reviewed,
        document=doc.path,
    )
    return Draft(kind=Kind.ANSWER, text=f"{escape(entry.answer.strip())} [1]", citations=(citation,))


def _sentence_score(sentence: str, query_terms: set[str], idf: dict[str, float]) -> float:
    terms = set(tokenize(sentence))
    if not terms:
        return 0.0
    overlap = sum(idf.get(term, 1.0) for term in terms & query_terms)
    # favour sentences that are about the question, not long sentences that happen to mention it
    return overlap / math.sqrt(len(terms))


SOURCE_LINE = re.compile(r"^\s*Sources?:\s", re.IGNORECASE)
"""A section's closing `Source: [title](link)` line names where its facts come from; it answers nothing."""


def _answerable(sentence: str) -> bool:
    """Questions, lead-ins to a list, source lines and fragments state nothing a patient can use on their own."""
    return (
        len(sentence.split()) >= MIN_SENTENCE_WORDS
        and not sentence.rstrip("*").endswith((":", "?"))
        and not SOURCE_LINE.match(sentence)
    )


def extractive_draft(
    question: str,
    results: Sequence[ScoredChunk],
    lexical: LexicalIndex,
    *,
    max_sentences: int,
    max_citations: int,
    min_confidence: float,
) -> Draft | None:
    """The sentences of the top chunks that best answer the question, each with its citation number."""
    usable = [r for r in results if r.confidence >= min_confidence][:max_citations]
    if not usable:
        return None
    query_terms = set(tokenize(question))
    idf = {term: lexical.idf(term) for term in query_terms}
    candidates: list[tuple[float, int, int, str]] = []  # score, chunk rank, position, sentence
    by_place: dict[tuple[int, int], tuple[float, int, int, str]] = {}
    relevance: dict[tuple[float, int, int, str], float] = {}
    for rank, result in enumerate(usable):
        sentences = [s for s in split_sentences(result.chunk.text) if _answerable(s)]
        previous = 0.0
        for position, sentence in enumerate(sentences):
            lexical = _sentence_score(sentence, query_terms, idf)
            # a sentence right after a strong one usually continues its point ("The MSCs did not ...")
            carried = CARRY_OVER * previous
            # the best chunk's opening sentence usually states its topic; later chunks must earn their place
            prior = (OPENING_BONUS if position == 0 and rank == 0 else 0.0) - RANK_PENALTY * rank
            candidates.append((lexical + carried + prior, rank, position, sentence))
            relevance[candidates[-1]] = lexical + carried
            by_place[(rank, position)] = candidates[-1]
            previous = lexical
    if not candidates:
        return None
    ranked = sorted(candidates, key=lambda c: c[0], reverse=True)
    # the floor compares relevance alone: position bonuses order sentences but never make filler relevant
    floor = max(relevance.values()) * KEEP_RATIO - 1e-9
    chosen = [c for c in ranked[:max_sentences] if relevance[c] >= floor]
    # "All three had severe vision loss" means nothing without the sentence that says who they were
    for _, rank, position, sentence in list(chosen):
        before = by_place.get((rank, position - 1))
        if _REFERS_BACK.match(sentence) and before is not None and before not in chosen:
            chosen.append(before)
    chosen.sort(key=lambda c: (c[1], c[2]))

    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    paragraphs: list[list[str]] = []
    for _, rank, _, sentence in chosen:
        if rank not in numbers:
            numbers[rank] = len(numbers) + 1
            result = usable[rank]
            chunk_sentences = [s for _, r, _, s in chosen if r == rank]
            citations.append(cite(numbers[rank], result.chunk, " ".join(chunk_sentences), result.similarity))
            paragraphs.append([])
        paragraphs[-1].append(f"{escape(sentence)} [{numbers[rank]}]")
    return Draft(kind=Kind.ANSWER, text="\n\n".join(" ".join(p) for p in paragraphs), citations=tuple(citations))


def suggest(snapshot: Snapshot, query_vector: np.ndarray | None, *, exclude: set[str], count: int) -> tuple[str, ...]:
    """Follow-up questions the documents can answer: curated FAQ questions nearest the current topic."""
    if count <= 0 or not snapshot.faq:
        return ()
    if query_vector is None or not len(snapshot.faq_vectors):
        return tuple(entry.question for entry in snapshot.faq if entry.id not in exclude)[:count]
    sims = snapshot.faq_vectors @ query_vector
    best: dict[int, float] = {}
    for row, owner in enumerate(snapshot.faq_owner):
        best[owner] = max(best.get(owner, -1.0), float(sims[row]))
    picked: list[str] = []
    for owner in sorted(best, key=best.__getitem__, reverse=True):
        entry = snapshot.faq[owner]
        if entry.id in exclude or best[owner] >= NEAR_DUPLICATE:
            continue
        picked.append(entry.question)
        if len(picked) == count:
            break
    return tuple(picked)
