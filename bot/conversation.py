"""One conversational turn: validate → triage → condense → retrieve → answer → disclaimer.

``Assistant.ask`` is the only way a reply is made, and ``finalize`` is the only way one leaves: that is
where the configured disclaimer is attached, so no path (and no document text) can drop it.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.answer_model import AnswerModel
from bot.answering import Ranking, best_match, blend, compose, escape, rank, suggest
from bot.clinic_questions import closeness, read_clinic_questions
from bot.documents import is_expired
from bot.embedding import Embedder, TextEncoder, everyday_words
from bot.generation import Generator, generator_from_settings
from bot.index import SERVER_POLL_SECONDS, IndexNotReady, LiveIndex, Snapshot
from bot.inputs import Turn, clean_text, validate_history, validate_question
from bot.replies import Answer, Draft, Kind, ReplyTrace
from bot.retrieval import Retriever, ScoredChunk
from bot.sanitize import search_text
from bot.sections import SectionIndex
from bot.settings import Settings
from bot.spelling import Speller
from bot.stores import ServerStore, make_store
from bot.topic_model import TopicModel
from bot.topics import TopicCoverage, read_conditions
from bot.triage import Triage, Verdict
from bot.triage.language import Lang
from bot.understanding import condense, question_parts

ReplyObserver = Callable[[str, Answer], None]


@dataclass(frozen=True)
class Understood:
    """A question as answering sees it (``Assistant.understand``)."""

    question: str
    query: str  # spelling corrected, and made to stand alone when it is a follow-up
    vectors: dict[str, np.ndarray]  # of the question, the query and the parts
    ranking: Ranking
    parts: list[Ranking]  # one per part of a compound question
    skip: frozenset[str]  # documents left out of answers
    reach: float  # how close the question's own words come to the knowledge base (scope)
    clinic: float  # how close they come to a question about the clinic itself (``clinic_questions``)


@dataclass(frozen=True)
class Derived:
    """What answering builds once per index generation, from the generation alone."""

    version: str
    sections: SectionIndex
    topics: TopicCoverage
    speller: Speller
    refused: frozenset[str]  # curated entries whose own question triage would send down a safety path
    clinic_questions: np.ndarray  # vectors of the ways of asking about the clinic itself


"""Told of every reply with its (cleaned) question: how optional features such as insights hook in."""
log = logging.getLogger(__name__)

NO_INDEX = "none"
# The share of a follow-up's ranking taken from the question condensed with the previous one's topic; the rest
# comes from its own words. Higher weights, or the whole previous question, scored better on the tuning
# follow-ups but answered "how much?" after "what are MSCs?" with the MSC definition (docs/benchmarks.md).
FOLLOW_UP_WEIGHT = 0.5
CLINIC_IN_SCOPE = 0.5
"""A question at least this close to one about the clinic itself is in scope whatever the topic model says
("what time do you open on mondays" reads like small talk). Everyday questions of the labelled tuning set come
no closer than 0.48; the clinic's own logistics mostly from 0.5 up."""


def expired_documents(snapshot: Snapshot) -> frozenset[str]:
    """Documents whose review-by date has passed: kept in the index, left out of answers."""
    return frozenset(path for path, doc in snapshot.documents.items() if is_expired(doc.review_by))


def live_index(settings: Settings, model_id: str) -> LiveIndex:
    """The serving view of the index the settings name (a Chroma server is polled, a file is watched)."""
    store = make_store(settings)
    return LiveIndex(store, model_id, poll_seconds=SERVER_POLL_SECONDS if isinstance(store, ServerStore) else 0.0)


