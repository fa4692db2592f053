"""Retrieval quality on MedQuAD: ours (dense, BM25, hybrid, the answer) against the plain LangChain recipe.

Why: "the answers look good" is not a number. This benchmark ingests MedQuAD pages through the product's own
pipeline (``bot.ingestion.ingest``) and asks its questions through the product's own retriever, then does the
same with the recipe most tutorials ship (1000-character ``RecursiveCharacterTextSplitter`` chunks, the same
MiniLM model, Chroma, BM25 and reciprocal-rank fusion), so every change to chunking or ranking can be judged
against a fixed, public yardstick measured on the same machine in the same run.

Metrics, for the top 5 chunks of each question (see ``score``):

- document hit@k: a chunk of the gold document is among the first k;
- passage hit@k: a chunk of the gold document *that contains the start of the answer* is among the first k;
- passage MRR@5: the mean of 1/rank of the first such chunk (0 when none is in the top 5).

Two corpora: the pages as converted (``## question`` headings kept) and with those heading lines removed,
because a patient never types the heading and a retriever that only matches headings would look better
here than it is.

Run from the project root: ``.venv/bin/python -m bench.retrieval --output docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.markdown import NEW_FILE, replace_section
from bot.embedding import Embedder

DEFAULT_DATA = Path(os.environ.get("MEDQUAD_DIR", "/work/shared/bench/medquad"))
K = 5
"""Depth of every metric: a patient sees about this many sources at most."""
REFERENCE_CANDIDATES = 20
"""How deep each side of the reference recipe looks before fusion (the same depth ours shipped with)."""
RRF_K = 60
"""The usual reciprocal-rank-fusion constant, as in LangChain's ``EnsembleRetriever``."""
PREFIX_CHARS = 60
"""Answer snippets are matched by a prefix: a chunk boundary may fall inside a long first line."""
SECTION_HEADING = "## Retrieval quality (MedQuAD)"
CORPORA = ("headings", "stripped")
CORPUS_TITLES = {
    "headings": "Pages as converted (with the `## question` headings)",
    "stripped": "Question headings removed (`--strip-question-headings`)",
}
_QUESTION_HEADING = re.compile(r"^##\s")


@dataclass(frozen=True)
class Query:
    """One benchmark question and what counts as finding its answer."""

    qid: str
    question: str
    doc: str  # path under docs/, the same path the knowledge folder gives the document
    needles: tuple[str, ...]  # normalised answer-start prefixes; a chunk containing any one is a passage hit


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk, reduced to what the metrics look at."""

    doc: str
    text: str  # whitespace-normalised


@dataclass
class RetrieverResult:
    """Metrics and costs of one retriever on one corpus."""

    corpus: str
    recipe: str  # "ours" or "reference"
    retriever: str  # dense, bm25, hybrid / rrf
    chunks: int
    ingest_seconds: float
    query_ms: float
    metrics: dict[str, float]


# --- data -------------------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Collapse all whitespace: chunkers join lines and paragraphs differently, the words stay the same."""
    return " ".join(text.split())


def strip_question_headings(text: str) -> str:
    """Drop the ``## question`` lines but keep the ``# Title`` and every answer line.

    Patients never type the heading, so this corpus shows how much of a score comes from the question being
    written verbatim above its answer.
    """
    return "\n".join(line for line in text.splitlines() if not _QUESTION_HEADING.match(line)) + "\n"


