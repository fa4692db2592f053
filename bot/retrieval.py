"""Hybrid retrieval: dense similarity from Chroma and BM25 over the same chunks, fused by score, section-aware.

Dense search finds paraphrases; BM25 finds rare exact words (drug names, trial names) that a small embedding
model blurs. Candidates from both are ranked by one relevance score (see ``Retriever.search``):

- cosine similarity plus max-normalised BM25 (a convex combination: unlike reciprocal-rank fusion it keeps
  how much better one chunk is than the next: +2 to +4 points of passage hit@1 over RRF on MedQuAD);
- plus how well the chunk's heading path names what the question asks ("symptoms", "costs"): every chunk of
  a page shares its title, so the heading is what tells the page's sections apart;
- then a section is represented by its lead chunk: where a heading's question is answered first.

The dense cosine similarity is kept beside the fused score because it is the calibrated confidence signal:
the fused score says which chunk is best, not whether any chunk is good enough.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from bot.chunking import Chunk
from bot.faq import read_yaml
from bot.index import LiveIndex, Snapshot

CANDIDATES = 20
"""How deep each retriever looks before fusion (10 and 40 measured the same on MedQuAD)."""
LEXICAL_SCALE = 0.3
"""BM25 divided by the question's best BM25 score, times this, is added to the cosine similarity.

BM25 is unbounded and its scale changes with every question, so it is put on 0..1 by the best score of the
question; 0.3 says a perfect lexical match is worth about as much as a clearly better paraphrase. On MedQuAD
without headings, 0.1 to 0.5 stay within 2 points of passage hit@1 (``bench/retrieval.py``, small set).
"""
HEADING_MATCH_WEIGHT = 0.2
"""Added, times ``Sections.match`` (0..1), for a heading path that names what the question asks.

On pages whose sections share one topic ("Lupus › Symptoms", "Lupus › Treatment"), both the embedding and
BM25 are dominated by the topic words; the words the heading adds to the title are what tell the sections
apart. 0.1 to 0.4 measured within 1 point of each other on MedQuAD with headings.
"""
LEXICAL_CONFIDENCE = 0.5
"""Confidence given to a chunk that contains every content word of the question (weighted by rarity).

Names a small embedding model has never seen ("MESEMS", "Hemacord") get low cosine similarity even when the
passage is exactly right; full lexical coverage vouches for such a passage at this level instead.
"""
QUESTION_WORDS = (
    "tell",
    "explain",
    "describe",
    "know",
    "find",
    "found",
    "mean",
    "means",
    "please",
    "much",
    "many",
    "could",
    "would",
    "get",
    "also",
    "anything",
    "something",
    "thing",
    "things",
    "like",
    "ok",
    "okay",
)
"""Words of asking rather than of the topic: they must not count as content the documents lack."""
HEADING_WEIGHT = 2.0
STOPWORDS = sorted(set(STOPWORDS_EN_PLUS) | set(QUESTION_WORDS))
LAY_TERMS_FILE = Path(__file__).parent / "data" / "lay_terms.yaml"
LAY_TERMS: dict[str, str] = {
    str(k).lower(): str(v) for k, v in read_yaml(LAY_TERMS_FILE.read_text(encoding="utf-8")).items()
}
"""Lay words and abbreviations patients type, each with the documents' wording (``bot/data/lay_terms.yaml``):
added to the question, never replacing it. Keep it unambiguous: every entry changes every question that
contains its words."""
_LAY_PATTERN = re.compile(
    r"\b(?:" + "|".join(re.escape(k) for k in sorted(LAY_TERMS, key=len, reverse=True)) + r")\b", re.I
)


def expand_lay_terms(question: str) -> str:
    """The question followed by the documents' wording for any lay term or abbreviation in it.

    A short abbreviation counts only in capitals or in lower case, so "MS" and "ms" expand but the title
    "Ms." does not.
    """
    found: dict[str, None] = {}
    for match in _LAY_PATTERN.finditer(question):
        word = match.group(0)
        if " " not in word and len(word) <= 4 and not (word.isupper() or word.islower()):
            continue
        found[LAY_TERMS[word.lower()]] = None
    return " ".join([question, *found]) if found else question


def _with_expansions(terms: list[str], question: str) -> list[str]:
    """The question's terms plus those of its lay-term expansions that it does not already have."""
    extra = tokenize(expand_lay_terms(question))[len(terms) :]
    return [*terms, *(t for t in dict.fromkeys(extra) if t not in terms)]


