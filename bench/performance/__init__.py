"""Speed and footprint on this machine: every figure beside the floor it cannot beat, measured in the same run.

Why floors: the machine has two cores shared with other work, so a bare "12 ms" means little from one run to
the next. Each figure is therefore reported beside a floor measured minutes earlier in the same run on the
same CPU, and judged as a ratio:

- query path: a whole reply (validation, triage, retrieval, answer) against one raw ``Embedder.encode`` of
  the question; ``/api/ask`` over loopback HTTP with 1, 8 and 32 concurrent clients against the rate at which
  the model alone embeds questions in batches (the ceiling); the Gradio ``/ask`` round trip against an echo
  Gradio app's round trip;
- ingest: a full ingest against a raw encode of the same chunks and against the plain LangChain recipe of
  ``bench.retrieval`` (torch model) on the same documents; re-ingest with nothing changed and with one
  document changed; passage MRR@5 of each embedding backend (``bench.retrieval`` metrics);
- footprint: peak RSS serving and ingesting, and the cold start from ``python app.py`` to a ready
  ``/healthz``, against a bare interpreter that imports the same libraries;
- scale-out: one and two app processes over one Chroma server (``chroma run``).

Each embedding backend is its own ``bot.embedding.Embedder``, loaded once by ``run`` and handed to the stages
that measure it; the processes the benchmark starts (ingest, app, Chroma) choose theirs by environment.

One module per stage, in the order ``run.run`` calls them:

1. ``workload``: which documents and questions (``Plan``: ``QUICK`` or ``NORMAL``), and the pool of distinct
   questions the load runs draw from;
2. ``floors``: each backend's model alone, one question at a time and in batches;
3. ``ingest``: ``ingest.py`` per backend from nothing, its raw encode, the reference recipe, passage MRR@5,
   a no-change and a one-document re-ingest, and with ``--full-ingest`` every MedQuAD page;
4. ``replies``: ``Assistant.ask`` in-process against a raw encode of the same question;
5. ``footprint``: the bare-import floor of cold start and RSS;
6. ``serving``: ``python app.py`` under load (and with ``BOT_WORKERS=2``), and Gradio against ``echo``;
7. ``scale_out``: a Chroma server, one ingest job into it, one and two app processes.

``results`` holds the typed results of every stage, ``targets`` judges them against the targets the issue
set, ``report`` renders the ``## Speed and footprint`` section of ``docs/benchmarks.md``, ``processes`` starts
and measures child processes, and ``cli`` is the command line. Run from the project root (``make bench``; about
25 minutes, 50 with ``--full-ingest``; ``--quick`` is a smoke run of a few minutes):
``.venv/bin/python -m bench.performance --output docs/benchmarks.md``.
"""