def answer_needle(snippet: str, doc_text: str) -> str:
    """The part of an answer's first line that a chunk must contain to count as the answer passage.

    Rule: the whitespace-normalised snippet, cut after the first whole word that reaches ``PREFIX_CHARS``
    characters; if that prefix occurs more than once in the (normalised) gold document, it is lengthened
    word by word until it occurs once or the whole snippet is used. A short prefix survives a chunk boundary
    inside a long first line; the uniqueness rule stops a "Key Points" list that repeats the answer's first
    sentence in another section from counting as the answer.
    """
    words = normalise(snippet).split(" ")
    prefix = ""
    for i, word in enumerate(words):
        prefix = f"{prefix} {word}" if prefix else word
        if len(prefix) >= PREFIX_CHARS and (doc_text.count(prefix) <= 1 or i == len(words) - 1):
            break
    return prefix


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a text file."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def select(data_dir: Path, full: bool, limit_docs: int | None, limit_queries: int | None) -> tuple[list[str], list]:
    """The documents and raw questions of this run: the fixed small set unless ``full``; limits for tests."""
    if full:
        docs = [json.loads(line)["doc"] for line in read_lines(data_dir / "docs.jsonl")]
        raw = [json.loads(line) for line in read_lines(data_dir / "queries.jsonl")]
    else:
        docs = read_lines(data_dir / "docs-small.txt")
        raw = [json.loads(line) for line in read_lines(data_dir / "queries-small.jsonl")]
    if limit_docs is not None:
        docs = docs[:limit_docs]
    kept = set(docs)
    raw = [q for q in raw if q["doc"] in kept]
    if limit_queries is not None:
        raw = raw[:limit_queries]
    return docs, raw


def load_queries(raw: Sequence[dict[str, Any]], texts: dict[str, str]) -> list[Query]:
    """Questions with their answer needles, computed against the document as converted."""
    normalised = {path: normalise(text) for path, text in texts.items()}
    queries = []
    for q in raw:
        starts = q.get("answer_starts") or [q["answer_start"]]
        needles = tuple(dict.fromkeys(answer_needle(s, normalised[q["doc"]]) for s in starts))
        queries.append(Query(q["qid"], q["question"], q["doc"], needles))
    return queries


def build_knowledge(data_dir: Path, docs: Sequence[str], target: Path, strip: bool) -> dict[str, str]:
    """Copy the chosen pages into a fresh knowledge folder (real files: ingest refuses outside links).

    Returns the text of each document as written, which the reference recipe splits itself.
    """
    texts = {}
    for rel in docs:
        text = (data_dir / "docs" / rel).read_text(encoding="utf-8")
        if strip:
            text = strip_question_headings(text)
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        texts[rel] = text
    return texts


# --- metrics ----------------------------------------------------------------------------------------------


def score(queries: Sequence[Query], rankings: Sequence[Sequence[Passage]]) -> dict[str, float]:
    """Document and passage hit@1/@5 and passage MRR@5 over all questions (see the module docstring)."""
    totals = dict.fromkeys(("doc_hit@1", "doc_hit@5", "passage_hit@1", "passage_hit@5", "passage_mrr@5"), 0.0)
    for query, ranking in zip(queries, rankings, strict=True):
        top = list(ranking[:K])
        in_doc = [p.doc == query.doc for p in top]
        answer = [d and any(n in p.text for n in query.needles) for d, p in zip(in_doc, top, strict=True)]
        totals["doc_hit@1"] += bool(in_doc[:1] and in_doc[0])
        totals["doc_hit@5"] += any(in_doc)
        totals["passage_hit@1"] += bool(answer[:1] and answer[0])
        totals["passage_hit@5"] += any(answer)
        totals["passage_mrr@5"] += 1.0 / (answer.index(True) + 1) if any(answer) else 0.0
    n = max(len(queries), 1)
    return {name: value / n for name, value in totals.items()}


def timed_rankings(
    queries: Sequence[Query], vectors: np.ndarray, rank: Callable[[str, np.ndarray], list[Passage]]
) -> tuple[list[list[Passage]], float]:
    """Run one retriever over every question; returns the rankings and the mean milliseconds per question."""
    rankings = []
    started = time.perf_counter()
    for query, vector in zip(queries, vectors, strict=True):
        rankings.append(rank(query.question, vector))
    elapsed = time.perf_counter() - started
    return rankings, 1000.0 * elapsed / max(len(queries), 1)


