"""HTTP serving under load: ``python app.py`` answering ``POST /api/ask`` from concurrent clients, and Gradio."""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from bench.performance.processes import peak_rss_mb, serving, split_url, tree_rss_mb
from bench.performance.results import GradioTrips, LoadSummary, Served
from bench.performance.workload import QuestionPool

APP = (sys.executable, "app.py", "--host", "127.0.0.1")
ECHO = (sys.executable, "-m", "bench.performance.echo")
WARM_UP_REQUESTS, WARM_UP_CLIENTS = 16, 4
"""Before the timed runs: the routes' first requests, and with several processes each one's."""
REQUEST_TIMEOUT = 60.0


def summarise(clients: int, requests: int, seconds: float, latencies_ms: Sequence[float], errors: int) -> LoadSummary:
    """Throughput counts successful requests only; percentiles cover every request, failed ones included."""

    def percentile(q: float) -> float:
        return float(np.percentile(latencies_ms, q)) if len(latencies_ms) else float("nan")

    return LoadSummary(
        clients=clients,
        requests=requests,
        errors=errors,
        seconds=seconds,
        throughput=(requests - errors) / seconds if seconds else 0.0,
        p50_ms=percentile(50),
        p95_ms=percentile(95),
        p99_ms=percentile(99),
    )


def load_run(bases: Sequence[str], questions: Sequence[str], clients: int, requests: int) -> LoadSummary:
    """``requests`` POSTs to ``/api/ask`` from ``clients`` threads, each on its own keep-alive connection.

    Client ``i`` talks to ``bases[i % len(bases)]``: with several app processes, that is the load balancer.
    Questions are taken in order, so a run repeats one only after using all of them. A request counts as an
    error unless it gets a 200 whose body carries the disclaimer (every reply has it).
    """
    counter = iter(range(requests))
    lock = threading.Lock()
    latencies: list[float] = []
    errors = 0

    def client(index: int) -> None:
        nonlocal errors
        host, port, _ = split_url(bases[index % len(bases)])
        connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                break
            body = json.dumps({"question": questions[number % len(questions)]})
            started = time.perf_counter()
            try:
                connection.request("POST", "/api/ask", body, {"content-type": "application/json"})
                response = connection.getresponse()
                payload = response.read()
                ok = response.status == 200 and b'"disclaimer"' in payload
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
            elapsed = 1000 * (time.perf_counter() - started)
            with lock:
                latencies.append(elapsed)
                errors += not ok
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summarise(clients, requests, time.perf_counter() - started, latencies, errors)


def load_levels(bases: Sequence[str], pool: QuestionPool, requests: Mapping[int, int]) -> dict[int, LoadSummary]:
    """A warm-up, then one load run per number of concurrent clients, each on questions no run asked before."""
    load_run(bases, pool.take(WARM_UP_REQUESTS), WARM_UP_CLIENTS, WARM_UP_REQUESTS)
    return {clients: load_run(bases, pool.take(count), clients, count) for clients, count in sorted(requests.items())}


def serve_under_load(
    env: dict[str, str],
    pool: QuestionPool,
    requests: Mapping[int, int],
    log: Path,
    *,
    workers: int = 1,
    gradio: tuple[Sequence[str], int] | None = None,
) -> tuple[Served, GradioTrips | None]:
    """``python app.py`` from cold start to ready, its load runs and its memory; Gradio round trips if asked.

    ``gradio`` is (questions, calls) for ``gradio_round_trips`` on the chat's ``/ask``, measured after the
    load runs on the same process.
    """
    with serving(APP, {**env, "BOT_WORKERS": str(workers)}, "/healthz", log) as server:
        after_start = peak_rss_mb(server.pid) if workers == 1 else None
        http = load_levels([server.base], pool, requests)
        rss = peak_rss_mb(server.pid) if workers == 1 else tree_rss_mb(server.pid)
        trips = gradio_round_trips(server.base, gradio[0], "/ask", gradio[1]) if gradio else None
    return Served(workers, server.ready_seconds, rss, http, after_start), trips


def gradio_round_trips(base: str, questions: Sequence[str], api_name: str, count: int) -> GradioTrips:
    """``gradio_client`` predictions, one after another (the client is connected once, as an app would)."""
    from gradio_client import Client

    client = Client(f"{base}/", verbose=False)
    client.predict(questions[0], api_name=api_name)
    times = []
    for i in range(count):
        started = time.perf_counter()
        client.predict(questions[i % len(questions)], api_name=api_name)
        times.append(1000 * (time.perf_counter() - started))
    return GradioTrips(count, float(np.percentile(times, 50)), float(np.percentile(times, 95)))


def echo_round_trips(env: dict[str, str], questions: Sequence[str], count: int, log: Path) -> GradioTrips:
    """The floor of the Gradio round trip: the same stack answering with the question itself (``echo``)."""
    with serving(ECHO, env, "/healthz", log) as server:
        return gradio_round_trips(server.base, questions, "/echo", count)
