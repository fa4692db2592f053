"""Web entry point: ``python app.py [--host H] [--port P]`` serves the chat, the API and the widget."""

from __future__ import annotations

import argparse
import logging
import os

import uvicorn

from bot import embedding, safety
from bot.settings import Settings
from bot.web.server import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the patient chat (/) and the REST API (/api/ask).")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    embedding.load_model()  # load once before the first patient waits for it
    safety.warm_up()
    # No access log: it would record patients' IP addresses (see docs/privacy.md).
    uvicorn.run(create_app(Settings()), host=args.host, port=args.port, log_level="info", access_log=False)


if __name__ == "__main__":
    main()
