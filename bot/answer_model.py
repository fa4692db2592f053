"""How likely a section is to answer a question: a logistic model over how close the two are, measured
several ways, trained on the tuning part of the labelled patient questions (``python -m bench.answer_train``).

No single similarity decides well. A heading close to the question says what a section is about; a close
sentence, what it says; BM25, that it names the question's rare words; and where each stands against the
other sections of the same question. The model weighs them, and its probability is the answer's confidence:
the threshold below which the bot says "our materials don't cover that" is chosen on the same data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).parent / "data" / "answer_model.json"
RARE_NAME_SIMILARITY = 0.5


def clinic_lead(clinic: np.ndarray, asked: np.ndarray, sentence: np.ndarray) -> np.ndarray:
    """How much closer the question is to a question about the clinic itself than to this section: a section
    that only shares a word with "how much is the package at your clinic" is not its answer."""
    return clinic - np.maximum(asked, sentence)


FEATURES = (
    "asked",  # the heading, or the closest curated phrasing that cites the section (-1: none)
    "heading",  # the section's heading alone (-1: none)
    "curated",  # the closest curated phrasing citing the section (-1: none)
    "sentence",  # the section's closest sentence
    "passage",  # the closest chunk, embedded with its title and headings (-1: not retrieved)
    "lexical",  # BM25 of the section's best chunk, over the question's best (0..1)
    "coverage",  # share of the question's rare words the section contains
    "asked_gap",  # "asked" minus the best "asked" of any section for this question (<= 0)
    "sentence_gap",
    "passage_gap",
    "asked_lead",  # "asked" minus the best "asked" of the other sections (> 0 for a clear winner)
    "sentence_lead",
    "unknown",  # share of the question's words that no document, heading or curated phrasing uses
    "rare_coverage",  # share of the question's unusual words (names, not everyday English) the section has
    "clinic",  # the question's closeness to the nearest question about the clinic itself (``clinic_questions``)
    "topic",  # the topic model's probability that the question is about health or the clinic at all
    "clinic_lead",  # "clinic" minus the section's own closeness (the larger of "asked" and "sentence")
    "claims",  # 1 for the clinic's own claims
    "claims_for_evidence",  # 1 for a claims section asked a question about evidence, risks or approval
)


@dataclass(frozen=True)
class AnswerModel:
    weights: np.ndarray
    bias: float
    answer_threshold: float  # below this probability for the best section: no answer
    faq_threshold: float  # a curated answer citing the chosen section is used from this phrasing similarity
    scope_threshold: float = 0.22  # unanswered, and no closer than this to anything: out of scope
    similarity_floor: float = 0.0  # and the answer's heading, curated phrasing or sentence at least this close

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> AnswerModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: trained on other features; retrain with `python -m bench.answer_train`")
        return cls(
            np.asarray(data["weights"], dtype=np.float32),
            float(data["bias"]),
            float(data["answer_threshold"]),
            float(data["faq_threshold"]),
            float(data["scope_threshold"]),
            float(data["similarity_floor"]),
        )

    def save(self, path: Path = MODEL_FILE, **about: object) -> None:
        payload = {
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "answer_threshold": self.answer_threshold,
            "faq_threshold": self.faq_threshold,
            "scope_threshold": self.scope_threshold,
            "similarity_floor": self.similarity_floor,
            **about,
        }
        path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Per section: how likely it answers; 0 for one no closer than ``similarity_floor`` to the question
        (the weights rank sections, and a section that leads the others by a little is still not an answer
        when nothing is close)."""
        p = 1.0 / (1.0 + np.exp(-(features @ self.weights + self.bias)))
        close = np.maximum(features[:, FEATURES.index("asked")], features[:, FEATURES.index("sentence")])
        # a name the model has never seen ("MESEMS") vouches for the section that has it, as a close match would
        close = np.maximum(close, RARE_NAME_SIMILARITY * features[:, FEATURES.index("rare_coverage")])
        return np.where(close >= self.similarity_floor, p, 0.0)
