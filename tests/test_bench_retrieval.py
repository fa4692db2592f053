"""The MedQuAD retrieval benchmark must keep running and keep meaning what docs/benchmarks.md says it means.

A quick run (two documents, both recipes, both corpora) checks that every metric is computed and sane; the
unit tests pin the rules behind the numbers (what counts as the answer passage, what stripping removes, that
writing the report leaves other sections alone).
"""

from __future__ import annotations

import json

from bench import retrieval as bench

HAS_DATA = (bench.DEFAULT_DATA / "queries-small.jsonl").exists()
METRICS = ("doc_hit@1", "doc_hit@5", "passage_hit@1", "passage_hit@5", "passage_mrr@5")


def test_quick_run_computes_sane_metrics_for_every_retriever(tmp_path) -> None:
    assert HAS_DATA, f"MedQuAD benchmark data not found at {bench.DEFAULT_DATA} (../shared/bench beside the project)"
    report, out = tmp_path / "benchmarks.md", tmp_path / "results.json"
    argv = ["--limit-docs", "2", "--limit-queries", "6", "--output", str(report), "--json", str(out)]
    assert bench.main(argv) == 0

    payload = json.loads(out.read_text())
    results = payload["results"]
    assert {(r["corpus"], r["recipe"], r["retriever"]) for r in results} == {
        (corpus, recipe, retriever)
        for corpus in bench.CORPORA
        for recipe, names in (("ours", ("dense", "bm25", "hybrid", "answer")), ("reference", ("dense", "bm25", "rrf")))
        for retriever in names
    }
    assert payload["meta"]["queries"] > 0
    for r in results:
        m = r["metrics"]
        assert all(0.0 <= m[name] <= 1.0 for name in METRICS), r
        assert m["doc_hit@5"] >= m["doc_hit@1"] and m["passage_hit@5"] >= m["passage_hit@1"], r
        assert m["doc_hit@1"] >= m["passage_hit@1"] and m["doc_hit@5"] >= m["passage_hit@5"], r
        assert m["passage_hit@1"] <= m["passage_mrr@5"] <= m["passage_hit@5"], r
        assert r["chunks"] > 0 and r["ingest_seconds"] > 0 and r["query_ms"] > 0
    # on two documents the shipped hybrid must at least find the right page
    hybrid = next(r for r in results if r["recipe"] == "ours" and r["retriever"] == "hybrid")
    assert hybrid["metrics"]["doc_hit@5"] >= 0.9

    text = report.read_text()
    assert bench.SECTION_HEADING in text
    assert "bench.retrieval --limit-docs 2 --limit-queries 6" in text  # the exact command is kept


def test_the_answer_needle_is_a_prefix_made_longer_only_while_the_page_repeats_it() -> None:
    start = "Having certain inherited disorders can increase the risk of adult soft tissue sarcoma. Anything else."
    page_once = f"# T\n\n## Who is at risk?\n\n{start}"
    needle = bench.answer_needle(start, bench.normalise(page_once))
    assert needle == "Having certain inherited disorders can increase the risk of adult"  # reaches 60
    page_twice = f"- Having certain inherited disorders can increase the risk of adult soft tissue sarcoma.\n\n{start}"
    longer = bench.answer_needle(start, bench.normalise(page_twice))
    assert longer.startswith(needle) and bench.normalise(page_twice).count(longer) == 1
    assert bench.answer_needle("Short   answer line.", "Short answer line.") == "Short answer line."


def test_stripping_keeps_the_title_and_the_answers() -> None:
    page = "# Lupus\n\n## What is (are) Lupus?\n\nLupus is a disease.\n\n### Detail\n\n## Is lupus inherited?\n\nNo."
    stripped = bench.strip_question_headings(page)
    assert "# Lupus" in stripped and "Lupus is a disease." in stripped and "No." in stripped
    assert "## " not in stripped.replace("### ", "")
    assert "### Detail" in stripped  # only the question headings (level 2) go


def test_scores_follow_the_definitions() -> None:
    query = bench.Query("q1", "What is lupus?", "a.md", ("lupus is a disease",))
    answer, other = bench.Passage("a.md", "intro. lupus is a disease of"), bench.Passage("a.md", "unrelated")
    elsewhere = bench.Passage("b.md", "lupus is a disease of")  # right words, wrong page: not the answer
    m = bench.score([query, query], [[other, answer], [elsewhere, other]])
    assert m["doc_hit@1"] == 0.5 and m["doc_hit@5"] == 1.0
    assert m["passage_hit@1"] == 0.0 and m["passage_hit@5"] == 0.5 and m["passage_mrr@5"] == 0.25


def test_writing_the_report_replaces_only_its_own_section(tmp_path) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\n## Latency\n\nsomeone else's numbers\n")
    bench.write_section(path, f"{bench.SECTION_HEADING}\n\nfirst\n\n### Sub\n\nrow\n")
    bench.write_section(path, f"{bench.SECTION_HEADING}\n\nsecond\n")
    text = path.read_text()
    assert text.count(bench.SECTION_HEADING) == 1 and "second" in text and "first" not in text
    assert "## Latency\n\nsomeone else's numbers" in text
    path.write_text(text + "\n## Later section\n\nkept\n")
    bench.write_section(path, f"{bench.SECTION_HEADING}\n\nthird\n")
    assert path.read_text().endswith("third\n\n## Later section\n\nkept\n")
