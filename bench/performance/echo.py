"""The floor of the Gradio round trip: the same Gradio and uvicorn as the app, answering with the question itself.

``python -m bench.performance.echo --port PORT`` serves ``/echo`` (a Gradio API) and ``/healthz``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def echo(question: str) -> dict[str, str]:
    return {"answer": question}


def main(argv: Sequence[str] | None = None) -> None:
    import gradio as gr
    import uvicorn
    from fastapi import FastAPI

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    with gr.Blocks() as demo:
        gr.api(echo, api_name="echo")
    app = FastAPI()

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    uvicorn.run(gr.mount_gradio_app(app, demo, path="/"), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
