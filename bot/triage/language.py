"""Which language a patient wrote in: English, or Spanish (the product's second language).

The lingua library is accurate on short, informal text where n-gram detectors guess. It is restricted to the
two languages the product speaks, and a message it is unsure of counts as English: the English replies are
the complete ones, and the urgent-message check runs on every message whatever its language.
"""

from __future__ import annotations

import threading
from typing import Literal

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

Lang = Literal["en", "es"]
MIN_CONFIDENCE = 0.75
"""Spanish only when lingua gives it at least this share (between the two languages)."""


class LanguageGuess:
    """Thread-safe; builds lingua's models on first use (about a second), or at ``warm_up``."""

    def __init__(self) -> None:
        self._detector: LanguageDetector | None = None
        self._lock = threading.Lock()

    def _built(self) -> LanguageDetector:
        if self._detector is None:
            with self._lock:
                if self._detector is None:
                    self._detector = (
                        LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH)
                        .with_preloaded_language_models()
                        .build()
                    )
        return self._detector

    def warm_up(self) -> LanguageGuess:
        self._built()
        return self

    def __call__(self, text: str) -> Lang:
        if not any(ch.isalpha() for ch in text):
            return "en"
        spanish = self._built().compute_language_confidence(text, Language.SPANISH)
        return "es" if spanish >= MIN_CONFIDENCE else "en"
