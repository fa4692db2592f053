"""Choose what answers a question, by meaning, and compose the reply with numbered citations.

The unit a patient gets is a passage that answers: a curated FAQ answer, or a section of a document read
from its start. Candidates are compared with the question in three ways, all with the same embedding model:

- the question against each curated phrasing (a FAQ entry's question and its alternates);
- against each section's heading, read as the question the section answers, and against the curated
  phrasings that cite the section (more ways of asking it);
- against each section's sentences, and the hybrid retriever's relevance of its chunks (dense and BM25, so
  that names the model has never seen still count).

A section is answered with its opening sentence (where these documents state their point) and the sentences
closest to the question, in reading order. Nothing here writes new medical claims: the bot only repeats the
clinic's materials, and a sentence from the clinic's own claims is never the whole answer to a question about
evidence, risks or approval.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.answer_model import FEATURES, AnswerModel, clinic_lead
from bot.chunking import Chunk
from bot.faq import FaqEntry
from bot.index import Snapshot
from bot.replies import Citation, Draft, Kind
from bot.retrieval import ScoredChunk, tokenize
from bot.sanitize import markdown_text, plain_text
from bot.sections import Section, SectionIndex

SNIPPET_CHARS = 240
MIN_SENTENCE_WORDS = 4
NEAR_DUPLICATE = 0.8
"""A suggestion this similar to the question just asked would only repeat the answer."""
SENTENCE_KEEP = 0.85
"""Besides its opening, a section's sentence is quoted when it is at least this close to the best one."""
CLAIMS_MARGIN = 0.15  # on the answer model's probability
"""A claims section answers only a question no evidence section comes within this of (and never an evidence
question): the clinic's own description is not the balanced answer."""
CLAIMS_LEAD = "Our clinic's own handout describes it this way:"
EVIDENCE_WORDS = frozenset(
    tokenize(
        "safe safety risk risks danger dangerous side effects harm harms complication death die work works working "
        "effective evidence proof proven prove study studies trial trials result results success rate cure cures "
        "cured heal approved approval FDA legal legit regulated scam benefit benefits help helps improve true accurate "
        "backed hype overselling oversell overstate exaggerated misleading"
    )
)
"""Words of a question about evidence, risks, cure or approval (stemmed): answered from evidence documents."""
HANDOUT_WORDS = frozenset(tokenize("handout handouts brochure brochures flyer flyers leaflet leaflets pamphlet"))
"""Words by which a patient asks what the clinic's own material says: then its claims are the answer (said to
be the clinic's description), unless the question asks whether they hold, which evidence answers."""
HANDOUT_BAR = 0.5
_REFERS_BACK = re.compile(
    r"^(?:this|these|that|those|they|it|its|their|both|such|he|she|the (?:authors|trial|study))\b", re.IGNORECASE
)


def escape(text: str) -> str:
    """Show any markup in source text as text, and keep only safe links: documents never inject markup."""
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
        url=chunk.link,
        document=chunk.doc_path,
    )


def asks_about_evidence(question: str) -> bool:
    return bool(EVIDENCE_WORDS & set(tokenize(question)))


def asks_about_handout(question: str) -> bool:
    return bool(HANDOUT_WORDS & set(tokenize(question)))


def quotable(sentence: str) -> bool:
    """Questions, lead-ins to a list and fragments state nothing a patient can use on their own."""
    return len(sentence.split()) >= MIN_SENTENCE_WORDS and not sentence.rstrip("*").endswith((":", "?"))


@dataclass(frozen=True)
class Match:
    """The best answer found for one question: a curated answer or a section, and how sure we are."""

    score: float  # the answer model's probability that the section answers the question
    section: Section | None
    faq: FaqEntry | None = None
    faq_similarity: float = 0.0
    handout: bool = False  # chosen among the clinic's claims, because the question asks what its handout says

    def answers(self, threshold: float) -> bool:
        """Sure enough to answer: the model's threshold, or, once the patient has named the handout, more
        likely than not to be the part of it they ask about (the choice is among its few sections)."""
        return self.score >= (HANDOUT_BAR if self.handout else threshold)


@dataclass(frozen=True)
class Ranking:
    """Everything compared for one question, kept for the decision and for the follow-up suggestions."""

    faq: np.ndarray  # per FAQ entry: the best phrasing's cosine
    features: np.ndarray  # per section: the answer model's inputs (``answer_model.FEATURES``)
    sentences: np.ndarray  # per unit row: the sentence's cosine (headings -1)
    evidence_question: bool
    skipped: np.ndarray  # per section: its document is left out of answers (expired)
    handout_question: bool = False  # it asks what the clinic's own handout says

    @property
    def reach(self) -> float:
        """How close the question comes to anything in the knowledge base (a heading, phrasing, sentence or
        passage) or to a question about the clinic itself ("r u open saturdays" is for the clinic, though no
        document answers it): below ``scope_threshold`` it is about something else entirely."""
        columns = [FEATURES.index(name) for name in ("asked", "sentence", "passage", "clinic")]
        usable = self.features[~self.skipped][:, columns]
        return float(usable.max()) if usable.size else -1.0


