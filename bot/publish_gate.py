"""The publish gate: before a new index goes live, ask it the clinic's own check questions and compare.

Check questions are every curated FAQ question and alternate (of the live index and of the new one), plus
the optional ``knowledge/checks.yaml``: a question and the document (and section) that should answer it.
Both generations answer them through the real ``Assistant`` (the answer model over curated phrasings, section
headings, sentences and hybrid retrieval; triage and generated answers are left out, as they are not about
the content). A question counts as
*answered from the right section* when the reply is an answer whose citations include that document and
section.

The new generation is **held** (written and verified, not pointed to) when

1. a question the live index answered from the right section is not answered from it by the new one (the
   answer model ranks sections against each other, so an unrelated document can move a borderline phrasing
   too: staff read the ``LOST`` lines and judge); or
2. a curated answer is not supported by the section it cites (``bot.content_checks.check_support``) and
   was never published with that warning: a new entry, or one whose section lost what backed it.

Staff then fix the documents or publish anyway (``ingest.py --force``, or the staff page's button). With no
live index there is nothing to lose: the first index is always published, its support warnings reported.
A warning once published (acknowledged) is reported at every ingest but holds nothing again, so a clinic is
not stuck behind a known warning, nor is a document restored from the trash with its FAQ entries.
The held generation is described by ``data/index/held.json``, the acknowledged warnings by
``data/index/support-warnings.json``; pruning keeps the held generation while it is held.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.content_checks import SupportProblem, check_support, section_texts
from bot.conversation import Assistant
from bot.faq import FaqEntry, read_yaml, validation_problem, yaml_problem
from bot.index import LiveIndex, Snapshot
from bot.inputs import InputRejected
from bot.manifest import IndexInfo
from bot.replies import Answer, Kind
from bot.settings import Settings
from bot.stores import IndexStore, write_json_atomically
from bot.triage import Verdict

CHECKS_FILE = "checks.yaml"
HELD_FILE = "held.json"
ACKNOWLEDGED_FILE = "support-warnings.json"
ACKNOWLEDGED_KEPT = 2000
"""Acknowledged warnings remembered (newest kept): far more than any clinic's FAQ has entries."""
ANSWERED = frozenset({Kind.ANSWER, Kind.PERSONAL_ADVICE})
"""Reply kinds that carry cited information (a personal-advice reply adds general, cited information)."""
Encode = Callable[[list[str]], np.ndarray]


class ChecksError(ValueError):
    """``checks.yaml`` cannot be used as written."""


