"""Publishing never breaks the live bot: kill -9 mid-ingest, re-ingest under load, and a Chroma server."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bot.conversation import Assistant
from bot.embedding import Embedder
from bot.index import open_generation, read_active, verify_generation
from bot.ingestion import ingest
from bot.settings import PROJECT_ROOT, Settings
from bot.stores import make_store
from tests.conftest import free_port, running_app, wait_until_responds
from tests.staff_helpers import knowledge_copy

TOPICS = ["knee", "shoulder", "hip", "spine", "wrist", "ankle", "elbow", "neck", "jaw", "foot"]


def many_documents(folder: Path, count: int) -> None:
    """Enough distinct documents that an ingest takes a few seconds, so it can be killed midway."""
    for n in range(count):
        topic = TOPICS[n % len(TOPICS)]
        sections = "\n\n".join(
            f"## Visit {v} for the {topic}\n\nAt visit {v} of program {n}, the {topic} is examined and the care team "
            f"records progress. Patients in program {n} bring notes about their {topic} to visit {v}. "
            f"Questions about program {n} go to the clinic's front desk."
            for v in range(12)
        )
        (folder / f"program-{n:03d}.md").write_text(f"---\ntitle: Program {n}\n---\n{sections}\n")


def run_ingest(settings: Settings, *args: str) -> subprocess.Popen:
    env = {**os.environ, "BOT_DATA_DIR": str(settings.data_dir), "BOT_KNOWLEDGE_DIR": str(settings.knowledge_dir)}
    return subprocess.Popen(
        [sys.executable, "ingest.py", "--json", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_kill_9_at_any_moment_leaves_the_previous_generation_serving(
    embedder: Embedder, published: Settings, tmp_path: Path
) -> None:
    settings = knowledge_copy(tmp_path, published)
    store = make_store(settings)
    first = ingest(settings, embedder)
    many_documents(settings.knowledge_dir, 40)
    # embeds once; later runs reuse the cache. Forty new documents move some borderline curated phrasings, so
    # the publish gate (its own tests: test_publish_gate) may hold them: published as staff would, with --force
    assert run_ingest(settings, "--rebuild", "--force").wait(timeout=300) == 0
    started = time.monotonic()
    assert run_ingest(settings, "--rebuild").wait(timeout=300) == 0
    duration = time.monotonic() - started  # what a killed run below would have taken
    killed = 0
    # kill -9 at points spread over a whole run: reading, embedding, writing, verifying, publishing
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.85, 0.95):
        before = read_active(store)
        process = run_ingest(settings, "--rebuild")
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        active = read_active(store)
        if process.returncode == -signal.SIGKILL:
            killed += 1
            assert active.version in (before.version, *store.generations())
        verify_generation(store, active)  # whatever is active is complete
        answer = Assistant(settings, embedder).ask("What are mesenchymal stem cells?")
        assert answer.kind == "answer" and answer.index_version == active.version
    assert killed >= 3
    final = ingest(settings, embedder, rebuild=True)
    assert final.published and final.exit_code == 0
    assert read_active(store).version == final.version != first.version
    snapshot = open_generation(store, read_active(store))
    assert (
        snapshot.info.documents == len(first.added) + 40
        and len({c.id for c in snapshot.chunks}) == snapshot.info.chunks
    )
    served_before = {entry["version"] for entry in store.read_pointer()["history"]}
    leftovers = set(store.generations()) - {final.version}
    assert (
        leftovers <= served_before
    )  # only generations that served, kept for their grace period; crashed ones are gone


def served_version(base: str, timeout: float = 30.0, *, until: str) -> str:
    """Poll ``/healthz`` until the app serves generation ``until`` (apps watch the pointer once a second)."""
    deadline = time.monotonic() + timeout
    version = ""
    while time.monotonic() < deadline and version != until:
        version = httpx.get(f"{base}/healthz", timeout=5).json().get("index_version") or ""
        time.sleep(0.1)
    return version


def test_reingest_under_a_loop_of_requests_fails_none(embedder: Embedder, published: Settings, tmp_path: Path) -> None:
    settings = knowledge_copy(tmp_path, published)
    ingest(settings, embedder)
    with running_app(settings, tmp_path, BOT_RATE_LIMIT="") as base:
        results: list[tuple[int, str]] = []
        stop = threading.Event()

        deadline = time.monotonic() + 300  # bounded in time: the loop ends even if an ingest hangs

        def hammer() -> None:
            with httpx.Client(timeout=30) as client:
                while not stop.is_set() and time.monotonic() < deadline:
                    response = client.post(f"{base}/api/ask", json={"question": "What is Ryoncil?"})
                    version = response.json().get("index_version", "") if response.status_code == 200 else ""
                    results.append((response.status_code, version))

        workers = [threading.Thread(target=hammer) for _ in range(2)]
        for worker in workers:
            worker.start()
        try:
            for n in range(2):
                (settings.knowledge_dir / f"update-{n}.md").write_text(
                    f"# Update {n}\n\n## News\n\nClinic news item {n}."
                )
                assert run_ingest(settings, "--force").wait(timeout=120) == 0  # a held index would not flip
                new = read_active(make_store(settings)).version
                assert served_version(base, until=new) == new
                served = len(results)
                while len(results) < served + 3:  # the loop gets answers from the new generation, too
                    time.sleep(0.05)
        finally:
            stop.set()
            for worker in workers:
                worker.join()
        assert len(results) > 20
        assert [code for code, _ in results if code != 200] == []
        versions = [version for _, version in results]
        assert len(set(versions)) == 3  # served from the first, second and third generation in turn
        assert versions[-1] == read_active(make_store(settings)).version


@pytest.fixture
def chroma_server(tmp_path: Path):
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    with open(tmp_path / "chroma.log", "w") as log:
        process = subprocess.Popen(
            [str(chroma), "run", "--path", str(tmp_path / "chroma"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_responds(f"http://127.0.0.1:{port}/api/v2/heartbeat", process=process, timeout=60)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_two_app_processes_serve_one_generation_from_a_chroma_server(
    embedder: Embedder, published: Settings, tmp_path: Path, chroma_server: int
) -> None:
    server = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(chroma_server)}
    settings = knowledge_copy(tmp_path, published, chroma_host="127.0.0.1", chroma_port=chroma_server)
    first = ingest(settings, embedder)
    assert first.published
    with (
        running_app(settings, tmp_path, BOT_RATE_LIMIT="", **server) as one,
        running_app(settings, tmp_path, BOT_RATE_LIMIT="", BOT_DATA_DIR=str(tmp_path / "other"), **server) as two,
    ):
        for base in (one, two):
            health = httpx.get(f"{base}/healthz").json()
            assert health["index_version"] == first.version
            answer = httpx.post(f"{base}/api/ask", json={"question": "What is Ryoncil?"}).json()
            assert answer["kind"] == "answer" and answer["index_version"] == first.version
        (settings.knowledge_dir / "stem-cell-therapy-the-balanced-picture.md").unlink()
        # the FAQ cites the removed guide: the publish gate would hold the index; staff publish it anyway
        second = ingest(settings, embedder, force=True)
        assert second.published and second.removed == ["stem-cell-therapy-the-balanced-picture.md"]
        for base in (one, two):
            assert served_version(base, until=second.version) == second.version
            answer = httpx.post(f"{base}/api/ask", json={"question": "What is Ryoncil?"}).json()
            assert answer["index_version"] == second.version
            assert all("Balanced Picture" not in c["title"] for c in answer["citations"])
