"""In-process replies: ``Assistant.ask`` on each question, beside a raw encode of the same question."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence

import numpy as np

from bench.performance.results import ReplyLatency
from bot.conversation import Assistant

WARM_UP = 3
"""Questions asked before timing: the first replies build BM25 and embed triage's examples."""


def reply_latency(assistant: Assistant, questions: Sequence[str]) -> ReplyLatency:
    """Time whole replies, interleaved with a raw encode of each question by the assistant's own encoder.

    Give it an assistant on the model itself (an ``Embedder``), not the serving path's batching encoder and its
    cache: then every reply embeds its question once, as the raw encode beside it does, and interleaving the
    two keeps other work on the machine from favouring either. The kinds of the timed replies say what was
    timed: a run whose questions mostly went out of scope would time a shorter path than patients' answers.
    """
    encoder = assistant.encoder
    for question in questions[:WARM_UP]:
        assistant.ask(question)
    replies, encodes, kinds = [], [], Counter()
    for question in questions:
        started = time.perf_counter()
        encoder.encode([question])
        encodes.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        answer = assistant.ask(question)
        replies.append(1000 * (time.perf_counter() - started))
        kinds[answer.kind.value] += 1
    return ReplyLatency(
        questions=len(questions),
        p50_ms=float(np.percentile(replies, 50)),
        p95_ms=float(np.percentile(replies, 95)),
        encode_p50_ms=float(np.median(encodes)),
        kinds=dict(kinds),
    )
