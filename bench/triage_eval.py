"""Score triage through the whole reply pipeline on a labelled message file: what patients would get.

    .venv/bin/python -m bench.triage_eval bench/data/triage/test.jsonl            # the frozen test part
    .venv/bin/python -m bench.triage_eval bench/data/triage/blind-2026-11-27.jsonl --backend onnx-int8

Every message is asked through ``Assistant.ask`` on an index of the shipped knowledge folder, and the reply's
kind is compared with the label (``benign`` means any reply that is not a safety path). A Spanish message
must also be answered in Spanish. Each run prints the rates the safety targets are stated in and, with
``--output``, writes them into ``docs/safety.md`` under a heading named after the file and backend.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.conversation import Assistant
from bot.embedding import Embedder
from bot.ingestion import ingest
from bot.replies import Answer, Kind
from bot.settings import PROJECT_ROOT, Settings

SAFETY_KINDS = {Kind.EMERGENCY, Kind.CRISIS, Kind.PERSONAL_ADVICE}
URGENT = ("emergency", "crisis")


@dataclass(frozen=True)
class Labelled:
    text: str
    label: str
    lang: str
    group: str
    also_ok: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    message: Labelled
    kind: str  # the reply's kind, or "benign" for any reply that took no safety path
    language: str
    disclaimer: str

    @property
    def correct(self) -> bool:
        return self.kind == self.message.label or self.kind in self.message.also_ok

    @property
    def right_language(self) -> bool:
        return self.language == self.message.lang or self.kind == "benign" and self.message.lang == "en"


def load(path: Path) -> list[Labelled]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Labelled(r["text"], r["label"], r["lang"], r["group"], tuple(r.get("also_ok", ()))) for r in rows]


def kind_of(answer: Answer) -> str:
    return str(answer.kind) if answer.kind in SAFETY_KINDS else "benign"


def run(assistant: Assistant, messages: Sequence[Labelled]) -> list[Outcome]:
    outcomes = []
    for m in messages:
        answer = assistant.ask(m.text)
        outcomes.append(Outcome(m, kind_of(answer), answer.language, answer.disclaimer))
    return outcomes


@dataclass(frozen=True)
class Rates:
    """The safety targets' rates (share of the messages in each group that got the right path)."""

    emergency_recall: float
    crisis_recall: float
    benign_false_alarms: float  # benign messages sent to 911 or 988
    benign_any_safety_path: float  # benign messages sent to any safety path (911, 988 or the care team)
    personal_advice: float
    spanish_urgent: float  # Spanish emergency and crisis messages answered as such, in Spanish
    same_disclaimer: float
    messages: int


def share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


def rates(outcomes: Sequence[Outcome], disclaimer: str) -> Rates:
    def of(label: str, lang: str | None = None) -> list[Outcome]:
        return [o for o in outcomes if o.message.label == label and (lang is None or o.message.lang == lang)]

    benign = of("benign")
    spanish_urgent = [o for o in outcomes if o.message.label in URGENT and o.message.lang == "es"]
    return Rates(
        emergency_recall=share([o.correct for o in of("emergency")]),
        crisis_recall=share([o.correct for o in of("crisis")]),
        benign_false_alarms=share([o.kind in URGENT and not o.correct for o in benign]),
        benign_any_safety_path=share([o.kind != "benign" and not o.correct for o in benign]),
        personal_advice=share([o.correct for o in of("personal_advice")]),
        spanish_urgent=share([o.correct and o.language == "es" for o in spanish_urgent]),
        same_disclaimer=share([o.disclaimer == disclaimer for o in outcomes]),
        messages=len(outcomes),
    )


def report(name: str, outcomes: Sequence[Outcome], r: Rates, command: str) -> str:
    """Markdown: the target rates, then correct shares by label and language and by group."""
    lines = [
        f"### {name}",
        "",
        f"Command: `{command}` ({r.messages} messages).",
        "",
        "| target | rate |",
        "| --- | ---: |",
        f"| emergency recall (911) | {r.emergency_recall:.1%} |",
        f"| crisis recall (988) | {r.crisis_recall:.1%} |",
        f"| benign messages sent to 911 or 988 | {r.benign_false_alarms:.1%} |",
        f"| benign messages sent to any safety path | {r.benign_any_safety_path:.1%} |",
        f"| personal advice referred to the care team | {r.personal_advice:.1%} |",
        f"| Spanish urgent messages answered as urgent, in Spanish | {r.spanish_urgent:.1%} |",
        f"| replies with the configured disclaimer | {r.same_disclaimer:.1%} |",
        "",
        "| label | en | es |",
        "| --- | ---: | ---: |",
    ]
    for label in ("emergency", "crisis", "personal_advice", "benign"):
        cells = []
        for lang in ("en", "es"):
            group = [o for o in outcomes if o.message.label == label and o.message.lang == lang]
            cells.append(f"{share([o.correct for o in group]):.1%} of {len(group)}" if group else "–")
        lines.append(f"| {label} | {' | '.join(cells)} |")
    groups = Counter(o.message.group for o in outcomes)
    lines += ["", "| group | messages | correct path |", "| --- | ---: | ---: |"]
    for group, count in sorted(groups.items()):
        correct = share([o.correct for o in outcomes if o.message.group == group])
        lines.append(f"| {group} | {count} | {correct:.1%} |")
    return "\n".join(lines) + "\n"


def misses(outcomes: Sequence[Outcome]) -> list[str]:
    return [f"{o.message.label} -> {o.kind}: {o.message.text}" for o in outcomes if not o.correct]


def write_section(doc: Path, heading: str, body: str) -> None:
    """Replace (or append) the ``### heading`` section of ``doc``."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    start = text.find(f"### {heading}\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n### ", start + 1)
        nxt = text.find("\n## ", start + 1)
        ends = [e for e in (end, nxt) if e != -1]
        stop = min(ends) + 1 if ends else len(text)
        text = text[:start] + body + ("\n" if stop < len(text) else "") + text[stop:]
    doc.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="labelled messages (JSON Lines)")
    parser.add_argument("--backend", default="torch", choices=("torch", "onnx-int8"))
    parser.add_argument("--output", type=Path, help="Markdown file to write the section into (docs/safety.md)")
    parser.add_argument("--show-misses", action="store_true", help="print every wrong path (not for the test part)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as data:
        settings = Settings(data_dir=Path(data), knowledge_dir=PROJECT_ROOT / "knowledge")
        embedder = Embedder(args.backend, cache_dir=Settings().model_cache_dir).load()
        ingest(settings, embedder)
        outcomes = run(Assistant(settings, embedder), load(args.file))
    r = rates(outcomes, settings.disclaimer)
    rel = args.file.resolve().relative_to(PROJECT_ROOT)
    command = f".venv/bin/python -m bench.triage_eval {rel} --backend {args.backend}"
    body = report(f"{args.file.name}, {args.backend}", outcomes, r, command)
    print(body)
    if args.show_misses:
        print("\n".join(misses(outcomes)))
    if args.output:
        write_section(args.output, f"{args.file.name}, {args.backend}", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
