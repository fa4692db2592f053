"""Web entry point: ``python app.py [--host H] [--port P]`` serves the chat, the API and the widget."""

from __future__ import annotations

import argparse
import logging
import os
import sys

import uvicorn
from fastapi import FastAPI

from bot.batching import BatchingEncoder
from bot.conversation import Assistant
from bot.credentials import CredentialsError, StaffAccounts
from bot.embedding import Embedder
from bot.settings import Settings
from bot.settings_check import SettingsInvalid, load_settings
from bot.triage import Triage
from bot.web.server import create_app


def build_app() -> FastAPI:
    """The app as each serving process builds it: model loaded, triage warmed, concurrent questions batched."""
    settings = Settings()
    embedder = Embedder.from_settings(settings).load()  # before the first patient waits for it
    # Concurrent questions share one model call, and repeated questions skip it (docs/benchmarks.md).
    encoder = BatchingEncoder(
        embedder, max_wait=settings.batch_wait_ms / 1000, cache_size=settings.embedding_cache_size
    )
    assistant = Assistant(settings, encoder, triage=Triage(encoder)).warm_up()
    return create_app(settings, embedder, assistant)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the patient chat (/) and the REST API (/api/ask).")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    args = parser.parse_args(argv)
    try:  # refuse to start on a setting we would have to guess about, before loading anything
        settings = load_settings()
        StaffAccounts.from_settings(settings)
    except (SettingsInvalid, CredentialsError) as exc:
        print(f"error: not starting: {exc}", file=sys.stderr)
        sys.exit(2)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    workers = settings.workers
    # No access log: it would record patients' IP addresses (see docs/privacy.md).
    options = {"host": args.host, "port": args.port, "log_level": "info", "access_log": False}
    if workers > 1:  # each worker process imports this module and builds its own app
        uvicorn.run("app:build_app", factory=True, workers=workers, **options)
    else:
        uvicorn.run(build_app(), **options)


if __name__ == "__main__":
    main()
