"""Ingest: ``ingest.py`` per backend from nothing, against a raw encode of its chunks and the reference recipe.

Also passage MRR@5 of each backend's index, a re-ingest with nothing changed and one with one document
changed, and (``--full-ingest``) every MedQuAD page ingested and served.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench import retrieval
from bench.performance.processes import app_env, run_measured
from bench.performance.results import ChunkTiming, FullSet, Ingest, IngestRun, OneChanged, PassageMRR
from bench.performance.serving import serve_under_load
from bench.performance.workload import QuestionPool, Workload
from bot.chunking import chunk_document
from bot.documents import MAX_FILE_BYTES, load_document
from bot.embedding import DIMENSION, Embedder
from bot.ingestion import knowledge_files

ADDED_SENTENCE = " This sentence was added by the benchmark."
FULL_SET_BACKEND = "onnx-int8"
"""``--full-ingest`` uses the fast backend: torch would take about twice as long."""
FULL_SET_LOAD = (8, 256)
"""Clients and requests of the load run on the full set: enough to reach the serving peak RSS."""


def ingest_process(knowledge: Path, data_dir: Path, backend: str, **extra_env: str) -> IngestRun:
    """``python ingest.py --json`` in its own process: its report, its own seconds, and its peak RSS."""
    env = app_env(data_dir, knowledge, BOT_EMBEDDING_BACKEND=backend, **extra_env)
    finished = run_measured([sys.executable, "ingest.py", "--json", "--knowledge", str(knowledge)], env)
    return IngestRun.from_report(
        json.loads(finished.stdout), finished.wall_seconds, finished.cpu_seconds, finished.peak_rss_mb
    )


def _chunk_texts(knowledge: Path, files: Sequence[Path], embedder: Embedder) -> list[str]:
    docs = [load_document(knowledge, path, MAX_FILE_BYTES) for path in files]
    return [c.embed_text for doc in docs for c in chunk_document(doc, embedder.count_tokens, embedder.max_tokens)]


def raw_chunk_encode(knowledge: Path, embedder: Embedder) -> ChunkTiming:
    """The product's own chunks of the folder, embedded in one raw ``encode`` call."""
    texts = _chunk_texts(knowledge, knowledge_files(knowledge), embedder)
    started, cpu = time.perf_counter(), time.process_time()
    embedder.encode(texts)
    return ChunkTiming(time.perf_counter() - started, time.process_time() - cpu, len(texts))


def document_chunks(knowledge: Path, rel: str, embedder: Embedder) -> int:
    """How many chunks the product makes of one document."""
    return len(_chunk_texts(knowledge, [knowledge / rel], embedder))


def reference_ingest(texts: dict[str, str], store: Path, torch_embedder: Embedder) -> ChunkTiming:
    """The plain LangChain recipe of ``bench.retrieval`` (the torch model, as tutorials ship it): its ingest."""
    cpu = time.process_time()
    (result, *_) = retrieval.run_reference("headings", texts, store, [], np.zeros((0, DIMENSION)), torch_embedder)
    return ChunkTiming(result.ingest_seconds, time.process_time() - cpu, result.chunks)


def passage_mrr(
    knowledge: Path, data_dir: Path, raw: Sequence[dict[str, Any]], originals: dict[str, str], embedder: Embedder
) -> PassageMRR:
    """Passage MRR@5 of the shipped hybrid retriever on the index ``embedder`` built (``bench.retrieval``)."""
    queries = retrieval.load_queries(raw, originals)
    vectors = embedder.encode([q.question for q in queries])
    results = retrieval.run_ours("headings", knowledge, data_dir, queries, vectors, embedder)
    hybrid = next(r for r in results if r.retriever == "hybrid")
    return PassageMRR(hybrid.metrics["passage_mrr@5"], len(queries))


def change_one_document(knowledge: Path, rel: str) -> None:
    """Edit one document the way staff would: one sentence added at the end."""
    path = knowledge / rel
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + ADDED_SENTENCE + "\n")


def measure_ingest(
    knowledge: Path,
    data: Mapping[str, Path],
    embedders: Mapping[str, Embedder],
    workload: Workload,
    reference_store: Path,
    say: Callable[[str], None],
) -> Ingest:
    """The ingest stage on the prepared knowledge folder; ``data`` is each backend's (empty) data folder.

    The first backend of ``embedders`` is the default: the re-ingests run with it. The reference recipe uses
    the ``torch`` embedder. One document of the folder is changed on the way.
    """
    default = next(iter(embedders))
    originals = {rel: (knowledge / rel).read_text(encoding="utf-8") for rel in workload.docs}
    full, raws, mrr = {}, {}, {}
    for backend, embedder in embedders.items():
        full[backend] = ingest_process(knowledge, data[backend], backend)
        say(f"ingest {backend}: {full[backend]}")
        raws[backend] = raw_chunk_encode(knowledge, embedder)
        say(f"raw chunk encode {backend}: {raws[backend]}")
        mrr[backend] = passage_mrr(knowledge, data[backend], workload.raw, originals, embedder)
        say(f"MRR {backend}: {mrr[backend]}")
    reference = reference_ingest(originals, reference_store, embedders["torch"])
    say(f"reference recipe: {reference}")
    noop = ingest_process(knowledge, data[default], default)
    say(f"no-change re-ingest: {noop}")
    changed = workload.docs[len(workload.docs) // 2]
    change_one_document(knowledge, changed)
    one = OneChanged(
        changed,
        document_chunks(knowledge, changed, embedders[default]),
        ingest_process(knowledge, data[default], default),
    )
    say(f"one changed document: {one}")
    return Ingest(full, raws, reference, noop, one, mrr)


def full_set_ingest(data_dir: Path, work: Path, backend: str, pool: QuestionPool, limit: int | None) -> FullSet:
    """Every MedQuAD page (the first ``limit``) from nothing (``--full-ingest``), then served under load.

    A few MedQuAD pages have the same bytes under two paths; ingest indexes the first and reports the others
    (``IngestRun.duplicates``).
    """
    docs, _ = retrieval.select(data_dir, True, limit, None)
    knowledge = work / "knowledge-full"
    shutil.rmtree(knowledge, ignore_errors=True)
    retrieval.build_knowledge(data_dir, docs, knowledge, strip=False)
    target = work / "data-full"
    shutil.rmtree(target, ignore_errors=True)
    run = ingest_process(knowledge, target, backend)
    clients, requests = FULL_SET_LOAD
    env = app_env(target, knowledge, BOT_EMBEDDING_BACKEND=backend)
    served, _ = serve_under_load(env, pool, {clients: requests}, work / "app-full.log")
    return FullSet(backend, len(docs), run, served.cold_start_s, served.serving_rss_mb, served.http[clients])
