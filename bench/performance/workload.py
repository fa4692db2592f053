"""How big a run is (``Plan``), which MedQuAD documents and questions it uses, and the load runs' question pool."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import retrieval

CONCURRENCY = (1, 8, 32)
"""Concurrent HTTP clients of the load runs: one patient, a busy clinic, and more than the model's batch."""
BUSIEST = CONCURRENCY[-1]
FLOOR_QUESTIONS = 256
"""At most this many questions time the model alone: enough for a stable median."""
REPLY_QUESTIONS = 200
"""At most this many questions time whole in-process replies."""


@dataclass(frozen=True)
class Plan:
    """How big a run is."""

    docs: int | None  # None: the whole small set; a number: that many of its smallest asked-about pages
    questions: int
    requests: dict[int, int]  # concurrent clients -> requests in that load run
    gradio_calls: int
    batch_repeats: int  # how often the batched floor goes through the questions
    serve_every_backend: bool  # False: only the default backend is served over HTTP
    workers: bool  # also serve with BOT_WORKERS=2
    full_set_limit: int | None  # --full-ingest: None is all 5,486 pages


QUICK = Plan(
    3,
    8,
    {1: 4, 8: 8, 32: 32},
    gradio_calls=2,
    batch_repeats=1,
    serve_every_backend=False,
    workers=False,
    full_set_limit=5,
)
"""A smoke run: every stage on three small pages and a few requests; its numbers measure nothing."""
NORMAL = Plan(
    None,
    300,
    {1: 200, 8: 480, 32: 960},
    gradio_calls=30,
    batch_repeats=3,
    serve_every_backend=True,
    workers=True,
    full_set_limit=None,
)


class QuestionPool:
    """Questions for load runs, handed out without repeats (until the pool runs out) so that the serving
    cache of repeated questions does not flatter a run: each run gets questions no earlier run asked."""

    def __init__(self, questions: Iterable[str]) -> None:
        self.questions = list(dict.fromkeys(questions))
        self.cursor = 0

    def take(self, count: int) -> list[str]:
        taken = [self.questions[(self.cursor + i) % len(self.questions)] for i in range(count)]
        self.cursor += count
        return taken


@dataclass(frozen=True)
class Workload:
    """The documents and questions of one run."""

    docs: list[str]  # paths under the data folder's docs/
    raw: list[dict[str, Any]]  # their MedQuAD question records (for passage MRR)
    questions: list[str]  # what the floors and the in-process replies ask
    pool: QuestionPool  # what the HTTP load runs ask


def choose_workload(data_dir: Path, plan: Plan) -> Workload:
    """The fixed small set, or for a smoke run the smallest of its pages that have questions."""
    docs, raw = retrieval.select(data_dir, False, None, None)
    if plan.docs is None:
        questions = list(dict.fromkeys(q["question"] for q in raw))
        return Workload(docs, raw, questions, question_pool(data_dir, questions))
    asked = {q["doc"] for q in raw}
    docs = sorted((d for d in docs if d in asked), key=lambda d: (data_dir / "docs" / d).stat().st_size)[: plan.docs]
    raw = [q for q in raw if q["doc"] in docs][: plan.questions]
    distinct = list(dict.fromkeys(q["question"] for q in raw))
    questions = (distinct * plan.questions)[: plan.questions]  # a few pages have fewer questions than a run asks
    return Workload(docs, raw, questions, QuestionPool(distinct))


def question_pool(data_dir: Path, fallback: Sequence[str]) -> QuestionPool:
    """Every distinct MedQuAD question (about 15,000; most are about pages outside the small set, as real
    patients' questions often are), or the given ones when the full list is not there."""
    path = data_dir / "queries.jsonl"
    if not path.exists():
        return QuestionPool(fallback)
    return QuestionPool(json.loads(line)["question"] for line in retrieval.read_lines(path))