@dataclass(frozen=True)
class ScoredChunk:
    """A retrieved chunk with the scores that put it there."""

    chunk: Chunk
    score: float  # fused relevance (cosine + scaled BM25 + heading match): orders results
    similarity: float  # dense cosine similarity to the question
    lexical: float  # raw BM25 score
    coverage: float  # share of the question's content words (weighted by rarity) that the chunk contains

    @property
    def confidence(self) -> float:
        """How sure we are that this chunk is about the question, on the cosine scale of the thresholds."""
        return max(self.similarity, LEXICAL_CONFIDENCE * self.coverage)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def tokenize_many(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stemmed content words: the vocabulary BM25 and sentence selection share."""
    return bm25s.tokenize(list(texts), stopwords=STOPWORDS, stemmer=_stemmer(), return_ids=False, show_progress=False)


def tokenize(text: str) -> list[str]:
    return tokenize_many([text])[0]


class LexicalIndex:
    """BM25 over chunks (context and text), built once per index generation, plus term rarity."""

    def __init__(self, texts: Sequence[str], headings: Sequence[str] = ()) -> None:
        self._size = len(texts)
        self._heading_terms = (
            frozenset(term for tokens in tokenize_many(headings) for term in tokens) if headings else frozenset()
        )
        self._bm25 = bm25s.BM25()
        tokens = tokenize_many(texts) if texts else []
        self._terms = [frozenset(t) for t in tokens]
        self._df: dict[str, int] = {}
        for terms in self._terms:
            for term in terms:
                self._df[term] = self._df.get(term, 0) + 1
        if texts:
            self._bm25.index(tokens, show_progress=False)

    def scores(self, terms: list[str]) -> np.ndarray:
        known = [t for t in terms if t in self._df]
        if not self._size or not known:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency: a word no chunk has is the rarest of all."""
        df = self._df.get(term, 0)
        return math.log(1 + (self._size - df + 0.5) / (df + 0.5))

    def names_a_section(self, term: str) -> bool:
        """Whether a word appears in some heading: a follow-up with none of these has no topic of its own."""
        return term in self._heading_terms

    def topicality(self, term: str) -> float:
        """How much a word names a topic: rare, and used in headings (which name what sections are about)."""
        return self.idf(term) * (HEADING_WEIGHT if term in self._heading_terms else 1.0)

    def coverage(self, terms: Sequence[str], position: int) -> float:
        """Share of the question's content (weighted by rarity) that one chunk contains."""
        unique = set(terms)
        total = sum(self.idf(t) for t in unique)
        if not total:
            return 0.0
        return sum(self.idf(t) for t in unique & self._terms[position]) / total


class Sections:
    """Which section each chunk belongs to, the section's lead chunk, and the words its headings add.

    Built once per index generation, beside BM25. A section is a run of consecutive chunks of one document
    with the same heading path; only sections with a heading are grouped (text straight under the title has
    no heading to answer, and its first chunk is no better an answer than any other).
    """

    def __init__(self, chunks: Sequence[Chunk], lexical: LexicalIndex) -> None:
        self._lexical = lexical
        self.lead: list[int] = []
        previous: tuple[str, str] | None = None
        for i, chunk in enumerate(chunks):
            key = (chunk.doc_path, chunk.context)
            if chunk.section is None or key != previous:
                self.lead.append(i)
            else:
                self.lead.append(self.lead[-1])
            previous = key
        self.headed = [chunk.section is not None for chunk in chunks]
        titles = tokenize_many([chunk.title for chunk in chunks]) if chunks else []
        contexts = tokenize_many([chunk.context for chunk in chunks]) if chunks else []
        self._title = [frozenset(t) for t in titles]
        # the heading words the title does not already say: they are what sets one section apart
        self._naming = [frozenset(c) - frozenset(t) for c, t in zip(contexts, titles, strict=True)]

    def match(self, terms: Sequence[str], position: int) -> float:
        """How well a chunk's headings name the question's own words, 0..1 (an F1 weighted by rarity).

        Both sides drop the page title's words, which every chunk of the page shares: "What are the
        symptoms of lupus?" then asks for "symptom", which the heading "Lupus › Symptoms" names and
        "Lupus › Treatment" does not. A question that is nothing but the title ("What is lupus?") matches
        the section whose heading adds nothing to the title ("What is lupus?") best.
        """
        if not self.headed[position]:
            return 0.0
        asked = set(terms) - self._title[position]
        named = self._naming[position]
        if not asked or not named:
            return 1.0 if not asked and not named else 0.0
        idf = self._lexical.idf
        shared = sum(idf(t) for t in asked & named)
        if not shared:
            return 0.0
        recall = shared / sum(idf(t) for t in asked)
        precision = shared / sum(idf(t) for t in named)
        return 2 * recall * precision / (recall + precision)


class Retriever:
    """Searches the live index; rebuilds its BM25 side only when a new generation is published."""

    def __init__(self, live: LiveIndex, dense_weight: float = 1.0, lexical_weight: float = 1.0) -> None:
        self.live = live
        self.weights = (dense_weight, lexical_weight)
        self._lexical: tuple[str, LexicalIndex, Sections] | None = None

    def _indexes(self, snapshot: Snapshot) -> tuple[LexicalIndex, Sections]:
        cached = self._lexical
        if cached is None or cached[0] != snapshot.info.version:
            texts = [c.embed_text for c in snapshot.chunks]
            lexical = LexicalIndex(texts, [c.context for c in snapshot.chunks])
            cached = (snapshot.info.version, lexical, Sections(snapshot.chunks, lexical))
            self._lexical = cached
        return cached[1], cached[2]

    def lexical_for(self, snapshot: Snapshot) -> LexicalIndex:
        return self._indexes(snapshot)[0]

    def search(self, snapshot: Snapshot, query: str, query_vector: np.ndarray, k: int) -> list[ScoredChunk]:
        """The ``k`` best chunks for a question whose embedding is already known.

        1. Candidates: the ``CANDIDATES`` nearest chunks by cosine, the ``CANDIDATES`` best by BM25, and the
           lead chunk of each candidate's section.
        2. Relevance: ``dense_weight * cosine + lexical_weight * LEXICAL_SCALE * BM25 / best BM25
           + HEADING_MATCH_WEIGHT * heading match``.
        3. A section's lead chunk takes the best relevance in its section (just above it), so a section
           is read from its start: the first chunk under a heading answers what the heading asks, later
           ones go on about it. The continuation keeps its own score and usually follows right after.
        """
        lexical, sections = self._indexes(snapshot)
        dense = snapshot.dense_search(query_vector, CANDIDATES)
        similarity = dict(dense)
        terms = tokenize(query)
        expanded = _with_expansions(terms, query)
        lexical_scores = lexical.scores(expanded)
        lexical_rank = [int(i) for i in np.argsort(-lexical_scores)[:CANDIDATES] if lexical_scores[i] > 0]
        candidates = set(similarity) | set(lexical_rank)
        candidates |= {sections.lead[i] for i in candidates}
        missing = sorted(i for i in candidates if i not in similarity)
        if missing:  # a BM25-only hit still needs its cosine, for ranking and for the confidence signal
            vectors = snapshot.chunk_vectors(missing)
            similarity.update(zip(missing, (vectors @ query_vector).tolist(), strict=True))
        top_lexical = float(lexical_scores.max()) if len(lexical_scores) else 0.0
        dense_weight, lexical_weight = self.weights
        relevance = {
            i: dense_weight * similarity[i]
            + (lexical_weight * LEXICAL_SCALE * float(lexical_scores[i]) / top_lexical if top_lexical > 0 else 0.0)
            + HEADING_MATCH_WEIGHT * sections.match(expanded, i)
            for i in candidates
        }
        section_best: dict[int, float] = {}
        for i, value in relevance.items():
            lead = sections.lead[i]
            if lead != i:
                section_best[lead] = max(section_best.get(lead, value), value)
        for lead, value in section_best.items():
            relevance[lead] = max(relevance[lead], value + 1e-6)  # just above: the lead comes first
        best = sorted(relevance, key=lambda i: (-relevance[i], i))[:k]
        return [
            ScoredChunk(
                snapshot.chunks[i],
                relevance[i],
                float(similarity[i]),
                float(lexical_scores[i]),
                lexical.coverage(terms, i),  # of the patient's own words: the confidence scale is calibrated on them
            )
            for i in best
        ]
