"""The floor of cold start and memory: an interpreter that only imports what a serving process imports.

The app's own cold start and RSS are measured where it is served (``serving``); ingest's peak RSS where it
runs (``ingest``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.performance.processes import app_env, run_measured
from bench.performance.results import BareImport

SERVING_LIBRARIES = ("gradio", "fastapi", "uvicorn", "chromadb", "onnxruntime", "tokenizers", "bm25s")
"""The libraries every app process imports, whichever embedding backend it runs (torch is the backend's own)."""


def bare_import() -> BareImport:
    """Seconds and peak RSS of ``python -c "import ..."`` with ``SERVING_LIBRARIES``."""
    code = "import " + ", ".join(SERVING_LIBRARIES)
    finished = run_measured([sys.executable, "-c", code], app_env(Path("."), Path(".")))
    return BareImport(finished.wall_seconds, finished.peak_rss_mb)
