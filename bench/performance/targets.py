"""The targets the issue set, and the rules that judge a run against them: one ``Row`` per target and backend."""

from __future__ import annotations

from dataclasses import dataclass

from bench.performance.results import LoadSummary, ReplyLatency, Results, Served


@dataclass(frozen=True)
class Targets:
    """Each target is a ratio to a floor of the same run, or a bound that a floor explains."""

    reply_vs_encode: float = 1.5  # in-process reply p50 over one raw encode of the same question
    http_p50_ms: float = 20.0  # /api/ask p50 with one client
    share_of_ceiling: float = 0.40  # throughput of the busiest load run over the model's batched rate
    busiest_p95_ms: float = 250.0  # p95 of the busiest load run (and no errors)
    ingest_vs_reference: float = 0.6  # full ingest seconds over the reference recipe's
    mrr_delta: float = 0.01  # passage MRR@5 of another backend against torch's, either way
    noop_share: float = 0.02  # re-ingest with nothing changed over a full ingest (and nothing embedded)
    cold_start_s: float = 8.0
    serving_rss_mb: float = 1200.0


TARGETS = Targets()
MET, MISSED = "met", "**missed**"


@dataclass(frozen=True)
class Row:
    """One line of the targets table."""

    target: str
    figure: str
    floor: str
    ratio: str
    met: bool

    @property
    def verdict(self) -> str:
        return MET if self.met else MISSED

    def cells(self) -> tuple[str, str, str, str, str]:
        return (self.target, self.figure, self.floor, self.ratio, self.verdict)


def evaluate(r: Results, t: Targets = TARGETS) -> list[Row]:
    """Every target, for each backend where it depends on the backend, in the report's order."""
    default = r.meta.default_backend
    rows = []
    for backend, served in r.serving.items():
        tag = f"`{backend}`" + (" (default)" if backend == default else "")
        rows += _query_rows(tag, r.reply[backend], served, r.encode[backend].batched_qps, t)
    for backend, served in r.workers.items():
        rows.append(_workers_row(backend, served, r.encode[backend].batched_qps, t))
    rows += _ingest_rows(r, t)
    rows += _footprint_rows(r, t)
    return rows


def _busiest(served: Served) -> LoadSummary:
    return served.http[max(served.http)]


def _query_rows(tag: str, reply: ReplyLatency, served: Served, ceiling: float, t: Targets) -> list[Row]:
    single, busiest = served.http[1], _busiest(served)
    share = busiest.throughput / ceiling
    n = busiest.clients
    return [
        Row(
            f"{tag}: in-process reply p50 ≤ {t.reply_vs_encode:g}× one raw encode",
            f"{reply.p50_ms:.1f} ms",
            f"{reply.encode_p50_ms:.1f} ms",
            f"{reply.ratio:.2f}×",
            reply.ratio <= t.reply_vs_encode,
        ),
        Row(
            f"{tag}: HTTP p50, one client ≤ {t.http_p50_ms:g} ms",
            f"{single.p50_ms:.1f} ms",
            f"{reply.encode_p50_ms:.1f} ms (raw encode)",
            f"{single.p50_ms / reply.encode_p50_ms:.2f}×",
            single.p50_ms <= t.http_p50_ms,
        ),
        Row(
            f"{tag}: {n} clients ≥ {t.share_of_ceiling:.0%} of the batched ceiling",
            f"{busiest.throughput:.0f} req/s",
            f"{ceiling:.0f} q/s",
            f"{share:.0%}",
            share >= t.share_of_ceiling,
        ),
        Row(
            f"{tag}: {n} clients p95 ≤ {t.busiest_p95_ms:g} ms, no errors",
            f"{busiest.p95_ms:.0f} ms, {busiest.errors} errors",
            "",
            "",
            busiest.p95_ms <= t.busiest_p95_ms and busiest.errors == 0,
        ),
    ]


def _workers_row(backend: str, served: Served, ceiling: float, t: Targets) -> Row:
    busiest = _busiest(served)
    share = busiest.throughput / ceiling
    return Row(
        f"`{backend}`, `BOT_WORKERS={served.workers}`: {busiest.clients} clients ≥ {t.share_of_ceiling:.0%} of the "
        f"ceiling, p95 ≤ {t.busiest_p95_ms:g} ms",
        f"{busiest.throughput:.0f} req/s, p95 {busiest.p95_ms:.0f} ms, {busiest.errors} errors",
        f"{ceiling:.0f} q/s",
        f"{share:.0%}",
        share >= t.share_of_ceiling and busiest.p95_ms <= t.busiest_p95_ms and busiest.errors == 0,
    )


def _ingest_rows(r: Results, t: Targets) -> list[Row]:
    ingest = r.ingest
    reference = ingest.reference.seconds
    rows = [
        Row(
            f"`{backend}`: full ingest ≤ {t.ingest_vs_reference:g}× the reference recipe",
            f"{full.seconds:.1f} s",
            f"{reference:.1f} s",
            f"{full.seconds / reference:.2f}×",
            full.seconds / reference <= t.ingest_vs_reference,
        )
        for backend, full in ingest.full.items()
    ]
    torch = ingest.mrr.get("torch")
    for backend, mrr in ingest.mrr.items():
        if torch is None or backend == "torch":
            continue
        delta = mrr.mrr - torch.mrr
        rows.append(
            Row(
                f"`{backend}`: passage MRR@5 within {t.mrr_delta:g} of `torch`",
                f"{mrr.mrr:.3f}",
                f"{torch.mrr:.3f}",
                f"{delta:+.3f}",
                abs(delta) <= t.mrr_delta,
            )
        )
    full_default = ingest.full[r.meta.default_backend].seconds
    noop = ingest.noop.seconds / full_default
    one = ingest.one_changed
    rows += [
        Row(
            f"no-change re-ingest ≤ {t.noop_share:.0%} of a full ingest",
            f"{ingest.noop.seconds:.2f} s",
            f"{full_default:.1f} s",
            f"{noop:.1%}",
            noop <= t.noop_share and ingest.noop.embedded == 0,
        ),
        Row(
            "one changed document re-embeds only its chunks",
            f"{one.run.embedded} embedded",
            f"{one.document_chunks} chunks in it",
            "",
            0 < one.run.embedded <= one.document_chunks,
        ),
    ]
    return rows


def _footprint_rows(r: Results, t: Targets) -> list[Row]:
    bare = r.bare_import
    rows = [
        Row(
            f"`{backend}`: cold start ≤ {t.cold_start_s:g} s",
            f"{served.cold_start_s:.1f} s",
            f"{bare.seconds:.1f} s (imports alone)",
            f"{served.cold_start_s / bare.seconds:.2f}×",
            served.cold_start_s <= t.cold_start_s,
        )
        for backend, served in r.serving.items()
    ]
    full = r.ingest.full_set
    if full is not None:  # the bigger index is the one the bound is about
        rss, where = full.serving_rss_mb, f"full set, `{full.backend}`"
    else:
        rss, where = r.serving[r.meta.default_backend].serving_rss_mb, "small set"
    rows.append(
        Row(
            f"serving peak RSS ≤ {t.serving_rss_mb / 1000:g} GB ({where} indexed)",
            f"{rss:.0f} MB",
            f"{bare.peak_rss_mb:.0f} MB (imports alone)",
            f"{rss / bare.peak_rss_mb:.2f}×",
            rss <= t.serving_rss_mb,
        )
    )
    return rows
