"""The ``## Speed and footprint`` section of ``docs/benchmarks.md``, rendered from one run's ``Results``.

``write_section`` replaces only that section of the file: the retrieval section and the notes after it are
other people's and stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench.markdown import NEW_FILE, replace_section
from bench.performance.footprint import SERVING_LIBRARIES
from bench.performance.results import LoadSummary, Results
from bench.performance.targets import TARGETS, evaluate

SECTION_HEADING = "## Speed and footprint"
HTTP_COLUMNS = (
    "backend",
    "workers",
    "clients",
    "requests",
    "errors",
    "req/s",
    "share of ceiling",
    "p50 ms",
    "p95 ms",
    "p99 ms",
)
INGEST_COLUMNS = (
    "pipeline",
    "chunks",
    "ingest s",
    "raw encode s",
    "× raw encode",
    "× reference",
    "CPU × reference",
    "peak RSS MB",
    "passage MRR@5",
)


def table(header: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> list[str]:
    """A Markdown table; ``align`` has one letter per column, ``r`` for right-aligned."""
    align = align or "l" * len(header)
    marks = ["---:" if a == "r" else "---" for a in align]
    return ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"] + [
        "| " + " | ".join(str(c) for c in row) + " |" for row in rows
    ]


def _http_row(backend: str, workers: int, h: LoadSummary, ceiling: float) -> tuple[object, ...]:
    return (
        f"`{backend}`",
        workers,
        h.clients,
        h.requests,
        h.errors,
        f"{h.throughput:.0f}",
        f"{h.throughput / ceiling:.0%}",
        f"{h.p50_ms:.1f}",
        f"{h.p95_ms:.1f}",
        f"{h.p99_ms:.1f}",
    )


def render_markdown(r: Results) -> str:
    """The whole ``## Speed and footprint`` section."""
    meta, m = r.meta, r.meta.machine
    lines = [
        SECTION_HEADING,
        "",
        f"Measured {m.date} with `bench/performance/` on {meta.documents} MedQuAD documents (the fixed "
        f"small set) and {meta.questions} of their questions; embedding backend `{meta.default_backend}` (the "
        f"default) unless a row says otherwise. The machine has {m.nproc} cores shared with other engineers' test "
        "runs, so absolute times move from run to run: every figure stands beside a floor measured in the same "
        "run, and the targets are ratios to it.",
        "",
        "### Targets",
        "",
        *table(
            ("target", "figure", "floor / reference", "ratio", "verdict"), [x.cells() for x in evaluate(r)], "lrrrl"
        ),
        "",
        *_query_path(r),
        *_ingest(r),
        *_footprint(r),
        *_scale_out(r),
        *_gaps(r),
        f"Command (from the project root): `{meta.command}`",
        "",
        f"Machine: {m.nproc} CPU(s) available (nproc), {m.cpu}; Python {m.python}; {m.date}.",
        "",
        "Data: MedQuAD (Ben Abacha and Demner-Fushman, BMC Bioinformatics 2019, CC BY 4.0), reformatted as "
        "described in the retrieval section.",
        "",
    ]
    return "\n".join(lines)


def _query_path(r: Results) -> list[str]:
    enc = r.encode
    return [
        "### Query path",
        "",
        "Floors: the model alone, in-process, on the same questions.",
        "",
        *table(
            ("backend", "one question, p50 ms", "batched ceiling, questions/s"),
            [(f"`{b}`", f"{x.single_p50_ms:.1f}", f"{x.batched_qps:.0f}") for b, x in enc.items()],
            "lrr",
        ),
        "",
        "In-process reply (`Assistant.ask`: validation, triage, retrieval and the answer) on distinct questions, "
        "against one raw encode of the same question measured just before it; *answers* counts the replies that "
        "were cited answers (the others took a shorter path: no answer, personal advice, out of scope):",
        "",
        *table(
            ("backend", "questions", "answers", "reply p50 ms", "reply p95 ms", "raw encode p50 ms", "p50 ratio"),
            [
                (
                    f"`{b}`",
                    x.questions,
                    x.answers,
                    f"{x.p50_ms:.1f}",
                    f"{x.p95_ms:.1f}",
                    f"{x.encode_p50_ms:.1f}",
                    f"{x.ratio:.2f}×",
                )
                for b, x in r.reply.items()
            ],
            "lrrrrrr",
        ),
        "",
        "`POST /api/ask` over loopback HTTP (`python app.py`, rate limit off, micro-batching encoder and LRU "
        f"cache on). Requests ask distinct MedQuAD questions ({r.meta.load_questions} in the pool, handed out "
        "without repeats across runs), so the cache of repeated questions does not help here. The ceiling is "
        "the backend's batched rate above: the model alone, no HTTP, no retrieval. The load generator runs on "
        "the same two cores.",
        "",
        *table(
            HTTP_COLUMNS,
            [
                _http_row(b, served.workers, served.http[c], enc[b].batched_qps)
                for runs in (r.serving, r.workers)
                for b, served in runs.items()
                for c in sorted(served.http)
            ],
            "lrrrrrrrrr",
        ),
        "",
        "*Workers*: uvicorn processes behind the one port (`BOT_WORKERS`), each with its own model and one "
        "model thread (`BOT_EMBEDDING_THREADS`).",
        "",
        f'Gradio chat round trip (`gradio_client`, `api_name="/ask"`, one after another): p50 '
        f"{r.gradio.p50_ms:.0f} ms, p95 {r.gradio.p95_ms:.0f} ms; an echo Gradio app on the same "
        f"stack in the same run: p50 {r.gradio_echo.p50_ms:.0f} ms "
        f"({r.gradio.p50_ms / r.gradio_echo.p50_ms:.2f}× the echo).",
        "",
    ]