def _gap(values: np.ndarray) -> np.ndarray:
    return values - values.max() if len(values) else values


def _lead(values: np.ndarray) -> np.ndarray:
    """Each value minus the largest of the others."""
    if len(values) < 2:
        return np.zeros_like(values)
    order = np.argsort(-values)
    first, second = values[order[0]], values[order[1]]
    return values - np.where(np.arange(len(values)) == order[0], second, first)


def rank(
    sections: SectionIndex,
    vector: np.ndarray,
    results: Sequence[ScoredChunk],
    question: str,
    skip_documents: frozenset[str] = frozenset(),
    clinic: float = -1.0,
    topic: float = 1.0,
) -> Ranking:
    """Measure every FAQ entry and every section against one question (``clinic``: its closeness to a question
    about the clinic itself, which no section answers; ``topic``: how likely it is about health or the clinic)."""
    snapshot = sections.snapshot
    n = len(sections.sections)
    faq = np.full(len(snapshot.faq), -1.0, dtype=np.float32)
    if len(snapshot.faq_vectors):
        np.maximum.at(faq, np.asarray(snapshot.faq_owner, dtype=int), snapshot.faq_vectors @ vector)
    skipped = np.array([s.doc_path in skip_documents for s in sections.sections], dtype=bool)
    for i, entry in enumerate(snapshot.faq):
        if entry.source in skip_documents:
            faq[i] = -1.0
    heading = sections.heading_similarity(vector)
    curated = np.full(n, -1.0, dtype=np.float32)  # curated phrasings are more ways of asking their section
    for i, entry in enumerate(snapshot.faq):
        cited = sections.faq_section.get(entry.id)
        if cited is not None:
            curated[cited] = max(curated[cited], faq[i])
    sentence_sims, sentence_best = sections.sentence_similarity(vector)
    passage = np.full(n, -1.0, dtype=np.float32)
    lexical = np.zeros(n, dtype=np.float32)
    coverage = np.zeros(n, dtype=np.float32)
    top_lexical = max((r.lexical for r in results), default=0.0)
    for r in results:
        s = sections.section_of_chunk[snapshot.positions[r.chunk.id]]
        passage[s] = max(passage[s], r.similarity)
        lexical[s] = max(lexical[s], r.lexical / top_lexical if top_lexical > 0 else 0.0)
        coverage[s] = max(coverage[s], r.coverage)
    asked = np.maximum(heading, curated)
    claims = np.array([s.role == "claims" for s in sections.sections], dtype=np.float32)
    evidence_question = asks_about_evidence(question)
    columns = {
        "asked": asked,
        "heading": heading,
        "curated": curated,
        "sentence": sentence_best,
        "passage": passage,
        "lexical": lexical,
        "coverage": coverage,
        "asked_gap": _gap(asked),
        "sentence_gap": _gap(sentence_best),
        "passage_gap": _gap(passage),
        "asked_lead": _lead(asked),
        "sentence_lead": _lead(sentence_best),
        "unknown": np.full(n, sections.unknown_share(question), dtype=np.float32),
        "rare_coverage": sections.rare_coverage(question),
        "clinic": np.full(n, clinic, dtype=np.float32),
        "topic": np.full(n, topic, dtype=np.float32),
        "clinic_lead": clinic_lead(np.full(n, clinic, dtype=np.float32), asked, sentence_best),
        "claims": claims,
        "claims_for_evidence": claims * float(evidence_question),
    }
    features = np.stack([columns[name] for name in FEATURES], axis=1).astype(np.float32)
    return Ranking(faq, features, sentence_sims, evidence_question, skipped, asks_about_handout(question))


def blend(own: Ranking, condensed: Ranking, weight: float = 0.5) -> Ranking:
    """A follow-up's ranking: what it asks in its own words ("is it safe?"), and condensed with the previous
    question's topic ("is it safe? MSCs"), averaged (``weight`` on the condensed one), so that the answer fits
    both the question and the topic rather than repeating the previous answer about the topic."""
    return Ranking(
        (1 - weight) * own.faq + weight * condensed.faq,
        (1 - weight) * own.features + weight * condensed.features,
        (1 - weight) * own.sentences + weight * condensed.sentences,
        own.evidence_question or condensed.evidence_question,
        own.skipped | condensed.skipped,
        own.handout_question or condensed.handout_question,
    )