def top_positive(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the ``k`` highest scores above zero, best first (BM25 gives 0 to chunks sharing no word)."""
    if not len(scores):
        return []
    k = min(k, len(scores))
    best = np.argpartition(-scores, k - 1)[:k]
    return [int(i) for i in best[np.argsort(-scores[best], kind="stable")] if scores[i] > 0]


def fuse(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> list[int]:
    """Reciprocal-rank fusion with equal weights, best first: the textbook formula sum 1/(k + rank)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(fused, key=fused.__getitem__, reverse=True)


# --- ours -------------------------------------------------------------------------------------------------


def run_ours(
    corpus: str, knowledge: Path, data_dir: Path, queries: Sequence[Query], vectors: np.ndarray, embedder: Embedder
) -> list:
    """Ingest through the product pipeline, then rank with its dense side, its BM25 side and the hybrid."""
    from bot.conversation import Assistant
    from bot.ingestion import ingest
    from bot.retrieval import tokenize
    from bot.settings import Settings

    settings = Settings(knowledge_dir=knowledge, data_dir=data_dir)
    started = time.perf_counter()
    report = ingest(settings, embedder, rebuild=True)
    if not report.published:
        raise RuntimeError(f"ingest published nothing: {report}")
    assistant = Assistant(settings, embedder)
    snapshot = assistant.live.current()
    lexical = assistant.retriever.lexical_for(snapshot)  # BM25 is built on first use: count it as ingest
    ingest_seconds = time.perf_counter() - started
    chunks = snapshot.chunks
    texts = [normalise(c.text) for c in chunks]

    def passages(positions: Sequence[int]) -> list[Passage]:
        return [Passage(chunks[i].doc_path, texts[i]) for i in positions]

    def dense(question: str, vector: np.ndarray) -> list[Passage]:
        return passages([i for i, _ in snapshot.dense_search(vector, K)])

    def bm25(question: str, vector: np.ndarray) -> list[Passage]:
        return passages(top_positive(lexical.scores(tokenize(question)), K))

    def hybrid(question: str, vector: np.ndarray) -> list[Passage]:
        results = assistant.retriever.search(snapshot, question, vector, K)
        return [Passage(r.chunk.doc_path, normalise(r.chunk.text)) for r in results]

    def answer(question: str, vector: np.ndarray) -> list[Passage]:
        """What a client of ``POST /api/ask`` gets: the reply's citations, first one first (none if refused)."""
        reply = assistant.ask(question)
        return [Passage(c.document, normalise(c.snippet)) for c in reply.citations]

    out = []
    for name, rank in (("dense", dense), ("bm25", bm25), ("hybrid", hybrid), ("answer", answer)):
        rankings, ms = timed_rankings(queries, vectors, rank)
        out.append(RetrieverResult(corpus, "ours", name, len(chunks), ingest_seconds, ms, score(queries, rankings)))
    return out


# --- reference recipe -------------------------------------------------------------------------------------


def reference_chunks(texts: dict[str, str]) -> list[tuple[str, str]]:
    """The tutorial recipe: 1000-character recursive splits with 200 overlap, over each page's whole text."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    return [(path, piece) for path, text in texts.items() for piece in splitter.split_text(text)]


def _reference_tokens(texts: Sequence[str]) -> list[list[str]]:
    """bm25s's own default analysis (lower-case words, English stop words, no stemming): the plain choice."""
    import bm25s

    return bm25s.tokenize(list(texts), stopwords="en", return_ids=False, show_progress=False)


def run_reference(
    corpus: str, texts: dict[str, str], store: Path, queries: Sequence[Query], vectors: np.ndarray, embedder: Embedder
):
    """Split, embed with the same MiniLM, store in Chroma (cosine), BM25 alone, and their RRF."""
    import bm25s
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    started = time.perf_counter()
    pieces = reference_chunks(texts)
    client = chromadb.PersistentClient(path=str(store), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.create_collection(
        f"reference-{corpus}", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    chunk_vectors = embedder.encode([text for _, text in pieces])
    batch = client.get_max_batch_size()
    for start in range(0, len(pieces), batch):
        collection.add(
            ids=[str(i) for i in range(start, min(start + batch, len(pieces)))],
            embeddings=chunk_vectors[start : start + batch],
            documents=[text for _, text in pieces[start : start + batch]],
        )
    tokens = _reference_tokens([text for _, text in pieces])
    vocabulary = {t for doc in tokens for t in doc}
    bm25 = bm25s.BM25()
    bm25.index(tokens, show_progress=False)
    ingest_seconds = time.perf_counter() - started
    normalised = [Passage(path, normalise(text)) for path, text in pieces]

    def dense_ids(vector: np.ndarray, k: int) -> list[int]:
        result = collection.query(query_embeddings=[vector], n_results=min(k, len(pieces)), include=[])
        return [int(i) for i in result["ids"][0]]

    def bm25_ids(question: str, k: int) -> list[int]:
        terms = [t for t in _reference_tokens([question])[0] if t in vocabulary]
        if not terms:
            return []
        return top_positive(np.asarray(bm25.get_scores(terms), dtype=np.float32), k)

    def dense(question: str, vector: np.ndarray) -> list[Passage]:
        return [normalised[i] for i in dense_ids(vector, K)]

    def lexical(question: str, vector: np.ndarray) -> list[Passage]:
        return [normalised[i] for i in bm25_ids(question, K)]

    def rrf(question: str, vector: np.ndarray) -> list[Passage]:
        fused = fuse([dense_ids(vector, REFERENCE_CANDIDATES), bm25_ids(question, REFERENCE_CANDIDATES)])
        return [normalised[i] for i in fused[:K]]

    out = []
    for name, rank in (("dense", dense), ("bm25", lexical), ("rrf", rrf)):
        rankings, ms = timed_rankings(queries, vectors, rank)
        out.append(
            RetrieverResult(corpus, "reference", name, len(pieces), ingest_seconds, ms, score(queries, rankings))
        )
    return out


# --- report -----------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """Where the numbers were measured: timings mean little without the CPU they ran on."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"nproc": cpus, "cpu": model, "python": platform.python_version(), "date": dt.date.today().isoformat()}


def command_line(argv: Sequence[str]) -> str:
    """The exact command, as typed from the project root, that reproduces a result."""
    return shlex.join([".venv/bin/python", "-m", "bench.retrieval", *argv])


def _table(results: Sequence[RetrieverResult]) -> list[str]:
    """One Markdown table: one row per retriever of both recipes."""
    lines = [
        "| recipe | retriever | doc hit@1 | doc hit@5 | passage hit@1 | passage hit@5 | passage MRR@5 "
        "| chunks | ingest s | query ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        m = r.metrics
        strong = "**" if r.recipe == "ours" and r.retriever == "hybrid" else ""
        lines.append(
            f"| {r.recipe} | {strong}{r.retriever}{strong} | {m['doc_hit@1']:.3f} | {m['doc_hit@5']:.3f} "
            f"| {strong}{m['passage_hit@1']:.3f}{strong} | {m['passage_hit@5']:.3f} "
            f"| {strong}{m['passage_mrr@5']:.3f}{strong} | {r.chunks} | {r.ingest_seconds:.1f} | {r.query_ms:.1f} |"
        )
    return lines


def comparison(results: Sequence[RetrieverResult]) -> str:
    """One sentence: shipped hybrid against the best reference number, the comparison the issue asks for."""
    ours = next((r for r in results if r.recipe == "ours" and r.retriever == "hybrid"), None)
    reference = [r for r in results if r.recipe == "reference"]
    if ours is None or not reference:
        return ""
    parts = []
    for metric, label in (("passage_hit@1", "passage hit@1"), ("passage_mrr@5", "passage MRR@5")):
        best = max(reference, key=lambda r: r.metrics[metric])
        delta = ours.metrics[metric] - best.metrics[metric]
        parts.append(
            f"{label} {ours.metrics[metric]:.3f} vs {best.metrics[metric]:.3f} (reference {best.retriever}), "
            f"{delta:+.3f}"
        )
    return "Ours (hybrid) against the best reference number: " + "; ".join(parts) + "."


def render_markdown(results: Sequence[RetrieverResult], meta: dict[str, Any]) -> str:
    """The whole ``## Retrieval quality (MedQuAD)`` section: tables, definitions, command, machine, date."""
    m = meta["machine"]
    lines = [
        SECTION_HEADING,
        "",
        f"Measured {m['date']} with `bench/retrieval.py` on {meta['documents']} MedQuAD documents and "
        f"{meta['queries']} questions ({meta['selection']}). Ours is the product as shipped: documents ingested "
        "by `bot.ingestion.ingest`, searched by `bot.retrieval.Retriever` (dense = its Chroma side, BM25 = its "
        "lexical side, hybrid = `Retriever.search`; answer = the citations of `Assistant.ask`, what a client of "
        "`POST /api/ask` gets, none when it refuses: its document hit@1 is how often the first citation is the gold "
        "page). The reference is the plain LangChain recipe in the same run: "
        "`RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)` over each page, the same MiniLM "
        f"model, a cosine Chroma collection, bm25s with its default analysis, and reciprocal-rank fusion "
        f"(k={RRF_K}) of the top {REFERENCE_CANDIDATES} of each.",
        "",
        f"All metrics look at the top {K} chunks. *Document hit@k*: a chunk of the gold page is among the first k. "
        "*Passage hit@k*: a chunk of the gold page containing the start of the answer is among the first k; the "
        f"start is the answer's first line (any of them when answers were merged), whitespace-normalised, cut "
        f"after the word that reaches {PREFIX_CHARS} characters and lengthened word by word while that prefix "
        "occurs more than once in the page. *MRR@5*: mean of 1/rank of the first such chunk. *Ingest s*: "
        "chunking, embedding, storing and building BM25, from nothing. *Query ms*: mean search time per "
        f"question, with the question's embedding computed beforehand in one batch "
        f"({meta['encode_ms_per_question']:.1f} ms per question, shared by every dense retriever).",
        "",
    ]
    for corpus in meta["corpora"]:
        rows = [r for r in results if r.corpus == corpus]
        lines += [f"### {CORPUS_TITLES[corpus]}", "", *_table(rows), ""]
        sentence = comparison(rows)
        if sentence:
            lines += [sentence, ""]
    lines += [
        "How to read it: with headings, every question is its section's heading word for word and the gold "
        "passage starts its section, so the shipped retriever's heading match and its rule that a section is "
        "represented by its first chunk (`bot/retrieval.py`) make that corpus easy. The corpus without headings, "
        "where a question has to be matched to answer text alone, is the fairer picture of a patient's question.",
        "",
        f"Command (from the project root): `{meta['command']}`",
        "",
        f"Machine: {m['nproc']} CPU(s) available (nproc), {m['cpu']}; Python {m['python']}; {m['date']}. "
        f"Embeddings for both recipes: `{meta['embedding']}` through one `bot.embedding.Embedder`.",
        "",
        'Data: MedQuAD, Asma Ben Abacha and Dina Demner-Fushman, "A Question-Entailment Approach to Question '
        'Answering", BMC Bioinformatics 20(1):511, 2019 (https://github.com/abachaa/MedQuAD), licensed '
        "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); reformatted to one Markdown page per "
        "document (changes listed in the benchmark's LICENSE.md). No endorsement by the authors or NIH is implied.",
        "",
    ]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Replace (or append) only our section of a shared Markdown file; other sections stay as they are."""
    replace_section(path, SECTION_HEADING, section, NEW_FILE)


# --- driver -----------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Command-line options; defaults give the quick 500-question run on both corpora."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the converted MedQuAD folder")
    p.add_argument("--full", action="store_true", help="all 15,548 questions over all 5,486 documents (slow)")
    p.add_argument(
        "--strip-question-headings", action="store_true", help="only the corpus without the ## question headings"
    )
    p.add_argument("--corpora", default=",".join(CORPORA), help="comma-separated: headings, stripped (default both)")
    p.add_argument("--recipes", default="ours,reference", help="comma-separated: ours, reference (default both)")
    p.add_argument("--limit-docs", type=int, help="use only the first N documents of the selection (tests)")
    p.add_argument("--limit-queries", type=int, help="use only the first N questions on those documents (tests)")
    p.add_argument("--output", type=Path, help="Markdown file whose retrieval section is (re)written")
    p.add_argument("--json", type=Path, help="write all results as JSON to this file ('-' for stdout)")
    p.add_argument("--work-dir", type=Path, help="keep the knowledge folders and indexes here (default: temp)")
    args = p.parse_args(list(argv))
    args.corpora = ["stripped"] if args.strip_question_headings else [c for c in args.corpora.split(",") if c]
    args.recipes = [r for r in args.recipes.split(",") if r]
    if unknown := set(args.corpora) - set(CORPORA) or set(args.recipes) - {"ours", "reference"}:
        p.error(f"unknown corpus or recipe: {sorted(unknown)}")
    return args


def run(args: argparse.Namespace, argv: Sequence[str] = ()) -> tuple[list[RetrieverResult], dict[str, Any]]:
    """Every requested recipe on every requested corpus, sharing one batch of question embeddings."""
    from bot.settings import Settings

    embedder = Embedder.from_settings(Settings()).load()
    docs, raw = select(args.data, args.full, args.limit_docs, args.limit_queries)
    originals = {rel: (args.data / "docs" / rel).read_text(encoding="utf-8") for rel in docs}
    queries = load_queries(raw, originals)
    started = time.perf_counter()
    vectors = embedder.encode([q.question for q in queries])
    encode_ms = 1000.0 * (time.perf_counter() - started) / max(len(queries), 1)
    results: list[RetrieverResult] = []
    work = Path(tempfile.mkdtemp(prefix="bench-retrieval-")) if args.work_dir is None else args.work_dir
    try:
        for corpus in args.corpora:
            root = work / corpus
            if root.exists():
                shutil.rmtree(root)
            texts = build_knowledge(args.data, docs, root / "knowledge", strip=corpus == "stripped")
            if "ours" in args.recipes:
                results += run_ours(corpus, root / "knowledge", root / "data", queries, vectors, embedder)
            if "reference" in args.recipes:
                results += run_reference(corpus, texts, root / "reference", queries, vectors, embedder)
            for r in results[-6:]:
                if r.corpus == corpus:
                    print(_progress_line(r), file=sys.stderr, flush=True)
    finally:
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    meta = {
        "command": command_line(argv),
        "machine": machine(),
        "selection": "full set" if args.full else "the fixed small set",
        "documents": len(docs),
        "queries": len(queries),
        "corpora": args.corpora,
        "encode_ms_per_question": encode_ms,
        "k": K,
        "prefix_chars": PREFIX_CHARS,
        "embedding": embedder.model_id,
    }
    return results, meta


def _progress_line(r: RetrieverResult) -> str:
    """A one-line summary on stderr as each corpus finishes, so a long run shows life."""
    m = r.metrics
    return (
        f"{r.corpus:9} {r.recipe:9} {r.retriever:7} doc@1 {m['doc_hit@1']:.3f} doc@5 {m['doc_hit@5']:.3f} "
        f"p@1 {m['passage_hit@1']:.3f} p@5 {m['passage_hit@5']:.3f} mrr {m['passage_mrr@5']:.3f} "
        f"chunks {r.chunks} ingest {r.ingest_seconds:.1f}s query {r.query_ms:.1f}ms"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the Markdown section, and write it and the JSON where asked."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    results, meta = run(args, argv)
    section = render_markdown(results, meta)
    print(section)
    if args.output is not None:
        write_section(args.output, section)
    if args.json is not None:
        payload = json.dumps({"meta": meta, "results": [dataclasses.asdict(r) for r in results]}, indent=1)
        if str(args.json) == "-":
            print(payload)
        else:
            args.json.write_text(payload + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
