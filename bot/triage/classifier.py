"""The learned layer of triage: a logistic regression over a message's sentence embedding and its character
n-grams, trained from the labelled messages in ``bench/data/triage`` (``python -m bench.triage_train``).

The embedding carries meaning ("I bought a rope today and I know what I'm going to do with it" is near
crisis messages it never saw); character n-grams carry wording the English model reads poorly: Spanish
("no puedo respirar"), typos ("cant breath") and texting ("kms"). The weights are plain arrays in
``model.npz``, so loading needs no pickle and the file says which embedding model it was trained with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer

MODEL_FILE = Path(__file__).with_name("model.npz")
LABELS = ("benign", "crisis", "emergency", "personal_advice")
"""Classes in the order of the model's rows; ``benign`` means no safety path (answered from documents)."""
N_FEATURES = 2**16
NGRAMS = (2, 5)
EMBEDDING_WEIGHT = 2.0
"""The embedding block is scaled against the unit-length n-gram block: 2 measured best on the dev messages."""


def _hasher() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char_wb", ngram_range=NGRAMS, n_features=N_FEATURES, alternate_sign=False, norm=None
    )


def ngram_counts(texts: list[str]) -> csr_matrix:
    """Raw character n-gram counts, hashed (stateless: the same text always gets the same columns)."""
    return _hasher().transform(texts).tocsr()


NEIGHBOURS = 3
"""How many nearest labelled messages of a kind speak for it (one odd example cannot decide)."""


@dataclass(frozen=True)
class Neighbours:
    """A second opinion by example: labelled urgent messages and the benign ones that look most like them.

    A message is urgent by example when its nearest urgent examples are close enough (``floor``) and clearly
    closer than its nearest benign ones (``margin``). It catches phrasings the regression weighs too lightly
    ("sometimes I think about driving my car into a wall"), at almost no cost in false alarms.
    """

    vectors: np.ndarray  # int8, unit vectors scaled by 127
    labels: np.ndarray  # "benign", "crisis" or "emergency"
    floor: float
    margin: float

    def urgent(self, vector: np.ndarray) -> str | None:
        """ "crisis" or "emergency" when the message is urgent by example, else None."""
        if not len(self.vectors):
            return None
        sims = (self.vectors.astype(np.float32) @ vector) / 127.0

        def score(kind: str) -> float:
            own = np.sort(sims[self.labels == kind])[-NEIGHBOURS:]
            return float(own.mean()) if len(own) else -1.0

        crisis, emergency = score("crisis"), score("emergency")
        urgent_sims = np.sort(sims[self.labels != "benign"])[-NEIGHBOURS:]
        urgent = float(urgent_sims.mean()) if len(urgent_sims) else -1.0
        if urgent >= self.floor and urgent - score("benign") >= self.margin:
            return "crisis" if crisis >= emergency else "emergency"
        return None


@dataclass(frozen=True)
class Thresholds:
    """A message takes a path when the model's probability of it reaches these (chosen for recall).

    ``urgent`` applies to crisis and emergency together (their summed probability): a message that is surely
    one of the two but split between them is still urgent; the larger of the two says which.
    """

    urgent: float
    personal_advice: float


class TriageModel:
    """Probabilities of each label for messages, from their embeddings and their text."""

    def __init__(
        self,
        weights: np.ndarray,
        bias: np.ndarray,
        idf: np.ndarray,
        thresholds: Thresholds,
        embedding_model: str,
        neighbours: Neighbours | None = None,
    ) -> None:
        self.weights = weights  # (labels, N_FEATURES + embedding dimension)
        self.bias = bias
        self.idf = idf
        self.thresholds = thresholds
        self.embedding_model = embedding_model
        self.neighbours = neighbours

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> TriageModel:
        data = np.load(path, allow_pickle=False)
        if tuple(str(label) for label in data["labels"]) != LABELS:
            raise ValueError(f"{path}: labels {list(data['labels'])} are not {list(LABELS)}; retrain the model")
        urgent, personal = (float(x) for x in data["thresholds"])
        return cls(
            data["weights"].astype(np.float32),
            data["bias"].astype(np.float32),
            data["idf"].astype(np.float32),
            Thresholds(urgent, personal),
            str(data["embedding_model"]),
            Neighbours(
                data["neighbour_vectors"],
                data["neighbour_labels"].astype(str),
                float(data["neighbour_limits"][0]),
                float(data["neighbour_limits"][1]),
            )
            if "neighbour_vectors" in data
            else None,
        )

    def save(self, path: Path = MODEL_FILE) -> None:
        t = self.thresholds
        np.savez_compressed(
            path,
            labels=np.array(LABELS),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            idf=self.idf.astype(np.float16),
            thresholds=np.array([t.urgent, t.personal_advice], dtype=np.float32),
            embedding_model=np.array(self.embedding_model),
            **(
                {
                    "neighbour_vectors": self.neighbours.vectors.astype(np.int8),
                    "neighbour_labels": np.array(self.neighbours.labels),
                    "neighbour_limits": np.array([self.neighbours.floor, self.neighbours.margin], np.float32),
                }
                if self.neighbours is not None
                else {}
            ),
        )

    def features(self, texts: list[str], vectors: np.ndarray) -> csr_matrix:
        """TF-IDF of the n-grams (sublinear, unit length) beside the scaled sentence embedding."""
        return features(ngram_counts(texts), self.idf, vectors)

    def probabilities(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """One row per message, one column per label in ``LABELS``; rows sum to 1."""
        logits = self.features(texts, vectors) @ self.weights.T + self.bias
        logits = np.asarray(logits) - np.max(logits, axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


def features(counts: csr_matrix, idf: np.ndarray, vectors: np.ndarray) -> csr_matrix:
    """The model's input: shared by training and serving so that both see exactly the same numbers."""
    tf = counts.astype(np.float32).copy()
    tf.data = 1.0 + np.log(tf.data)
    tf = tf.multiply(idf.astype(np.float32)).tocsr()
    norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    tf = csr_matrix(tf.multiply(1.0 / norms[:, None]))
    return hstack([tf, csr_matrix(np.asarray(vectors, dtype=np.float32) * EMBEDDING_WEIGHT)]).tocsr()


def inverse_document_frequency(counts: csr_matrix) -> np.ndarray:
    """Smoothed idf, as scikit-learn's ``TfidfTransformer`` computes it."""
    documents = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return (np.log((1 + documents) / (1 + df)) + 1.0).astype(np.float32)
