"""Shared fixtures: the real bundled model, a real Chroma index in a temp dir, and the real app over HTTP.

The index is built once per session from the shipped ``knowledge/`` folder (two documents and the FAQ: small
enough to be fast, and the same content patients see).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from bot.conversation import Assistant
from bot.embedding import Embedder
from bot.ingestion import ingest
from bot.settings import PROJECT_ROOT, Settings
from bot.web.server import create_app
from tests.serving import free_port, serving

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
AXE_CORE_VERSION = "4.14.1"  # the one place the accessibility checker's version is pinned
AXE_CACHE = PROJECT_ROOT / "tests" / ".cache" / "axe"  # ignored by git; filled from the npm registry once


def wait_until_responds(url: str, timeout: float = 90.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} did not respond within {timeout}s")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real bundled model, loaded once for the whole run (the default backend of ``Settings``)."""
    return Embedder.from_settings(Settings()).load()


@pytest.fixture(scope="session")
def onnx_embedder(embedder: Embedder) -> Embedder:
    """The int8 ONNX backend of the same model (exported once into the project's model cache)."""
    return Embedder("onnx-int8", cache_dir=Settings().model_cache_dir).load()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings on a private data dir, reading the shipped knowledge folder."""
    return Settings(data_dir=tmp_path_factory.mktemp("data"), knowledge_dir=PROJECT_ROOT / "knowledge")


@pytest.fixture(scope="session")
def published(embedder: Embedder, settings: Settings) -> Settings:
    report = ingest(settings, embedder)
    assert report.published, report
    return settings


@pytest.fixture(scope="session")
def assistant(embedder: Embedder, published: Settings) -> Assistant:
    return Assistant(published, embedder)


def copy_knowledge(target: Path) -> Path:
    """A private, editable copy of the shipped knowledge folder."""
    shutil.copytree(PROJECT_ROOT / "knowledge", target)
    return target


@contextmanager
def running_app(settings: Settings, log_dir: Path, **env_overrides: str) -> Iterator[str]:
    """``python app.py`` in its own process on a free port, as patients reach it; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "BOT_DATA_DIR": str(settings.data_dir),
        "BOT_KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "GRADIO_ANALYTICS_ENABLED": "False",
        **env_overrides,
    }
    with open(log_dir / f"server-{port}.log", "w+") as log:
        process = subprocess.Popen(
            [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_responds(f"{base}/healthz", process=process)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            log.seek(0)
            assert "Traceback" not in log.read(), f"the server logged an error; see {log.name}"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (each test opens its own pages or contexts)."""
    if CHROMIUM is None:
        pytest.fail("chromium is not installed; .ci/run installs the Debian package 'chromium'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from the npm registry, installed once into an ignored cache folder."""
    script = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    package = script.parent / "package.json"
    if not (script.exists() and json.loads(package.read_text())["version"] == AXE_CORE_VERSION):
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is not installed; it fetches axe-core for the accessibility scan (.ci/run installs it)")
        command = [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE_CACHE)]
        subprocess.run([*command, f"axe-core@{AXE_CORE_VERSION}"], check=True, capture_output=True, timeout=300)
    return script


def app_for(settings: Settings, embedder: Embedder, **overrides: object) -> FastAPI:
    """The real app (chat, API, widget, staff page) on ``settings`` with some settings changed."""
    settings = settings.model_copy(update=overrides)
    return create_app(settings, embedder, Assistant(settings, embedder))


@pytest.fixture(scope="session")
def server(published: Settings, embedder: Embedder) -> Iterator[str]:
    """The real app over HTTP, shared by the integration and browser tests (rate limit off: one client)."""
    with serving(app_for(published, embedder, rate_limit="")) as base:
        yield base
