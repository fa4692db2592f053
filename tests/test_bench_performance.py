"""The speed benchmark must keep running and keep reporting every figure beside its floor.

A quick run (three small MedQuAD documents, a few requests, every stage including the Chroma server) checks
that each stage produces sane numbers and that the report names them; the unit tests pin the report's rules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench import performance as bench
from bot.settings import PROJECT_ROOT

HAS_DATA = (bench.retrieval.DEFAULT_DATA / "docs-small.txt").exists()


@pytest.mark.skipif(not HAS_DATA, reason=f"MedQuAD benchmark data not found at {bench.retrieval.DEFAULT_DATA}")
def test_quick_run_measures_every_stage_beside_its_floor(tmp_path) -> None:
    report, out = tmp_path / "benchmarks.md", tmp_path / "results.json"
    report.write_text("# Benchmarks\n\n## Retrieval quality (MedQuAD)\n\nkept as it is\n")
    argv = ["--quick", "--output", str(report), "--json", str(out), "--work-dir", str(tmp_path / "work")]
    # Its own process: the run switches embedding backends and starts servers, and a hang must not hang CI.
    # Served with onnx-int8, which starts in half the time; torch is still measured in-process and by ingest.
    env = {**os.environ, "BOT_EMBEDDING_BACKEND": "onnx-int8"}
    command = [sys.executable, "-m", "bench.performance", *argv]
    subprocess.run(command, cwd=PROJECT_ROOT, check=True, timeout=300, env=env)
    r = json.loads(out.read_text())

    default = r["meta"]["default_backend"]
    assert set(r["encode"]) == {"torch", "onnx-int8"}
    for floors in r["encode"].values():
        assert floors["single_p50_ms"] > 0 and floors["batched_qps"] > 0
    served = r["serving"][default]
    for clients in bench.CONCURRENCY:
        load = served["http"][str(clients)]
        assert load["errors"] == 0 and load["throughput"] > 0 and load["p50_ms"] <= load["p99_ms"]
    assert 0 < served["cold_start_s"] < bench.READY_TIMEOUT and served["serving_rss_mb"] > 50
    assert r["gradio"]["p50_ms"] > 0 and r["gradio_echo"]["p50_ms"] > 0

    ingest = r["ingest"]
    assert all(x["published"] and x["chunks"] > 0 for x in ingest["full"].values())
    assert ingest["noop"]["up_to_date"] and ingest["noop"]["embedded"] == 0
    assert 0 < ingest["one_changed"]["embedded"] <= ingest["one_changed"]["document_chunks"]
    assert ingest["reference"]["seconds"] > 0
    assert all(0 <= x["passage_mrr@5"] <= 1 for x in ingest["mrr"].values())
    scale = r["scale_out"]
    assert scale["processes_1"]["errors"] == 0 and scale["processes_2"]["errors"] == 0

    text = report.read_text()
    assert "## Retrieval quality (MedQuAD)\n\nkept as it is" in text  # the other engineer's section is untouched
    assert bench.SECTION_HEADING in text and "bench.performance --quick" in text
    for heading in ("### Targets", "### Query path", "### Ingest", "### Footprint", "### Scale-out"):
        assert heading in text


def test_the_section_is_replaced_in_place_and_others_are_kept(tmp_path) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text(f"# Benchmarks\n\n{bench.SECTION_HEADING}\n\nold\n\n## Retrieval quality (MedQuAD)\n\nkept\n")
    bench.write_section(path, f"{bench.SECTION_HEADING}\n\nnew\n")
    text = path.read_text()
    assert "new" in text and "old" not in text and "## Retrieval quality (MedQuAD)\n\nkept" in text
    assert text.count(bench.SECTION_HEADING) == 1


def test_load_questions_are_not_repeated_until_the_pool_runs_out() -> None:
    pool = bench.QuestionPool(["a", "b", "a", "c"])
    assert pool.take(2) + pool.take(1) == ["a", "b", "c"]
    assert pool.take(2) == ["a", "b"]
