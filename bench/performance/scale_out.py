"""Scale-out: one Chroma server (``chroma run``), one ingest job into it, then one and two app processes."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from bench.performance.ingest import ingest_process
from bench.performance.processes import app_env, peak_rss_mb, serving, serving_all, split_url
from bench.performance.results import ScaleOut
from bench.performance.serving import APP, WARM_UP_CLIENTS, WARM_UP_REQUESTS, load_run
from bench.performance.workload import BUSIEST, QuestionPool

CHROMA_READY_PATH = "/api/v2/heartbeat"
APP_PROCESSES = (1, 2)


def scale_out(knowledge: Path, data_dir: Path, backend: str, pool: QuestionPool, requests: int, work: Path) -> ScaleOut:
    """``requests`` questions from ``BUSIEST`` clients against one app process and against two, over one server.

    The ingest job reuses ``data_dir``, whose embedding cache makes it a copy into the server rather than a
    re-embedding. Both app processes start before either load run, so each run sees the same server state.
    """
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    store = work / "chroma-server"
    shutil.rmtree(store, ignore_errors=True)
    server_env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    command = [chroma, "run", "--path", str(store), "--host", "127.0.0.1"]
    with serving(command, server_env, CHROMA_READY_PATH, work / "chroma.log") as chroma_server:
        remote = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(split_url(chroma_server.base)[1])}
        ingest = ingest_process(knowledge, data_dir, backend, **remote)
        env = app_env(data_dir, knowledge, BOT_EMBEDDING_BACKEND=backend, BOT_WORKERS="1", **remote)
        count = max(APP_PROCESSES)
        logs = [work / f"app-scale-{i}.log" for i in range(count)]
        with serving_all([APP] * count, env, "/healthz", logs) as apps:
            bases = [app.base for app in apps]
            load_run(bases, pool.take(WARM_UP_REQUESTS), WARM_UP_CLIENTS, WARM_UP_REQUESTS)  # warms both
            loads = {n: load_run(bases[:n], pool.take(requests), BUSIEST, requests) for n in APP_PROCESSES}
            return ScaleOut(ingest, loads, peak_rss_mb(chroma_server.pid))
