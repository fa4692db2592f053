"""One run: every stage in order on one workload, each embedding backend with its own ``Embedder``."""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import retrieval
from bench.performance.floors import encode_floor
from bench.performance.footprint import bare_import
from bench.performance.ingest import FULL_SET_BACKEND, full_set_ingest, measure_ingest
from bench.performance.processes import app_env
from bench.performance.replies import reply_latency
from bench.performance.results import Machine, Meta, Results, Served
from bench.performance.scale_out import scale_out
from bench.performance.serving import echo_round_trips, serve_under_load
from bench.performance.workload import (
    BUSIEST,
    FLOOR_QUESTIONS,
    NORMAL,
    QUICK,
    REPLY_QUESTIONS,
    Plan,
    Workload,
    choose_workload,
)
from bot.conversation import Assistant
from bot.embedding import BACKENDS, Embedder
from bot.settings import Settings

_STARTED = time.monotonic()


def say(message: str) -> None:
    """One progress line on stderr: a long run shows what it is doing and how long it has taken."""
    print(f"[bench.performance {time.monotonic() - _STARTED:6.0f}s] {message}", file=sys.stderr, flush=True)


def load_embedders(settings: Settings) -> dict[str, Embedder]:
    """Every backend's model, loaded now (loading is no stage's cost); the default backend first."""
    default = settings.embedding_backend
    backends = [default, *(b for b in BACKENDS if b != default)]
    return {
        backend: Embedder(backend, cache_dir=settings.model_cache_dir, threads=settings.embedding_threads).load()
        for backend in backends
    }


def run(args: argparse.Namespace, argv: Sequence[str]) -> Results:
    """Every measurement in order; ``report.render_markdown`` turns the result into the section."""
    plan = QUICK if args.quick else NORMAL
    embedders = load_embedders(Settings())
    default = next(iter(embedders))
    workload = choose_workload(args.data, plan)
    meta = Meta(
        command=shlex.join([".venv/bin/python", "-m", "bench.performance", *argv]),
        machine=Machine(**retrieval.machine()),
        documents=len(workload.docs),
        questions=len(workload.questions),
        load_questions=len(workload.pool.questions),
        default_backend=default,
        quick=args.quick,
    )
    work = Path(tempfile.mkdtemp(prefix="bench-performance-")) if args.work_dir is None else args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _stages(args, plan, embedders, workload, meta, work)
    finally:
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)


def _stages(
    args: argparse.Namespace, plan: Plan, embedders: dict[str, Embedder], workload: Workload, meta: Meta, work: Path
) -> Results:
    default, questions, pool = meta.default_backend, workload.questions, workload.pool
    knowledge = work / "knowledge"
    shutil.rmtree(knowledge, ignore_errors=True)
    retrieval.build_knowledge(args.data, workload.docs, knowledge, strip=False)
    data = {backend: work / f"data-{backend}" for backend in embedders}
    for path in data.values():
        shutil.rmtree(path, ignore_errors=True)

    encode = {}
    for backend, embedder in embedders.items():
        encode[backend] = encode_floor(embedder, questions[:FLOOR_QUESTIONS], plan.batch_repeats)
        say(f"encode floor {backend}: {encode[backend]}")

    ingest = measure_ingest(knowledge, data, embedders, workload, work / "reference", say)
    if args.full_ingest:
        full = full_set_ingest(args.data, work, FULL_SET_BACKEND, pool, plan.full_set_limit)
        ingest = dataclasses.replace(ingest, full_set=full)
        say(f"full set: {full}")

    reply = {}
    for backend, embedder in embedders.items():  # each backend on the index it built
        settings = Settings(knowledge_dir=knowledge, data_dir=data[backend], chroma_host=None)
        reply[backend] = reply_latency(Assistant(settings, embedder), questions[:REPLY_QUESTIONS])
        say(f"in-process reply {backend}: {reply[backend]}")

    bare = bare_import()
    say(f"bare import: {bare}")
    serving: dict[str, Served] = {}
    gradio = None
    for backend in embedders if plan.serve_every_backend else [default]:
        env = app_env(data[backend], knowledge, BOT_EMBEDDING_BACKEND=backend)
        trips = (questions, plan.gradio_calls) if backend == default else None
        serving[backend], measured = serve_under_load(
            env, pool, plan.requests, work / f"app-{backend}.log", gradio=trips
        )
        gradio = measured or gradio
        say(f"http {backend}: {serving[backend]}")
    workers: dict[str, Served] = {}
    if plan.workers:
        for backend in serving:
            env = app_env(data[backend], knowledge, BOT_EMBEDDING_BACKEND=backend)
            levels = {c: plan.requests[c] for c in (1, BUSIEST)}
            workers[backend], _ = serve_under_load(env, pool, levels, work / "app-workers.log", workers=2)
            say(f"two workers {backend}: {workers[backend]}")
    echo = echo_round_trips(app_env(work, knowledge), questions, plan.gradio_calls, work / "echo.log")
    assert gradio is not None  # the default backend is always served
    say(f"gradio: {gradio} echo {echo}")

    scale = None
    if not args.skip_scale_out:
        scale = scale_out(knowledge, data[default], default, pool, plan.requests[BUSIEST], work)
        say(f"scale-out: {scale}")
    return Results(meta, encode, ingest, reply, bare, serving, gradio, echo, workers, scale)
