"""Child processes the benchmark starts and measures: commands run to the end, servers run until their block ends."""

from __future__ import annotations

import contextlib
import http.client
import os
import shlex
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_ROOT

READY_TIMEOUT = 120.0
"""Seconds a server may take to answer its readiness path (a cold ``torch`` app takes about 10)."""
STOP_TIMEOUT = 5.0
"""Seconds a server gets to exit after SIGTERM: uvicorn would otherwise wait for Gradio clients' connections."""


@dataclass(frozen=True)
class Finished:
    """A command run to its end."""

    stdout: str
    wall_seconds: float
    cpu_seconds: float
    peak_rss_mb: float


@dataclass(frozen=True)
class Server:
    """A server process that answered its readiness path."""

    base: str  # http://127.0.0.1:PORT
    ready_seconds: float  # from the start of every server of the block to this one being ready
    pid: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def split_url(url: str) -> tuple[str, int, str]:
    """``http://host:port/path`` as (host, port, /path)."""
    hostport, _, path = url.removeprefix("http://").partition("/")
    host, _, port = hostport.partition(":")
    return host, int(port), "/" + path


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a live process (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def tree_rss_mb(pid: int) -> float:
    """Peak RSS of a process plus its children (uvicorn's worker processes), in MB."""
    total = peak_rss_mb(pid)
    with contextlib.suppress(OSError):
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            total += tree_rss_mb(int(child))
    return total


def app_env(data_dir: Path, knowledge: Path, **extra: str) -> dict[str, str]:
    """The environment of an app or ingest process: its folders, no rate limit, no analytics, no Chroma server."""
    env = {
        **os.environ,
        "BOT_DATA_DIR": str(data_dir),
        "BOT_KNOWLEDGE_DIR": str(knowledge),
        "BOT_RATE_LIMIT": "",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CHROMA_HOST", None)
    env.pop("CHROMA_PORT", None)
    env.update(extra)
    return env


def run_measured(cmd: Sequence[str], env: dict[str, str]) -> Finished:
    """Run a command to the end (exit 0 or 1); its stdout, wall and CPU seconds, and peak RSS.

    The peak is the child's own ``VmHWM``, read until it exits: ``wait4``'s ``ru_maxrss`` would report this
    (large) benchmark process instead, because Linux carries the high-water mark across fork and exec. CPU
    seconds (user + system, from ``wait4``) move less than wall seconds when other work shares the cores.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(list(cmd), cwd=PROJECT_ROOT, env=env, stdout=out, stderr=err)
        peak = 0.0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            with contextlib.suppress(OSError, ValueError):
                peak = max(peak, peak_rss_mb(process.pid))
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if process.returncode not in (0, 1):  # 1 is ingest's "published, some files failed"
        raise RuntimeError(f"{shlex.join(cmd)} exited {process.returncode}:\n{stderr[-3000:]}")
    return Finished(stdout, seconds, usage.ru_utime + usage.ru_stime, peak)


def wait_ready(url: str, process: subprocess.Popen, timeout: float = READY_TIMEOUT) -> None:
    """Poll until ``url`` answers 200 (for the app, ``/healthz`` says an index is active)."""
    deadline = time.monotonic() + timeout
    host, port, path = split_url(url)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            connection = http.client.HTTPConnection(host, port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        time.sleep(0.05)
    raise TimeoutError(f"{url} was not ready within {timeout:.0f}s")


@contextlib.contextmanager
def serving_all(
    commands: Sequence[Sequence[str]], env: dict[str, str], ready_path: str, logs: Sequence[Path]
) -> Iterator[list[Server]]:
    """Start server processes together, each with ``--port`` on a free port; yields them once all are ready."""
    with contextlib.ExitStack() as stack:
        started = time.perf_counter()
        processes = []
        for cmd, log in zip(commands, logs, strict=True):
            port = free_port()
            handle = stack.enter_context(open(log, "w"))
            process = subprocess.Popen(
                [*cmd, "--port", str(port)], cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
            )
            stack.callback(stop, process)
            processes.append((process, f"http://127.0.0.1:{port}"))
        ready = []
        for process, base in processes:
            wait_ready(base + ready_path, process)
            ready.append(Server(base, time.perf_counter() - started, process.pid))
        yield ready


@contextlib.contextmanager
def serving(cmd: Sequence[str], env: dict[str, str], ready_path: str, log: Path) -> Iterator[Server]:
    """Start one server process; yields it once it is ready."""
    with serving_all([cmd], env, ready_path, [log]) as (server,):
        yield server


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