class CheckQuestion(BaseModel):
    """One entry of ``knowledge/checks.yaml``: a question and where its answer must come from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: str = Field(min_length=3)
    document: str = Field(min_length=1, description="path of the document, relative to the knowledge folder")
    section: str | None = Field(default=None, description="the heading the answer is under; none: any section")


class ChecksFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    checks: list[CheckQuestion] = Field(default_factory=list)


def load_checks(path: Path) -> list[CheckQuestion]:
    """Parse and validate ``checks.yaml``; a missing file means no extra checks."""
    if not path.exists():
        return []
    try:
        raw = read_yaml(path.read_text(encoding="utf-8"))
        return ChecksFile.model_validate(raw if raw is not None else {}).checks
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ChecksError(f"{path.name}: {yaml_problem(exc)}") from exc
    except ValidationError as exc:
        raise ChecksError(f"{path.name}: {validation_problem(exc)}") from exc


def check_entry_yaml(question: str, document: str, section: str | None) -> str:
    """A ``checks.yaml`` entry (validated), as staff would paste it under ``checks:``."""
    check = CheckQuestion(question=question, document=document, section=section or None)
    return yaml.safe_dump([check.model_dump(exclude_none=True)], sort_keys=False, allow_unicode=True)


def add_check(knowledge_dir: Path, check: CheckQuestion) -> None:
    """Append one check question to ``checks.yaml`` (created if missing; an invalid file is not touched)."""
    path = knowledge_dir / CHECKS_FILE
    checks = load_checks(path)
    if any(c.question.strip().lower() == check.question.strip().lower() for c in checks):
        raise ChecksError(f"{CHECKS_FILE}: '{check.question}' is already a check question")
    payload = {"checks": [c.model_dump(exclude_none=True) for c in [*checks, check]]}
    header = "# Check questions: asked of every new index before it goes live (see README, publish gate).\n"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(header + yaml.safe_dump(payload, sort_keys=False, allow_unicode=True), encoding="utf-8")
    tmp.replace(path)


@dataclass(frozen=True)
class Check:
    """A question and the document section its answer must come from."""

    question: str
    document: str
    section: str | None
    origin: str  # "faq <id>" or "checks.yaml"

    @property
    def where(self) -> str:
        return self.document + (f" › {self.section}" if self.section else "")


def gather_checks(faqs: Sequence[Sequence[FaqEntry]], extra: Sequence[CheckQuestion]) -> list[Check]:
    """Every phrasing of every FAQ entry in ``faqs`` (live first), then ``extra``; each question once."""
    found: dict[str, Check] = {}
    for entries in faqs:
        for entry in entries:
            for phrasing in entry.phrasings:
                check = Check(phrasing, entry.source, entry.section, f"faq {entry.id}")
                found.setdefault(phrasing.strip().lower(), check)
    for check in extra:
        found.setdefault(
            check.question.strip().lower(), Check(check.question, check.document, check.section, CHECKS_FILE)
        )
    return list(found.values())


@dataclass(frozen=True)
class LostAnswer:
    """A check question the live index answered from the right section and the new one does not."""

    check: Check
    now: str  # where the new index answers it from, or what it does instead

    def line(self) -> str:
        return (
            f'LOST    "{self.check.question}" ({self.check.origin}): the live index answers it from '
            f"{self.check.where}; the new one {self.now}"
        )


@dataclass
class GateResult:
    """What the gate found; ``passed`` says whether the new index may go live on its own."""

    checked: int = 0
    lost: list[LostAnswer] = field(default_factory=list)
    unsupported: list[SupportProblem] = field(default_factory=list)  # all, in the new index
    unsupported_keys: list[str] = field(default_factory=list)  # their ``support_key``s: acknowledged on publish
    newly_unsupported: list[str] = field(default_factory=list)  # entry ids never published with their warning
    compared: bool = False  # False when there was no live index to compare with
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.lost and not self.newly_unsupported

    def reasons(self) -> list[str]:
        """Why the new index is held, one line each."""
        lines = [lost.line() for lost in self.lost]
        lines += [f"NEWLY UNSUPPORTED {p.line()}" for p in self.unsupported if p.entry_id in self.newly_unsupported]
        return lines


class PinnedIndex(LiveIndex):
    """A ``LiveIndex`` that always serves one opened generation: how the gate questions a held candidate."""

    def __init__(self, store: IndexStore, snapshot: Snapshot) -> None:
        super().__init__(store, snapshot.info.embedding_model)
        self._pinned = snapshot

    def current(self) -> Snapshot:
        return self._pinned


class _KnownVectors:
    """A ``TextEncoder`` that serves vectors computed beforehand in one batch (and encodes anything else)."""

    def __init__(self, model_id: str, vectors: dict[str, np.ndarray], encode: Encode) -> None:
        self.model_id = model_id
        self._vectors = vectors
        self._encode = encode

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._encode(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts])


def _no_triage(question: str, vector: np.ndarray | None = None) -> Verdict:
    """Check questions are about content: safety routing would only hide what the index answers."""
    return Verdict(None)


def _answers_from(answer: Answer, check: Check) -> bool:
    return answer.kind in ANSWERED and any(
        c.document == check.document and (check.section is None or c.section == check.section) for c in answer.citations
    )


def _what_it_does(answer: Answer) -> str:
    if answer.kind in ANSWERED and answer.citations:
        first = answer.citations[0]
        return f"answers from {first.document}" + (f" › {first.section}" if first.section else "")
    return {
        Kind.NO_ANSWER: "gives no answer (not in our materials)",
        Kind.OUT_OF_SCOPE: "calls it out of scope",
    }.get(answer.kind, f"replies '{answer.kind}'")


def support_key(entry: FaqEntry) -> str:
    """What a support warning is about: the entry's answer and what it cites (not the section's text)."""
    text = "\0".join([entry.id, entry.answer, entry.source, entry.section or ""])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def read_acknowledged(settings: Settings) -> list[str]:
    """Support warnings already published (``support_key``s, oldest first)."""
    path = settings.index_dir / ACKNOWLEDGED_FILE
    try:
        keys = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [str(key) for key in keys] if isinstance(keys, list) else []


def acknowledge(settings: Settings, keys: Sequence[str]) -> None:
    """Remember warnings that went live: they are reported again, but hold no later index."""
    if not keys:
        return
    known = [key for key in read_acknowledged(settings) if key not in keys] + list(dict.fromkeys(keys))
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomically(settings.index_dir / ACKNOWLEDGED_FILE, known[-ACKNOWLEDGED_KEPT:])


def snapshot_support(snapshot: Snapshot, encode: Encode) -> list[SupportProblem]:
    """``check_support`` for a generation's own FAQ against its own indexed text."""
    if not snapshot.faq:
        return []
    pieces = [(c.doc_path, c.section, c.text) for c in snapshot.chunks]
    return check_support(snapshot.faq, section_texts(pieces), encode)


