"""One conversational turn: validate → triage → condense → retrieve → answer → disclaimer.

``Assistant.ask`` is the only way a reply is made, and ``finalize`` is the only way one leaves: that is
where the configured disclaimer is attached, so no path (and no document text) can drop it.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Sequence

from bot.answering import best_faq, escape, extractive_draft, faq_draft, suggest
from bot.documents import is_expired
from bot.embedding import Embedder, TextEncoder
from bot.generation import Generator, generator_from_settings
from bot.index import SERVER_POLL_SECONDS, IndexNotReady, LiveIndex, Snapshot
from bot.inputs import Turn, clean_text, validate_history, validate_question
from bot.replies import Answer, Draft, Kind, ReplyTrace
from bot.retrieval import Retriever, tokenize
from bot.sanitize import search_text
from bot.settings import Settings
from bot.stores import ServerStore, make_store
from bot.triage import Triage, Verdict
from bot.triage.language import Lang

ReplyObserver = Callable[[str, Answer], None]
"""Told of every reply with its (cleaned) question: how optional features such as insights hook in."""
log = logging.getLogger(__name__)

_ELLIPSIS = re.compile(
    r"^(?:and |but |so )?(?:what|how) about\s+(?P<topic>.+?)[?.!]*$|^and\s+(?P<bare>.+?)[?.!]*$", re.IGNORECASE
)
_REFERENCE = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those|he|she|there|one|ones)\b", re.IGNORECASE)
FOLLOW_UP_MAX_WORDS = 10
NO_INDEX = "none"
Rarity = Callable[[str], float]
Topical = Callable[[str], bool]


def _swap_topic(previous: str, topic: str, rarity: Rarity) -> str:
    """Put ``topic`` in place of the previous question's most topical word (rare, and used in headings)."""
    words = re.findall(r"[\w'-]+", previous)
    scored = [(rarity(tokens[0]), word) for word in words if (tokens := tokenize(word))]
    if not scored:
        return f"{previous} {topic}"
    _, word = max(scored)
    return re.sub(rf"\b{re.escape(word)}\b", topic, previous, count=1)


def condense(
    question: str, history: Sequence[Turn], rarity: Rarity | None = None, topical: Topical | None = None
) -> str:
    """Make a short follow-up stand alone, using the patient's previous question.

    - "what about lupus?" after "does it work for MS?" becomes "does it work for lupus?": the previous
      question's most topical word is replaced by the new topic (``rarity`` ranks the words);
    - "where do they come from?" after "what are MSCs?" is joined to it, so "they" has its referent, and so
      is a short follow-up that names no topic of its own ("what if the site gets red?"), when ``topical``
      says which words name a topic.
    Questions that stand on their own pass through unchanged.
    """
    previous = next((turn.content for turn in reversed(history) if turn.role == "user" and turn.content.strip()), None)
    if previous is None or len(question.split()) > FOLLOW_UP_MAX_WORDS:
        return question
    ellipsis = _ELLIPSIS.match(question.strip())
    if ellipsis and rarity is not None:
        return _swap_topic(previous, ellipsis.group("topic") or ellipsis.group("bare"), rarity)
    no_topic = topical is not None and not any(topical(term) for term in tokenize(question))
    if ellipsis or _REFERENCE.search(question) or no_topic:
        return f"{previous} {question}"
    return question


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
    ) -> None:
        self.settings = settings
        self.encoder = encoder or Embedder.from_settings(settings)
        self.live = live or live_index(settings, self.encoder.model_id)
        self.retriever = Retriever(self.live)
        self.triage = triage or Triage(self.encoder)
        self.on_reply = on_reply
        self.generator = generator if generator is not None else generator_from_settings(settings)

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

    def _reply(self, question: str, history: Sequence[Turn]) -> Answer:
        not_ready: IndexNotReady | None = None
        try:
            snapshot: Snapshot | None = self.live.current()
        except IndexNotReady as exc:  # emergencies and crises are still answered without a usable index
            snapshot, not_ready = None, exc
        query = question
        if snapshot is not None:
            lexical = self.retriever.lexical_for(snapshot)
            turns = [Turn(t.role, search_text(clean_text(t.content))) for t in history]
            query = condense(search_text(question), turns, lexical.topicality, lexical.names_a_section)
        # one model call: the question itself for triage and, for a follow-up, the condensed query for retrieval
        vectors = self.encoder.encode([question] if query == question else [question, query])
        verdict = self.triage(question, vectors[0])
        if verdict.kind in (Kind.CRISIS, Kind.EMERGENCY) or verdict.language == "es":
            return self.finalize(self._fixed_reply(verdict), snapshot, language=verdict.language)
        if snapshot is None:
            assert not_ready is not None
            raise not_ready
        vector = vectors[-1]

        settings = self.settings
        expired = expired_documents(snapshot) if settings.exclude_expired else frozenset()
        faq = best_faq(snapshot, vector, skip=expired)
        results = self.retriever.search(snapshot, query, vector, settings.top_k + len(expired))
        results = [r for r in results if r.chunk.doc_path not in expired][: settings.top_k]
        confidence = max([r.confidence for r in results] + [faq[1] if faq else 0.0])
        exclude = {faq[0].id} if faq and faq[1] >= settings.faq_threshold else set()
        exclude |= {entry.id for entry in snapshot.faq if entry.source in expired}
        suggestions = suggest(snapshot, vector, exclude=exclude, count=settings.suggestions)

        if faq is not None and faq[1] >= settings.faq_threshold:
            draft = faq_draft(faq[0], faq[1], snapshot)
        else:
            draft = extractive_draft(
                query,
                results,
                self.retriever.lexical_for(snapshot),
                max_sentences=settings.max_answer_sentences,
                max_citations=settings.max_citations,
                min_confidence=settings.answer_threshold,
            )
            if draft is not None and self.generator is not None:
                usable = [r for r in results if r.confidence >= settings.answer_threshold][: settings.max_citations]
                draft = self.generator.compose(query, usable, fallback=draft)

        if verdict.kind is Kind.PERSONAL_ADVICE:
            referral = settings.with_contact(settings.personal_advice_message)
            if draft is not None:
                text = f"{referral}\n\nGeneral information from our materials:\n\n{draft.text}"
                return self.finalize(
                    Draft(kind=Kind.PERSONAL_ADVICE, text=text, citations=draft.citations, suggestions=suggestions),
                    snapshot,
                )
            return self.finalize(Draft(kind=Kind.PERSONAL_ADVICE, text=referral, suggestions=suggestions), snapshot)
        if confidence < settings.scope_threshold:
            examples = suggest(snapshot, None, exclude=set(), count=settings.suggestions)
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
