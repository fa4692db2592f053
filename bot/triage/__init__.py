"""Triage before retrieval: which safety path, if any, a patient's message takes, and in which language.

Two layers, crisis before emergency before personal advice, the first that fires decides:

1. Patterns (``patterns.py``): precise and explainable, English only.
2. A classifier (``classifier.py``) over the message's embedding and character n-grams, trained on thousands
   of labelled messages in English and Spanish (``bench/data/triage``), with thresholds chosen for recall on
   messages it was not trained on. It reads the whole message and each of its sentences, so an urgent
   sentence inside a longer question ("my face is drooping since lunch. also what are mscs") is not diluted.
3. Nearest labelled examples: a message much closer to urgent examples than to benign look-alikes is urgent
   even when the classifier weighs its words too lightly.

Off-topic questions are not decided here: what is in scope comes from the knowledge base (retrieval).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np

from bot.embedding import TextEncoder
from bot.replies import Kind
from bot.triage import patterns
from bot.triage.classifier import LABELS, TriageModel
from bot.triage.language import Lang, LanguageGuess

__all__ = ["Triage", "Verdict"]

_SENTENCE_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+|\s+(?:also|btw|anyway|and also|plus)\b[,:]?\s+", re.IGNORECASE)
_CONNECTOR = re.compile(r"^(?:also|btw|anyway|and|plus|oh)\b[,:]?\s*", re.IGNORECASE)
MIN_PART_WORDS = 2
CRISIS, EMERGENCY, PERSONAL, BENIGN = (
    LABELS.index(label) for label in ("crisis", "emergency", "personal_advice", "benign")
)
PATTERN_VETO = 0.98
"""An emergency pattern is overruled when the classifier is at least this sure the message is benign and no
example says otherwise: "this price is giving me a heart attack lol", "I had one seizure decades ago".
Measured on the development set, the cross-validated tuning part and the first blind batch: no urgent
message lost, and fewer false alarms. Crisis patterns are never overruled: a needless 988 costs little."""


def sentences(message: str) -> list[str]:
    """The message's sentences and clauses, when it has more than one (each of at least two words)."""
    parts = [_CONNECTOR.sub("", p.strip()) for p in _SENTENCE_BREAK.split(message) if p and p.strip()]
    parts = [p for p in parts if len(p.split()) >= MIN_PART_WORDS]
    return parts if len(parts) > 1 else []


@dataclass(frozen=True)
class Verdict:
    """Triage outcome: ``kind`` is None when the message goes on to retrieval as a normal question."""

    kind: Kind | None
    rule: str | None = None  # which layer decided: "crisis pattern", "emergency model", ...
    language: Lang = "en"


class Triage:
    """The triage of a process. Thread-safe; ``encoder`` embeds sentences the caller has no vector for."""

    def __init__(
        self, encoder: TextEncoder, model: TriageModel | None = None, language: LanguageGuess | None = None
    ) -> None:
        self.encoder = encoder
        self._model = model
        self._lock = threading.Lock()
        self.language = language or LanguageGuess()

    @property
    def model(self) -> TriageModel:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = TriageModel.load()
        return self._model

    def warm_up(self) -> Triage:
        """Load the classifier and the language models now, so that no patient waits for them."""
        _ = self.model
        self.language.warm_up()
        return self

    def probabilities(self, message: str, vector: np.ndarray | None = None) -> np.ndarray:
        """The classifier's probabilities for the whole message (row 0) and each of its sentences."""
        parts = sentences(message)
        if vector is None:
            vectors = self.encoder.encode([message, *parts])
        else:
            vectors = np.vstack([vector[None, :], self.encoder.encode(parts)]) if parts else vector[None, :]
        return self.model.probabilities([message, *parts], vectors)

    def __call__(self, message: str, vector: np.ndarray | None = None) -> Verdict:
        """Which safety path a (cleaned) message takes.

        ``vector`` is the message's own embedding if the caller already has it (it is then not computed
        twice); it must embed this message alone, not a message condensed with earlier turns.
        """
        language = self.language(message)
        text = patterns.normalise(message)
        if patterns.is_crisis(text):
            return Verdict(Kind.CRISIS, "crisis pattern", language)
        if vector is None:
            vector = self.encoder.encode([message])[0]
        probs = self.probabilities(message, vector)
        by_example = self.model.neighbours.urgent(vector) if self.model.neighbours is not None else None
        if patterns.is_emergency(text) and not (probs[0, BENIGN] >= PATTERN_VETO and by_example is None):
            return Verdict(Kind.EMERGENCY, "emergency pattern", language)
        crisis, emergency = probs[:, CRISIS], probs[:, EMERGENCY]
        most = int(np.argmax(crisis + emergency))  # the most urgent sentence speaks for the message
        if crisis[most] + emergency[most] >= self.model.thresholds.urgent:
            if crisis[most] >= emergency[most]:
                return Verdict(Kind.CRISIS, "crisis model", language)
            return Verdict(Kind.EMERGENCY, "emergency model", language)
        if by_example is not None:
            return Verdict(Kind(by_example), f"{by_example} by example", language)
        if patterns.is_personal(text):
            return Verdict(Kind.PERSONAL_ADVICE, "personal-advice pattern", language)
        if probs[:, PERSONAL].max() >= self.model.thresholds.personal_advice:  # any sentence may ask it
            return Verdict(Kind.PERSONAL_ADVICE, "personal-advice model", language)
        return Verdict(None, None, language)
