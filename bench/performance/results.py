"""What each stage measured, as small frozen dataclasses: ``run`` builds a ``Results``, ``report`` renders it.

``--json`` writes ``dataclasses.asdict`` of it (so dictionaries keyed by a client count get string keys).
Times are in milliseconds (``_ms``) or seconds (``_s``, ``seconds``), memory in MB.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Machine:
    """Where the numbers were measured (``bench.retrieval.machine``)."""

    nproc: int
    cpu: str
    python: str
    date: str


@dataclass(frozen=True)
class Meta:
    """The run itself: its command, machine and size."""

    command: str
    machine: Machine
    documents: int
    questions: int
    load_questions: int  # distinct questions in the pool the HTTP load runs draw from
    default_backend: str
    quick: bool


@dataclass(frozen=True)
class EncodeFloor:
    """One backend's model alone: one question at a time, and the batched ceiling."""

    model_id: str
    questions: int
    single_p50_ms: float
    batched_qps: float


@dataclass(frozen=True)
class ReplyLatency:
    """Whole in-process replies, each beside a raw encode of the same question measured just before it."""

    questions: int
    p50_ms: float
    p95_ms: float
    encode_p50_ms: float
    kinds: dict[str, int]  # reply kind -> how many of the timed replies took that path

    @property
    def ratio(self) -> float:
        return self.p50_ms / self.encode_p50_ms

    @property
    def answers(self) -> int:
        return self.kinds.get("answer", 0)


@dataclass(frozen=True)
class LoadSummary:
    """One load run over HTTP: a fixed number of requests from a fixed number of concurrent clients."""

    clients: int
    requests: int
    errors: int
    seconds: float
    throughput: float  # successful requests per second
    p50_ms: float
    p95_ms: float
    p99_ms: float


@dataclass(frozen=True)
class GradioTrips:
    """``gradio_client`` predictions one after another."""

    calls: int
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class Served:
    """``python app.py`` on one backend: cold start, memory, and a load run per client count."""

    workers: int
    cold_start_s: float
    serving_rss_mb: float  # peak after every load run (with several workers: all processes together)
    http: dict[int, LoadSummary]
    rss_after_start_mb: float | None = None  # one process only


@dataclass(frozen=True)
class IngestRun:
    """``python ingest.py --json`` in its own process: its report, and what the process cost."""

    seconds: float  # as the report counts it: without interpreter start-up
    wall_seconds: float
    cpu_seconds: float  # user + system, model loading and start-up included
    peak_rss_mb: float
    chunks: int
    embedded: int
    published: bool
    up_to_date: bool
    duplicates: int  # files skipped because another file has the same bytes

    @classmethod
    def from_report(cls, report: Mapping[str, Any], wall_seconds: float, cpu_seconds: float, peak_rss_mb: float):
        """From ``ingest.py --json`` output (an ``IngestReport`` as a dict) and the process's own costs."""
        return cls(
            seconds=report["seconds"],
            wall_seconds=wall_seconds,
            cpu_seconds=cpu_seconds,
            peak_rss_mb=peak_rss_mb,
            chunks=report["chunks"],
            embedded=report["embedded"],
            published=report["published"],
            up_to_date=report["up_to_date"],
            duplicates=len(report.get("duplicates", ())),
        )


@dataclass(frozen=True)
class ChunkTiming:
    """Chunks embedded (and, for the reference recipe, split, stored and indexed for BM25) in-process."""

    seconds: float
    cpu_seconds: float
    chunks: int


@dataclass(frozen=True)
class PassageMRR:
    """``bench.retrieval``'s passage MRR@5 of the shipped hybrid retriever."""

    mrr: float
    queries: int


@dataclass(frozen=True)
class OneChanged:
    """A re-ingest after one sentence was added to one document."""

    document: str
    document_chunks: int
    run: IngestRun


@dataclass(frozen=True)
class FullSet:
    """Every MedQuAD page (``--full-ingest``): ingested from nothing, then served."""

    backend: str
    documents: int
    ingest: IngestRun
    cold_start_s: float
    serving_rss_mb: float
    load: LoadSummary


@dataclass(frozen=True)
class Ingest:
    """The ingest stage, keyed by backend where it ran once per backend."""

    full: dict[str, IngestRun]
    raw_encode: dict[str, ChunkTiming]
    reference: ChunkTiming
    noop: IngestRun
    one_changed: OneChanged
    mrr: dict[str, PassageMRR]
    full_set: FullSet | None = None


@dataclass(frozen=True)
class BareImport:
    """An interpreter that only imports the serving libraries: the floor of cold start and RSS."""

    seconds: float
    peak_rss_mb: float


@dataclass(frozen=True)
class ScaleOut:
    """One Chroma server: the ingest job into it, then 32 clients against one and against two app processes."""

    ingest: IngestRun
    processes: dict[int, LoadSummary]  # app processes -> the load run
    chroma_rss_mb: float


@dataclass(frozen=True)
class Results:
    """Everything one run measured. Dictionaries keyed by backend list the default backend first."""

    meta: Meta
    encode: dict[str, EncodeFloor]
    ingest: Ingest
    reply: dict[str, ReplyLatency]
    bare_import: BareImport
    serving: dict[str, Served]
    gradio: GradioTrips
    gradio_echo: GradioTrips
    workers: dict[str, Served] = field(default_factory=dict)  # BOT_WORKERS=2, per backend
    scale_out: ScaleOut | None = None

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=1)
