"""The floors of the query path: one backend's model alone, one question at a time and in batches."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from bench.performance.results import EncodeFloor
from bot.embedding import Embedder

BATCH = 32
"""Questions per call when measuring the model's batched ceiling (what 32 waiting clients could share)."""


def encode_floor(embedder: Embedder, questions: Sequence[str], repeats: int = 1) -> EncodeFloor:
    """The p50 of one question per ``encode`` call, and questions per second in batches of ``BATCH``.

    The batches go through the questions ``repeats`` times, so that a short list still takes long enough to
    time. The embedder should be loaded already: loading is not part of either floor.
    """
    embedder.encode(list(questions[:BATCH]))  # warm
    single = []
    for question in questions:
        started = time.perf_counter()
        embedder.encode([question])
        single.append(1000 * (time.perf_counter() - started))
    batches = [list(questions[i : i + BATCH]) for i in range(0, len(questions), BATCH)] * repeats
    started = time.perf_counter()
    for batch in batches:
        embedder.encode(batch)
    seconds = time.perf_counter() - started
    return EncodeFloor(
        model_id=embedder.model_id,
        questions=len(questions),
        single_p50_ms=float(np.median(single)),
        batched_qps=sum(len(b) for b in batches) / seconds,
    )