class Assistant:
    """Answers patient questions from the live index. Thread-safe: it keeps no per-question state."""

    def __init__(
        self,
        settings: Settings,
        encoder: TextEncoder | None = None,
        *,
        live: LiveIndex | None = None,
        triage: Triage | None = None,
        on_reply: ReplyObserver | None = None,
        generator: Generator | None = None,
        model: AnswerModel | None = None,
        topic: TopicModel | None = None,
    ) -> None:
        self.settings = settings
        self.encoder = encoder or Embedder.from_settings(settings)
        self.live = live or live_index(settings, self.encoder.model_id)
        self.retriever = Retriever(self.live)
        self.triage = triage or Triage(self.encoder)
        self._conditions = (read_conditions(), everyday_words())
        self._clinic_questions = read_clinic_questions()
        self._per_generation: Derived | None = None
        self.model = model or AnswerModel.load()
        self.topic = topic or TopicModel.load()
        self.on_reply = on_reply
        self.generator = generator if generator is not None else generator_from_settings(settings)

    def warm_up(self) -> Assistant:
        """Load what the first question would otherwise wait for: the triage models, and the structures of the
        live generation (sections, the conditions its documents mention)."""
        self.triage.warm_up()
        with contextlib.suppress(IndexNotReady):  # otherwise built on the first question after the first ingest
            self._derived(self.live.current())
        return self

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer one question. Raises ``InputRejected`` for input that cannot be processed."""
        question = validate_question(question, self.settings)
        history = validate_history(history, self.settings)
        answer = self._reply(question, history)
        if self.on_reply is not None:
            try:
                self.on_reply(question, answer)
            except Exception:  # recording insights must never cost a patient their answer
                log.exception("recording a reply failed")
        return answer

    def _derived(self, snapshot: Snapshot) -> Derived:
        """Per-generation structures (sections, the conditions its documents mention, their spelling)."""
        cached = self._per_generation
        if cached is None or cached.version != snapshot.info.version:
            texts = [c.embed_text for c in snapshot.chunks] + [p for e in snapshot.faq for p in e.phrasings]
            names, everyday = self._conditions
            cached = Derived(
                snapshot.info.version,
                SectionIndex(snapshot, everyday),
                TopicCoverage(texts, names, everyday),
                Speller(texts, everyday, names),
                frozenset(e.id for e in snapshot.faq if self.triage(e.question).kind is not None),
                self.encoder.encode(list(self._clinic_questions)),
            )
            self._per_generation = cached
        return cached

    def understand(self, question: str, history: Sequence[Turn], snapshot: Snapshot) -> Understood:
        """What the question asks, measured against the generation: its ranking and its parts' rankings.

        Used by ``ask`` and by the answer model's training (``bench/answer_train.py``), so that both see the
        same numbers. The question must already be cleaned (``validate_question``).
        """
        derived = self._derived(snapshot)
        lexical = self.retriever.lexical_for(snapshot)
        spell = derived.speller.correct
        asked = spell(search_text(question))
        turns = [Turn(t.role, spell(search_text(clean_text(t.content)))) for t in history]
        query = condense(asked, turns, lexical.topicality, lexical.names_a_section)
        parts = question_parts(asked) if query == asked else []
        # one model call: the question itself for triage, the corrected and condensed ones for retrieval
        texts = list(dict.fromkeys([question, asked, query, *parts]))
        vectors = dict(zip(texts, self.encoder.encode(texts), strict=True))
        settings = self.settings
        skip = expired_documents(snapshot) if settings.exclude_expired else frozenset()

        def ranking_of(text: str) -> Ranking:
            results = self.retriever.search(snapshot, text, vectors[text], settings.top_k + len(skip))
            usable = [r for r in results if r.chunk.doc_path not in skip]
            clinic = closeness(derived.clinic_questions, vectors[text])
            topic = float(self.topic.probability(vectors[text])[0])
            return rank(derived.sections, vectors[text], usable, text, skip, clinic, topic)

        own = ranking_of(asked)
        whole = blend(own, ranking_of(query), FOLLOW_UP_WEIGHT) if query != asked else own
        clinic = closeness(derived.clinic_questions, vectors[asked])
        return Understood(question, query, vectors, whole, [ranking_of(p) for p in parts], skip, own.reach, clinic)

    def _reply(self, question: str, history: Sequence[Turn]) -> Answer:
        not_ready: IndexNotReady | None = None
        try:
            snapshot: Snapshot | None = self.live.current()
        except IndexNotReady as exc:  # emergencies and crises are still answered without a usable index
            snapshot, not_ready = None, exc
        understood = self.understand(question, history, snapshot) if snapshot is not None else None
        vector = understood.vectors[question] if understood else self.encoder.encode([question])[0]
        verdict = self.triage(question, vector)
        if verdict.kind in (Kind.CRISIS, Kind.EMERGENCY) or verdict.language == "es":
            return self.finalize(self._fixed_reply(verdict), snapshot, language=verdict.language)
        if snapshot is None or understood is None:
            assert not_ready is not None
            raise not_ready

        settings = self.settings
        derived = self._derived(snapshot)
        sections, skip = derived.sections, understood.skip
        threshold = settings.answer_threshold if settings.answer_threshold is not None else self.model.answer_threshold
        whole = best_match(sections, understood.ranking, self.model)
        parts = [(m, r) for r in understood.parts if (m := best_match(sections, r, self.model)) is not None]
        parts = [(m, r) for m, r in parts if m.answers(threshold) and m.section is not None]
        part_sections = [m.section.index for m, _ in parts if m.section is not None]
        chosen = [(whole, understood.ranking)] if whole is not None and whole.answers(threshold) else []
        if len(set(part_sections)) >= 2 and (
            whole is None or whole.section is None or whole.section.index not in part_sections
        ):
            chosen = []  # the whole question matched neither of the things it asks: answer each of them
        for part, ranking in parts:  # each further thing the question asks, with its own citation
            cited = {m.section.index for m, _ in chosen if m.section is not None}
            if part.section is not None and part.section.index not in cited and len(chosen) < settings.max_citations:
                chosen.append((part, ranking))
        if not chosen and whole is not None:
            chosen = [(whole, understood.ranking)]
        confidence = max((m.score for m, _ in chosen), default=-1.0)
        answered = [m for m, _ in chosen]
        sure = any(m.answers(threshold) for m in answered)
        query_vector = understood.vectors[understood.query]
        suggestions = suggest(
            snapshot,
            sections,
            query_vector,
            # a refused question still names what it was near: "how much is your package?" → the cost question
            answered=answered if sure else (),
            count=settings.suggestions,
            skip_documents=skip,
            refused=derived.refused,
        )

        missing = derived.topics.uncovered(understood.query) or derived.topics.uncovered(search_text(question))
        if missing is not None and verdict.kind is not Kind.PERSONAL_ADVICE:
            text = settings.not_covered_message.replace("{topic}", missing)
            text += " " + settings.with_contact(settings.no_answer_message)
            return self.finalize(Draft(kind=Kind.NO_ANSWER, text=text, suggestions=suggestions), snapshot)
        # about neither health nor the clinic, in its own words nor with the conversation's topic ("how much?")
        off_topic = understood.clinic < CLINIC_IN_SCOPE and all(
            self.topic.off_topic(understood.vectors[text]) for text in (question, understood.query)
        )
        draft = None
        if sure:
            draft = compose(chosen, snapshot, settings.max_answer_sentences)
            if self.generator is not None:
                results = [
                    ScoredChunk(snapshot.chunks[p], m.score, m.score, 0.0, 0.0)
                    for m in answered
                    if m.section is not None
                    for p in m.section.chunks
                ]
                draft = self.generator.compose(understood.query, results[: settings.max_citations], fallback=draft)

        if verdict.kind is Kind.PERSONAL_ADVICE:
            referral = settings.with_contact(settings.personal_advice_message)
            if draft is not None:
                text = f"{referral}\n\nGeneral information from our materials:\n\n{draft.text}"
                reply = Draft(kind=Kind.PERSONAL_ADVICE, text=text, citations=draft.citations, suggestions=suggestions)
                return self.finalize(reply, snapshot)
            return self.finalize(Draft(kind=Kind.PERSONAL_ADVICE, text=referral, suggestions=suggestions), snapshot)
        scope = settings.scope_threshold if settings.scope_threshold is not None else self.model.scope_threshold
        if draft is None and (understood.reach < scope or off_topic):
            examples = suggest(
                snapshot, sections, None, count=settings.suggestions, skip_documents=skip, refused=derived.refused
            )
            text = settings.out_of_scope_message + "".join(f"\n- {escape(q)}" for q in examples)
            return self.finalize(Draft(kind=Kind.OUT_OF_SCOPE, text=text, suggestions=examples), snapshot)
        if draft is None:
            text = settings.with_contact(settings.no_answer_message)
            return self.finalize(Draft(kind=Kind.NO_ANSWER, text=text, suggestions=suggestions), snapshot)
        return self.finalize(draft.model_copy(update={"suggestions": suggestions}), snapshot, confidence)

    def _fixed_reply(self, verdict: Verdict) -> Draft:
        """The configured message for an urgent message, or for one written in Spanish (no retrieval)."""
        settings = self.settings
        spanish = verdict.language == "es"
        if verdict.kind is Kind.CRISIS:
            return Draft(kind=Kind.CRISIS, text=settings.crisis_message_es if spanish else settings.crisis_message)
        if verdict.kind is Kind.EMERGENCY:
            text = settings.emergency_message_es if spanish else settings.emergency_message
            return Draft(kind=Kind.EMERGENCY, text=text)
        if verdict.kind is Kind.PERSONAL_ADVICE:
            return Draft(kind=Kind.PERSONAL_ADVICE, text=settings.with_contact(settings.personal_advice_message_es))
        return Draft(kind=Kind.NO_ANSWER, text=settings.with_contact(settings.spanish_note))

    def finalize(
        self, draft: Draft, snapshot: Snapshot | None, confidence: float | None = None, language: Lang = "en"
    ) -> Answer:
        """The single exit of every reply: attaches the configured disclaimer, the index version and an id.

        The trace records which version (content hash) of each cited document produced the reply.
        """
        documents: dict[str, str] = {}
        if snapshot is not None:
            documents = {
                c.document: snapshot.documents[c.document].content_hash
                for c in draft.citations
                if c.document in snapshot.documents
            }
        return Answer(
            answer=draft.text,
            kind=draft.kind,
            citations=draft.citations,
            disclaimer=self.settings.disclaimer,
            suggestions=draft.suggestions,
            index_version=snapshot.info.version if snapshot is not None else NO_INDEX,
            reply_id=uuid.uuid4().hex,
            language=language,
            trace=ReplyTrace(confidence=confidence, documents=documents),
        )