def best_match(sections: SectionIndex, ranking: Ranking, model: AnswerModel) -> Match | None:
    """The most probable answering section (an evidence one for a question about evidence), given as its
    curated answer when one of that section's curated phrasings is close enough to the question."""
    if not sections.sections:
        return None
    features = ranking.features
    claims = np.array([s.role == "claims" for s in sections.sections])
    handout = ranking.handout_question and not ranking.evidence_question and claims.any()
    if handout:  # the clinic's claims are what is asked: judged on closeness alone, and only they answer
        features = features.copy()
        features[:, [FEATURES.index("claims"), FEATURES.index("claims_for_evidence")]] = 0.0
    probability = np.where(ranking.skipped | (handout & ~claims), -1.0, model.probabilities(features))
    order = [int(i) for i in np.argsort(-probability, kind="stable")]
    chosen = sections.sections[order[0]]
    if chosen.role == "claims" and not handout:
        evidence = [sections.sections[i] for i in order if sections.sections[i].role != "claims"]
        if evidence and (
            ranking.evidence_question or probability[evidence[0].index] >= probability[chosen.index] - CLAIMS_MARGIN
        ):
            chosen = evidence[0]
    snapshot = sections.snapshot
    citing = [i for i, e in enumerate(snapshot.faq) if sections.faq_section.get(e.id) == chosen.index]
    score = float(probability[chosen.index])
    if citing:
        best = max(citing, key=lambda i: ranking.faq[i])
        if ranking.faq[best] >= model.faq_threshold:
            return Match(score, chosen, snapshot.faq[best], float(ranking.faq[best]), handout=handout)
    return Match(score, chosen, handout=handout)


def faq_text(entry: FaqEntry) -> str:
    return escape(entry.answer.strip())


def section_text(section: Section, ranking: Ranking, max_sentences: int) -> str:
    """The section's opening sentence and the sentences closest to the question, in reading order."""
    rows = [(text, row) for text, row in zip(section.sentences, section.sentence_rows, strict=True) if quotable(text)]
    if not rows:
        rows = list(zip(section.sentences, section.sentence_rows, strict=True))
    if not rows:
        return ""
    sims = [float(ranking.sentences[row]) for _, row in rows]
    best = max(sims)
    picked = {0}
    for i in sorted(range(len(rows)), key=lambda i: -sims[i]):
        if len(picked) >= max_sentences:
            break
        if sims[i] >= SENTENCE_KEEP * best:
            picked.add(i)
    for i in sorted(picked):  # "These trials were small" means nothing without the sentence before it
        if i > 0 and _REFERS_BACK.match(rows[i][0]):
            picked.add(i - 1)
    return " ".join(escape(rows[i][0]) for i in sorted(picked))


def compose(matches: Sequence[tuple[Match, Ranking]], snapshot: Snapshot, max_sentences: int) -> Draft:
    """One reply from the match of each part of the question: one paragraph and one citation per match."""
    paragraphs, citations = [], []
    for number, (match, ranking) in enumerate(matches, start=1):
        section = match.section
        if match.faq is not None:
            text = faq_text(match.faq)
        else:
            assert section is not None
            text = section_text(section, ranking, max_sentences)
            if section.role == "claims":
                text = f"{CLAIMS_LEAD} {text}"
        chunk = snapshot.chunks[section.chunks[0]] if section is not None else None
        if chunk is None:
            doc = snapshot.documents[match.faq.source]  # type: ignore[union-attr]
            citation = Citation(
                id=number,
                title=doc.title,
                source=doc.source,
                section=match.faq.section,  # type: ignore[union-attr]
                snippet=snippet(text),
                score=round(match.score, 4),
                reviewed=doc.reviewed,
                document=doc.path,
            )
        else:
            citation = cite(number, chunk, plain_text(text), match.score)
        paragraphs.append(f"{text} [{number}]")
        citations.append(citation)
    return Draft(kind=Kind.ANSWER, text="\n\n".join(paragraphs), citations=tuple(citations))


def suggest(
    snapshot: Snapshot,
    sections: SectionIndex,
    vector: np.ndarray | None,
    *,
    answered: Sequence[Match] = (),
    count: int,
    skip_documents: frozenset[str] = frozenset(),
    refused: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """Curated questions near the topic that the reply did not just answer, and that would be answered (not
    sent down a safety path) if the patient asked them."""
    if count <= 0 or not snapshot.faq:
        return ()
    done_faq = {m.faq.id for m in answered if m.faq is not None}
    done_sections = {m.section.index for m in answered if m.section is not None}
    usable = [
        i
        for i, entry in enumerate(snapshot.faq)
        if entry.id not in done_faq
        and entry.id not in refused
        and sections.faq_section.get(entry.id) not in done_sections
        and entry.source not in skip_documents
    ]
    if vector is None or not len(snapshot.faq_vectors):
        return tuple(snapshot.faq[i].question for i in usable[:count])
    best = np.full(len(snapshot.faq), -1.0, dtype=np.float32)
    np.maximum.at(best, np.asarray(snapshot.faq_owner, dtype=int), snapshot.faq_vectors @ vector)
    picked = [i for i in sorted(usable, key=lambda i: -best[i]) if best[i] < NEAR_DUPLICATE][:count]
    return tuple(snapshot.faq[i].question for i in picked)
