"""Score answering on a labelled patient-question file, through the whole reply pipeline.

    .venv/bin/python -m bench.answers_eval bench/data/questions/test.jsonl          # the frozen test part
    .venv/bin/python -m bench.answers_eval bench/data/questions/tuning.jsonl --show-misses

Each question (with its earlier turns) is asked through ``Assistant.ask`` on an index of the shipped
knowledge folder. A reply is correct when its kind is the expected one and, for an answer, its first citation
is one of the sections that answer the question (for a compound question: every part is cited). Also counted:
evidence questions answered only from the clinic's claims, curated questions answered with ``no_answer``,
and suggestions that repeat what was just answered.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.triage_eval import write_section
from bot.conversation import Assistant
from bot.embedding import Embedder
from bot.index import read_manifest
from bot.ingestion import ingest
from bot.inputs import Turn
from bot.replies import Answer
from bot.settings import PROJECT_ROOT, Settings

Place = tuple[str, str]


@dataclass(frozen=True)
class Item:
    id: str
    history: tuple[str, ...]
    question: str
    expect: str
    sections: frozenset[Place]
    parts: tuple[frozenset[Place], ...]
    faq: str | None
    evidence: bool
    group: str


@dataclass
class Outcome:
    item: Item
    kind: str
    cited: tuple[Place, ...]
    claims_only: bool
    seconds: float
    problems: list[str] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        return not self.problems


def load(path: Path) -> list[Item]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        items.append(
            Item(
                r["id"],
                tuple(r.get("history", ())),
                r["question"],
                r["expect"],
                frozenset(tuple(p) for p in r.get("sections", ())),
                tuple(frozenset(tuple(p) for p in part) for part in r.get("parts", ())),
                r.get("faq"),
                bool(r.get("evidence")),
                r["group"],
            )
        )
    return items


def judge(item: Item, answer: Answer, claims: frozenset[str], seconds: float) -> Outcome:
    cited = tuple((c.document, c.section or "") for c in answer.citations)
    claims_only = bool(cited) and all(doc in claims for doc, _ in cited)
    outcome = Outcome(item, str(answer.kind), cited, claims_only, seconds)
    if outcome.kind != item.expect:
        outcome.problems.append(f"kind {outcome.kind}, expected {item.expect}")
    elif item.expect == "answer":
        if item.parts:
            missing = [i for i, part in enumerate(item.parts, 1) if not part & set(cited)]
            if missing:
                outcome.problems.append(f"part(s) {missing} not cited")
        elif not cited or cited[0] not in item.sections:
            outcome.problems.append("first citation is not an answering section")
    if item.evidence and claims_only:
        outcome.problems.append("evidence question answered only from the clinic's claims")
    return outcome


def run(assistant: Assistant, items: Sequence[Item]) -> list[Outcome]:
    snapshot = assistant.live.current()
    manifest = read_manifest(assistant.live.store, snapshot.info.version)
    claims = frozenset(doc.path for doc in manifest.documents if doc.role == "claims")
    outcomes = []
    for item in items:
        started = time.perf_counter()
        answer = assistant.ask(item.question, [Turn("user", text) for text in item.history])
        outcomes.append(judge(item, answer, claims, time.perf_counter() - started))
    return outcomes


def share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


def report(name: str, outcomes: Sequence[Outcome], command: str) -> str:
    groups = Counter(o.item.group for o in outcomes)
    evidence = [o for o in outcomes if o.item.evidence]
    curated = [o for o in outcomes if o.item.faq]
    times = sorted(o.seconds for o in outcomes)
    lines = [
        f"### {name}",
        "",
        f"Command: `{command}` ({len(outcomes)} questions).",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| correct overall | {share([o.correct for o in outcomes]):.1%} |",
        f"| lowest group | {min(share([o.correct for o in outcomes if o.item.group == g]) for g in groups):.1%} |",
        f"| evidence questions answered only from claims | {sum(o.claims_only for o in evidence)} of {len(evidence)} |",
        f"| `no_answer` where a curated answer exists | {sum(o.kind == 'no_answer' for o in curated)} of "
        f"{len(curated)} |",
        f"| reply time p50 / p95 (ms) | {1000 * times[len(times) // 2]:.0f} / "
        f"{1000 * times[int(len(times) * 0.95)]:.0f} |",
        "",
        "| group | questions | correct |",
        "| --- | ---: | ---: |",
    ]
    for group, count in sorted(groups.items()):
        lines.append(f"| {group} | {count} | {share([o.correct for o in outcomes if o.item.group == group]):.1%} |")
    return "\n".join(lines) + "\n"


def misses(outcomes: Sequence[Outcome]) -> list[str]:
    return [
        f"[{o.item.group}] {' || '.join([*o.item.history, o.item.question])!r}: {'; '.join(o.problems)}; "
        f"cited {list(o.cited)[:2]}"
        for o in outcomes
        if not o.correct
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="labelled questions (JSON Lines)")
    parser.add_argument("--backend", default="torch", choices=("torch", "onnx-int8"))
    parser.add_argument("--knowledge", type=Path, default=PROJECT_ROOT / "knowledge")
    parser.add_argument("--output", type=Path, help="Markdown file to write the section into (docs/benchmarks.md)")
    parser.add_argument("--show-misses", action="store_true", help="print every miss (never for the test part)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a setting to try")
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.set)

    with tempfile.TemporaryDirectory() as data:
        settings = Settings(data_dir=Path(data), knowledge_dir=args.knowledge, **overrides)
        embedder = Embedder(args.backend, cache_dir=Settings().model_cache_dir).load()
        ingest(settings, embedder)
        assistant = Assistant(settings, embedder)
        assistant.ask("warm up")
        outcomes = run(assistant, load(args.file))
    rel = args.file.resolve().relative_to(PROJECT_ROOT)
    command = f".venv/bin/python -m bench.answers_eval {rel} --backend {args.backend}"
    body = report(f"{args.file.name}, {args.backend}", outcomes, command)
    print(body)
    if args.show_misses:
        print("\n".join(misses(outcomes)))
    if args.output:
        write_section(args.output, f"{args.file.name}, {args.backend}", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
