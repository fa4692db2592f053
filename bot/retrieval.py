"""Hybrid retrieval: dense similarity from Chroma and BM25 over the same chunks, fused by reciprocal rank.

Dense search finds paraphrases; BM25 finds rare exact words (drug names, trial names) that a small embedding
model blurs. The dense cosine similarity of the best hit is kept beside the fused score because it is the
calibrated confidence signal: fused ranks say which chunk is best, not whether any chunk is good enough.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.chunking import Chunk
from bot.index import LiveIndex, Snapshot

RRF_K = 60
"""The usual reciprocal-rank-fusion constant: it damps the gap between rank 1 and rank 2."""
CANDIDATES = 20
"""How deep each retriever looks before fusion."""
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


@dataclass(frozen=True)
class ScoredChunk:
    """A retrieved chunk with the scores that put it there."""

    chunk: Chunk
    score: float  # fused reciprocal-rank score: orders results
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


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], weights: Sequence[float], k: int = RRF_K
) -> dict[int, float]:
    """Fuse ranked lists of item ids into one score per item: sum of weight / (k + rank)."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


class Retriever:
    """Searches the live index; rebuilds its BM25 side only when a new generation is published."""

    def __init__(self, live: LiveIndex, dense_weight: float = 1.0, lexical_weight: float = 1.0) -> None:
        self.live = live
        self.weights = (dense_weight, lexical_weight)
        self._lexical: tuple[str, LexicalIndex] | None = None

    def lexical_for(self, snapshot: Snapshot) -> LexicalIndex:
        cached = self._lexical
        if cached is None or cached[0] != snapshot.info.version:
            texts = [c.embed_text for c in snapshot.chunks]
            cached = (snapshot.info.version, LexicalIndex(texts, [c.context for c in snapshot.chunks]))
            self._lexical = cached
        return cached[1]

    def search(self, snapshot: Snapshot, query: str, query_vector: np.ndarray, k: int) -> list[ScoredChunk]:
        """The ``k`` best chunks for a question whose embedding is already known."""
        dense = snapshot.dense_search(query_vector, CANDIDATES)
        similarity = dict(dense)
        lexical = self.lexical_for(snapshot)
        terms = tokenize(query)
        lexical_scores = lexical.scores(terms)
        lexical_rank = [int(i) for i in np.argsort(-lexical_scores)[:CANDIDATES] if lexical_scores[i] > 0]
        fused = reciprocal_rank_fusion([[i for i, _ in dense], lexical_rank], self.weights)
        best = sorted(fused, key=fused.__getitem__, reverse=True)[:k]
        missing = [i for i in best if i not in similarity]
        if missing:  # a BM25-only hit still needs its cosine for the confidence signal
            vectors = snapshot.chunk_vectors(missing)
            similarity.update(zip(missing, (vectors @ query_vector).tolist(), strict=True))
        return [
            ScoredChunk(
                snapshot.chunks[i], fused[i], float(similarity[i]), float(lexical_scores[i]), lexical.coverage(terms, i)
            )
            for i in best
        ]


class HybridRetriever(BaseRetriever):
    """LangChain face of :class:`Retriever`, for chains that want ``Document`` objects."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever
    encode: Callable[[list[str]], np.ndarray]
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        snapshot = self.retriever.live.current()
        results = self.retriever.search(snapshot, query, self.encode([query])[0], self.k)
        return [
            Document(
                page_content=r.chunk.text,
                id=r.chunk.id,
                metadata={
                    "title": r.chunk.title,
                    "source": r.chunk.source,
                    "section": r.chunk.section,
                    "reviewed": r.chunk.reviewed,
                    "score": r.score,
                    "similarity": r.similarity,
                },
            )
            for r in results
        ]