def run_gate(
    settings: Settings,
    store: IndexStore,
    candidate: Snapshot,
    live: Snapshot | None,
    extra: Sequence[CheckQuestion],
    encode: Encode,
    acknowledged: Sequence[str] = (),
) -> GateResult:
    """Compare a candidate generation with the live one on every check question (see the module docstring).

    ``acknowledged``: support warnings already published (``read_acknowledged``).
    """
    started = time.perf_counter()
    result = GateResult(compared=live is not None)
    result.unsupported = snapshot_support(candidate, encode)
    entries = {entry.id: entry for entry in candidate.faq}
    result.unsupported_keys = [support_key(entries[p.entry_id]) for p in result.unsupported]
    if live is None:
        result.seconds = time.perf_counter() - started
        return result
    by_id = {entry.id: entry for entry in live.faq}
    known = set(acknowledged) | {support_key(by_id[p.entry_id]) for p in snapshot_support(live, encode)}
    result.newly_unsupported = [
        p.entry_id for p, key in zip(result.unsupported, result.unsupported_keys, strict=True) if key not in known
    ]
    checks = gather_checks([live.faq, candidate.faq], extra)
    result.checked = len(checks)
    if checks:
        questions = [c.question for c in checks]
        vectors = dict(zip(questions, encode(questions), strict=True))
        quiet = settings.model_copy(update={"llm_model": None})  # the gate judges the documents, not a model
        ask: dict[str, Callable[[str], Answer]] = {}
        for name, snapshot in (("live", live), ("candidate", candidate)):
            assistant = Assistant(
                quiet,
                _KnownVectors(snapshot.info.embedding_model, vectors, encode),
                live=PinnedIndex(store, snapshot),
                triage=_no_triage,  # type: ignore[arg-type]
            )
            ask[name] = assistant.ask
        for check in checks:
            try:
                before = ask["live"](check.question)
                after = ask["candidate"](check.question)
            except InputRejected:
                continue
            if _answers_from(before, check) and not _answers_from(after, check):
                result.lost.append(LostAnswer(check, _what_it_does(after)))
    result.seconds = time.perf_counter() - started
    return result


class HeldGeneration(BaseModel):
    """A generation the gate held back: written and verified, not active, and why."""

    model_config = ConfigDict(frozen=True)

    info: IndexInfo
    held_at: dt.datetime
    live_version: str | None
    reasons: tuple[str, ...]
    unsupported_keys: tuple[str, ...] = ()  # acknowledged if it is published anyway


def read_held(settings: Settings) -> HeldGeneration | None:
    path = settings.index_dir / HELD_FILE
    if not path.exists():
        return None
    try:
        return HeldGeneration.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError:
        return None  # a record from another version of this code: nothing can be published from it


def write_held(settings: Settings, held: HeldGeneration) -> None:
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomically(settings.index_dir / HELD_FILE, held.model_dump(mode="json"))


def clear_held(settings: Settings) -> None:
    (settings.index_dir / HELD_FILE).unlink(missing_ok=True)