def _ingest(r: Results) -> list[str]:
    ingest, default = r.ingest, r.meta.default_backend
    reference = ingest.reference
    rows: list[tuple[object, ...]] = [
        (
            f"ours, `{backend}`",
            full.chunks,
            f"{full.seconds:.1f}",
            f"{ingest.raw_encode[backend].seconds:.1f}",
            f"{full.seconds / ingest.raw_encode[backend].seconds:.2f}×",
            f"{full.seconds / reference.seconds:.2f}×",
            f"{full.cpu_seconds / reference.cpu_seconds:.2f}×",
            f"{full.peak_rss_mb:.0f}",
            f"{ingest.mrr[backend].mrr:.3f}",
        )
        for backend, full in ingest.full.items()
    ]
    rows.append(
        ("reference recipe, `torch`", reference.chunks, f"{reference.seconds:.1f}", "", "", "1.00×", "1.00×", "", "")
    )
    noop, one = ingest.noop, ingest.one_changed
    lines = [
        "### Ingest",
        "",
        *table(INGEST_COLUMNS, rows, "lrrrrrrrr"),
        "",
        "*Ingest s*: `ingest.py` from an empty data folder (loading, chunking, embedding, Chroma, verification), "
        "as the report counts it, without interpreter start-up. *Raw encode s*: the same chunks in one "
        "`Embedder.encode` call. *CPU × reference*: user + system CPU seconds of the ingest process (model "
        "loading and interpreter start-up included) over the recipe's, a check on the wall-clock ratio that "
        "other work on the machine moves less. *Reference*: `bench.retrieval`'s plain LangChain recipe "
        "(1000-character splits, sentence-transformers at full precision, Chroma, BM25) on the same documents. "
        "*MRR*: `bench.retrieval`'s passage MRR@5 of the shipped hybrid retriever, with each backend's own index "
        f"and question vectors ({ingest.mrr[default].queries} questions).",
        "",
        f"Re-ingest with nothing changed: {noop.seconds:.2f} s, {noop.embedded} texts embedded "
        f"({noop.seconds / ingest.full[default].seconds:.1%} of the full ingest). With one document changed "
        f"(`{one.document}`, one sentence added): {one.run.seconds:.1f} s, {one.run.embedded} texts embedded of "
        f"its {one.document_chunks} chunks.",
        "",
    ]
    skipped = ingest.full[default].duplicates
    if skipped:
        lines += [f"{skipped} pages were skipped because another page has the same bytes.", ""]
    f = ingest.full_set
    if f is not None:
        small = r.serving.get(f.backend)
        small_rss = f"{small.serving_rss_mb:.0f}" if small else "(not served)"
        lines += [
            f"All {f.documents} documents (`--full-ingest`, `{f.backend}`): {f.ingest.chunks} chunks in "
            f"{f.ingest.seconds:.0f} s ({f.ingest.chunks / f.ingest.seconds:.0f} chunks/s), peak RSS "
            f"{f.ingest.peak_rss_mb:.0f} MB while ingesting; {f.ingest.duplicates} pages skipped because another "
            f"page has the same bytes. Serving them: cold start {f.cold_start_s:.1f} s, peak RSS "
            f"{f.serving_rss_mb:.0f} MB after {f.load.requests} questions from {f.load.clients} clients (p50 "
            f"{f.load.p50_ms:.0f} ms, {f.load.throughput:.0f} req/s, {f.load.errors} errors); the same backend "
            f"served the small set at {small_rss} MB.",
            "",
        ]
    return lines


