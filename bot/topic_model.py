"""Is a question about health or the clinic at all? A logistic regression over the question's embedding,
trained by ``python -m bench.topic_train`` on health questions (MedQuAD, patients' questions, clinic logistics)
and everyday ones (recipes, sport, coding, trivia).

A question nothing answers gets one of two replies: on-topic ones (a disease the documents don't cover, the
clinic's opening hours) "our materials don't cover that, contact the clinic"; everything else a short scope
note. How close a question comes to the documents cannot tell them apart: "write me a python function" shares
"function" with a section on how cells work. Meaning can.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).parent / "data" / "topic_model.json"


@dataclass(frozen=True)
class TopicModel:
    weights: np.ndarray  # over the embedding's dimensions
    bias: float
    threshold: float  # below this probability of being about health or the clinic: out of scope
    embedding_model: str

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> TopicModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            np.asarray(data["weights"], dtype=np.float32),
            float(data["bias"]),
            float(data["threshold"]),
            str(data["embedding_model"]),
        )

    def save(self, path: Path = MODEL_FILE, **about: object) -> None:
        payload = {
            "embedding_model": self.embedding_model,
            "threshold": self.threshold,
            "bias": round(self.bias, 6),
            "weights": [round(float(w), 6) for w in self.weights],
            **about,
        }
        path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")

    def probability(self, vectors: np.ndarray) -> np.ndarray:
        """Per row of (unit) question vectors: how likely it is about health or the clinic."""
        return 1.0 / (1.0 + np.exp(-(np.atleast_2d(vectors) @ self.weights + self.bias)))

    def off_topic(self, vector: np.ndarray) -> bool:
        return bool(self.probability(vector)[0] < self.threshold)