def _footprint(r: Results) -> list[str]:
    bare, ingest = r.bare_import, r.ingest
    return [
        "### Footprint",
        "",
        "Cold start is `python app.py` to a ready `/healthz`; its floor is an interpreter that only imports "
        f"{', '.join(SERVING_LIBRARIES[:-1])} and {SERVING_LIBRARIES[-1]} "
        f"({bare.seconds:.1f} s, {bare.peak_rss_mb:.0f} MB). Serving RSS is the peak after every load run.",
        "",
        *table(
            ("backend", "cold start s", "RSS after start MB", "serving peak RSS MB", "ingest peak RSS MB"),
            [
                (
                    f"`{b}`",
                    f"{x.cold_start_s:.1f}",
                    f"{x.rss_after_start_mb:.0f}" if x.rss_after_start_mb is not None else "",
                    f"{x.serving_rss_mb:.0f}",
                    f"{ingest.full[b].peak_rss_mb:.0f}",
                )
                for b, x in r.serving.items()
            ]
            + [
                (
                    f"`{b}`, {w.workers} workers",
                    f"{w.cold_start_s:.1f}",
                    "",
                    f"{w.serving_rss_mb:.0f} ({'both' if w.workers == 2 else 'all'})",
                    "",
                )
                for b, w in r.workers.items()
            ],
            "lrrrr",
        ),
        "",
    ]


def _scale_out(r: Results) -> list[str]:
    s = r.scale_out
    if s is None:
        return []
    one, two = s.processes[1], s.processes[2]
    return [
        "### Scale-out: app processes over one Chroma server",
        "",
        *table(
            ("app processes", "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms"),
            [
                (n, x.clients, x.requests, x.errors, f"{x.throughput:.0f}", f"{x.p50_ms:.1f}", f"{x.p95_ms:.1f}")
                for n, x in sorted(s.processes.items())
            ],
            "rrrrrrr",
        ),
        "",
        f"Two processes give {two.throughput / one.throughput:.2f}× the throughput of one. Each process "
        "runs its own model and its own request threads, so on two cores the second process mostly adds "
        "parallelism for the Python work between model calls (the GIL-bound retrieval and answering); the "
        "model call itself already used both cores. On a machine with more cores, or across machines, the "
        "processes scale further (see `docs/scaling.md`). Chroma server peak RSS: "
        f"{s.chroma_rss_mb:.0f} MB.",
        "",
    ]


def _gaps(r: Results) -> list[str]:
    """Where the time goes when a target is missed: the parts of a reply that are not the model."""
    lines = ["### Where the time goes", ""]
    for backend, reply in r.reply.items():
        rest = reply.p50_ms - reply.encode_p50_ms
        served = r.serving.get(backend)
        wire = ""
        if served is not None and 1 in served.http:
            wire = f"; HTTP, validation and JSON add {served.http[1].p50_ms - reply.p50_ms:.1f} ms more"
        lines.append(
            f"- `{backend}`: a reply spends {reply.encode_p50_ms:.1f} ms in the model and "
            f"{rest:.1f} ms outside it (p50){wire}. The {TARGETS.reply_vs_encode:g}× target leaves "
            f"{reply.encode_p50_ms * (TARGETS.reply_vs_encode - 1):.1f} ms for everything that is not the model."
        )
    lines += [
        "",
        "What is not the model, by profile (`cProfile` over 100 questions on this index): BM25 tokenising "
        "(`bm25s.tokenize`, called once per candidate sentence of the answer, and building three hidden tqdm "
        "progress bars per call), two Chroma calls per question (the dense `query`, then a `get` of the top "
        "chunks' stored vectors), and the sentence scoring itself. All of that runs under the interpreter lock, "
        "so one process serves at most about 1000 / (those milliseconds + HTTP) requests per second however "
        "well concurrent questions share model calls; with 32 clients the queue then sets p95. A faster "
        "encoder shrinks only the model's part, which is why `onnx-int8` has the higher ratios. A second "
        "process (`BOT_WORKERS=2`, or a second replica) adds the second core to that Python work.",
        "",
    ]
    cold = {b: x.cold_start_s for b, x in r.serving.items()}
    if "torch" in cold and cold["torch"] > TARGETS.cold_start_s:
        lines += [
            f"`torch` cold start ({cold['torch']:.1f} s) is the import of torch and sentence-transformers on top of "
            f"the serving libraries ({r.bare_import.seconds:.1f} s alone); `onnx-int8` imports neither.",
            "",
        ]
    if r.meta.default_backend == "torch":
        lines += [
            "`torch` stays the default although `onnx-int8` ingests in about half the time with the same "
            "retrieval quality: the safety suite (`tests/safety`) fails with int8 vectors, because labelled "
            "probes that clear a threshold calibrated on torch vectors by less than 0.01 land on the other side "
            "(with this export, an off-topic question's retrieval confidence of 0.221 against the 0.22 scope "
            "threshold; with texts batched per call, two emergency probes). The "
            "switch waits for the triage and scope thresholds to be calibrated on int8 vectors as well.",
            "",
        ]
    return lines


def write_section(path: Path, section: str) -> None:
    """Replace (or add) only this section of the shared Markdown file; other sections stay as they are."""
    replace_section(path, SECTION_HEADING, section, NEW_FILE)
