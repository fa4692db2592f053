"""Train the triage classifier (``bot/triage/model.npz``) from the labelled messages in ``bench/data/triage``.

    .venv/bin/python -m bench.triage_train            # train, choose thresholds, write the model and the report

Data, all in the repository:
- ``tuning.jsonl``: the tuning part of the labelled messages (English and Spanish);
- ``examples.yaml``: curated example sentences per kind;
- ``medquad-benign.jsonl``: 1,500 questions from MedQuAD (NIH, CC BY 4.0), all ``benign``: information
  questions that share the alarming words ("What are the symptoms of stroke?");
- ``benign-extra.jsonl``: everyday, off-topic and logistics messages, figures of speech ("the price is killing
  me"), information questions about symptoms, in English and Spanish;
- ``../questions/tuning.jsonl``: the tuning part of the labelled patient questions, all ``benign`` here;
- ``SCORED_BATCHES``: fresh blind batches, added once their first score is in ``docs/safety.md``;
- ``probes.yaml``: 435 hand-written messages, the development set: never trained on, they choose the
  thresholds and say how the classifier does on messages unlike the tuning part.
The frozen test part (``test.jsonl``) and blind batches are never read here.

Thresholds: for urgent messages (crisis and emergency together), the highest threshold at which the whole
triage (patterns, then the classifier) misses no more development messages than at the lowest threshold, and
at most 0.5% of the tuning part's cross-validated ones, so that recall comes first; for personal advice, the
threshold with the best F1 on the development set.
Training is deterministic (fixed folds, lbfgs): the same files give the same model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy.sparse import csr_matrix, vstack
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from bot.embedding import Embedder
from bot.index import EmbeddingCache
from bot.ingestion import text_key
from bot.inputs import clean_text
from bot.settings import PROJECT_ROOT, Settings
from bot.triage import PATTERN_VETO, patterns, sentences
from bot.triage.classifier import (
    LABELS,
    MODEL_FILE,
    Neighbours,
    Thresholds,
    TriageModel,
    features,
    inverse_document_frequency,
)
from bot.triage.classifier import ngram_counts as counts_of

DATA = PROJECT_ROOT / "bench" / "data" / "triage"
QUESTIONS = PROJECT_ROOT / "bench" / "data" / "questions" / "tuning.jsonl"
REPORT = DATA / "training-report.md"
C = 32.0
"""Inverse regularisation strength. Of 2, 8 and 32, 32 sent the fewest benign messages to an urgent path at the
same urgent recall, on both the development set and the cross-validated tuning part."""
FOLDS = 5
MAX_THRESHOLD = 0.5
NEIGHBOUR_FLOOR = 0.45
NEIGHBOUR_MARGIN = 0.05
"""Urgent by example: the 3 nearest urgent examples at least this close, and this much closer than the 3 nearest
benign ones. Of floors 0.40-0.60 and margins 0.0-0.12 measured on the development set and leave-one-out on
the training messages, this pair caught the most urgent messages with at most 1% of benign ones fired."""
HARD_NEGATIVE = 0.35
"""Benign examples at least this close to some urgent example are kept beside the urgent ones: only they can
decide a margin; farther ones never are a message's nearest."""
LOWEST_THRESHOLD = 0.05
CV_RECALL = 0.995
"""Urgent recall the threshold must keep: every development message the triage can catch at all (at
``LOWEST_THRESHOLD``), and 99.5% of the tuning part's cross-validated messages (composed messages, a few of
them ambiguous by construction). Both count the patterns and the nearest-example layer too."""
URGENT = ("crisis", "emergency")
TYPO_RATE = 0.3
"""Share of a typo copy's longer words that get one slip of the thumb (at least one word always does)."""
_NEIGHBOURS = {
    row[i]: row[i + 1] if i + 1 < len(row) else row[i - 1]
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for i in range(len(row))
}
"""A key and the one beside it on a QWERTY keyboard."""
PROBE_LABELS = {"out_of_scope": "benign", "injection": "benign"}
SCORED_BATCHES = (
    "blind-2026-11-27.jsonl",
    "blind-2026-11-27b.jsonl",
    "heldout-2026-11-27c.jsonl",
    "heldout-2026-11-28d.jsonl",
)
"""Blind batches whose first score is reported in ``docs/safety.md``: from then on they are training data. A
newer batch stays out until it has been scored as it first stood."""


@dataclass(frozen=True)
class Message:
    text: str
    label: str
    also_ok: tuple[str, ...] = ()
    lang: str = "en"
    group: str = ""


def read_jsonl(path: Path) -> list[Message]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        Message(r["text"], r["label"], tuple(r.get("also_ok", ())), r.get("lang", "en"), r.get("group", ""))
        for r in rows
    ]


def typo_copy(text: str) -> str:
    """The message as a hurried thumb types it: a letter dropped, doubled, swapped or hit next to, in about a
    third of the longer words; often lower case without apostrophes. Deterministic for a given text.

    Trained beside the originals, these copies teach the classifier that "i wnat to kil myslef" means what
    the clean sentence means: worried people type fast, and a typo must not hide an emergency or a crisis.
    """
    rng = np.random.default_rng(int(hashlib.sha256(text.encode()).hexdigest()[:12], 16))
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if sum(ch.isalpha() for ch in w) >= 4]
    chosen = {i for i in long_words if rng.random() < TYPO_RATE}
    if long_words and not chosen:
        chosen = {long_words[int(rng.integers(len(long_words)))]}
    for i in chosen:
        word = words[i]
        letters = [k for k, ch in enumerate(word) if ch.isalpha()]
        k = letters[int(rng.integers(1, len(letters)))]  # never the first letter: people see that one
        slip = int(rng.integers(4))
        if slip == 0:  # dropped
            word = word[:k] + word[k + 1 :]
        elif slip == 1:  # doubled
            word = word[:k] + word[k] + word[k:]
        elif slip == 2 and k + 1 < len(word) and word[k + 1].isalpha():  # swapped with the next one
            word = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
        else:  # the key next to it
            word = word[:k] + _NEIGHBOURS.get(word[k].lower(), word[k]) + word[k + 1 :]
        words[i] = word
    typed = " ".join(words)
    if rng.random() < 0.5:
        typed = typed.lower().replace("'", "").replace("’", "")
    return typed


def extra_rows(messages: Sequence[Message], *, typo_copies: bool = True) -> list[tuple[int, str]]:
    """Rows trained beside the messages, each with the index of the message it comes from: the message's typo
    copy, and each sentence of a benign message on its own.

    The triage reads every sentence of a message and the most urgent one speaks for it, so a benign message
    is benign only if each of its sentences is: "hi, apologies for the long message." or "my aunt has lupus."
    must not look like a crisis or an emergency when read alone. Sentences of urgent messages are not added:
    which of them is the urgent one is not labelled."""
    rows = []
    for i, m in enumerate(messages):
        text = clean_text(m.text)
        if typo_copies:
            rows.append((i, typo_copy(text)))
        if m.label == "benign":
            rows += [(i, part) for part in sentences(text)]
    return rows


def training_messages() -> list[Message]:
    """Tuning part, curated examples and MedQuAD questions, without repeats (first one wins)."""
    messages = read_jsonl(DATA / "tuning.jsonl")
    examples = yaml.safe_load((DATA / "examples.yaml").read_text(encoding="utf-8"))
    messages += [Message(text, label) for label, texts in examples.items() for text in texts]
    messages += read_jsonl(DATA / "medquad-benign.jsonl")
    messages += read_jsonl(DATA / "benign-extra.jsonl")
    for batch in SCORED_BATCHES:
        messages += read_jsonl(DATA / batch)
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():  # patients' questions about the therapy
        if line.strip():
            item = json.loads(line)
            messages += [
                Message(text, "benign", group="patient_question") for text in [*item["history"], item["question"]]
            ]
    seen: set[str] = set()
    unique = []
    for m in messages:
        key = clean_text(m.text).lower()
        if key not in seen:
            seen.add(key)
            unique.append(m)
    return unique


def development_messages() -> list[Message]:
    probes = yaml.safe_load((DATA / "probes.yaml").read_text(encoding="utf-8"))["probes"]
    return [
        Message(p["q"], PROBE_LABELS.get(p["label"], p["label"]), tuple(p.get("accept", ())), group=p["label"])
        for p in probes
    ]


def embed(embedder: Embedder, texts: list[str], cache: EmbeddingCache) -> np.ndarray:
    """Vectors through the same content-keyed cache as ingest: a re-run embeds only new texts."""
    keys = [text_key(embedder.model_id, text) for text in texts]
    found = cache.get_many(keys)
    missing = [(key, text) for key, text in zip(keys, texts, strict=True) if key not in found]
    if missing:
        fresh = embedder.encode([text for _, text in missing])
        cache.put_many({key: vector for (key, _), vector in zip(missing, fresh, strict=True)})
        found.update(cache.get_many([key for key, _ in missing]))
    return np.stack([found[key] for key in keys])


@dataclass
class Scored:
    """What the triage sees of each message: the classifier's view, the examples' and the patterns'."""

    whole: np.ndarray  # (messages, labels): the whole message
    personal: np.ndarray  # personal-advice probability of the part (message or sentence) that asks most for it
    urgent: np.ndarray  # crisis + emergency probability of the most urgent part (message or sentence)
    crisis_wins: np.ndarray  # in that part, crisis is at least as likely as emergency
    by_example: np.ndarray  # "crisis", "emergency" or "" from the nearest labelled examples
    crisis_pattern: np.ndarray
    emergency_pattern: np.ndarray
    personal_pattern: np.ndarray


def pattern_flags(messages: Sequence[Message]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    texts = [patterns.normalise(clean_text(m.text)) for m in messages]
    return (
        np.array([patterns.is_crisis(t) for t in texts]),
        np.array([patterns.is_emergency(t) for t in texts]),
        np.array([patterns.is_personal(t) for t in texts]),
    )


def score(
    weights: np.ndarray,
    bias: np.ndarray,
    idf: np.ndarray,
    messages: Sequence[Message],
    vectors: dict[str, np.ndarray],
    neighbours: Neighbours | None = None,
) -> Scored:
    model = TriageModel(weights, bias, idf, Thresholds(1, 1), "")
    crisis, emergency = LABELS.index("crisis"), LABELS.index("emergency")
    whole, personal, urgent, crisis_wins, by_example = [], [], [], [], []
    for m in messages:
        text = clean_text(m.text)
        parts = [text, *sentences(text)]
        probs = model.probabilities(parts, np.stack([vectors[p] for p in parts]))
        most = int(np.argmax(probs[:, crisis] + probs[:, emergency]))
        whole.append(probs[0])
        personal.append(probs[:, LABELS.index("personal_advice")].max())
        urgent.append(probs[most, crisis] + probs[most, emergency])
        crisis_wins.append(probs[most, crisis] >= probs[most, emergency])
        by_example.append((neighbours.urgent(vectors[text]) or "") if neighbours is not None else "")
    return Scored(
        np.array(whole),
        np.array(personal),
        np.array(urgent),
        np.array(crisis_wins),
        np.array(by_example),
        *pattern_flags(messages),
    )


def examples_of(messages: Sequence[Message], vectors: dict[str, np.ndarray]) -> Neighbours:
    """The urgent training messages, and the benign ones that come near any of them (the look-alikes that
    decide the margin), as int8 vectors."""
    texts = [clean_text(m.text) for m in messages]
    matrix = np.stack([vectors[t] for t in texts])
    labels = np.array(["benign" if m.label not in URGENT else m.label for m in messages])
    urgent = labels != "benign"
    nearest_urgent = (matrix @ matrix[urgent].T).max(axis=1)
    keep = urgent | (nearest_urgent >= HARD_NEGATIVE)
    quantised = np.clip(np.round(matrix[keep] * 127), -127, 127).astype(np.int8)
    return Neighbours(quantised, labels[keep], NEIGHBOUR_FLOOR, NEIGHBOUR_MARGIN)


def fit(x: csr_matrix, labels: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(x, labels)


def decide(s: Scored, t: Thresholds) -> np.ndarray:
    """The triage's decision for every message, as ``Triage.__call__`` makes it."""
    out = np.full(len(s.whole), "benign", dtype=object)
    out[s.personal_pattern | (s.personal >= t.personal_advice)] = "personal_advice"
    urgent = s.urgent >= t.urgent
    out[s.by_example != ""] = s.by_example[s.by_example != ""]
    out[urgent & ~s.crisis_wins] = "emergency"
    out[urgent & s.crisis_wins] = "crisis"
    vetoed = (s.whole[:, LABELS.index("benign")] >= PATTERN_VETO) & (s.by_example == "")
    out[s.emergency_pattern & ~s.crisis_pattern & ~vetoed] = "emergency"
    out[s.crisis_pattern] = "crisis"
    return out


def correct(messages: Sequence[Message], decided: np.ndarray) -> np.ndarray:
    return np.array([d == m.label or d in m.also_ok for m, d in zip(messages, decided, strict=True)])


def urgent_misses(s: Scored, messages: Sequence[Message], threshold: float) -> int:
    fired = s.crisis_pattern | s.emergency_pattern | (s.by_example != "") | (s.urgent >= threshold)
    return int(sum(m.label in URGENT and not f for m, f in zip(messages, fired, strict=True)))


def urgent_threshold(s: Scored, messages: Sequence[Message], allowed: int) -> float:
    """The highest threshold (in steps of 0.01, up to ``MAX_THRESHOLD``) at which at most ``allowed`` urgent
    messages (crisis or emergency) miss every urgent path, pattern or classifier."""
    best = LOWEST_THRESHOLD
    for threshold in np.arange(LOWEST_THRESHOLD, MAX_THRESHOLD + 1e-9, 0.01):
        if urgent_misses(s, messages, float(threshold)) <= allowed:
            best = float(threshold)
    return round(best, 2)


def best_f1(s: Scored, messages: Sequence[Message]) -> float:
    truth = np.array([m.label == "personal_advice" for m in messages])
    best, chosen = -1.0, 0.5
    for threshold in np.arange(0.2, 0.9, 0.025):
        predicted = s.personal_pattern | (s.personal >= threshold)
        tp = (predicted & truth).sum()
        f1 = 2 * tp / max(predicted.sum() + truth.sum(), 1)
        if f1 > best:
            best, chosen = f1, float(threshold)
    return chosen


def table(messages: Sequence[Message], decided: np.ndarray) -> list[str]:
    ok = correct(messages, decided)
    lines = ["| label | messages | decided as labelled | missed or wrong |", "| --- | ---: | ---: | --- |"]
    for label in LABELS:
        rows = [i for i, m in enumerate(messages) if m.label == label]
        wrong = [f"{messages[i].text[:60]!r} → {decided[i]}" for i in rows if not ok[i]][:4]
        share = ok[rows].mean() if rows else float("nan")
        lines.append(f"| {label} | {len(rows)} | {share:.1%} | {'; '.join(wrong)} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_FILE, help="where to write the model")
    parser.add_argument("--no-typo-copies", action="store_true", help="train on the messages as written only")
    args = parser.parse_args(argv)

    settings = Settings()
    embedder = Embedder("torch", cache_dir=settings.model_cache_dir).load()
    train, dev = training_messages(), development_messages()
    extras = extra_rows(train, typo_copies=not args.no_typo_copies)
    texts = {clean_text(m.text) for m in [*train, *dev]}
    texts |= {part for text in list(texts) for part in sentences(text)}
    texts |= {text for _, text in extras}
    ordered = sorted(texts)
    cache = EmbeddingCache(settings.data_dir / "cache" / "triage-training.sqlite3")
    try:
        vectors = dict(zip(ordered, embed(embedder, ordered, cache), strict=True))
    finally:
        cache.close()

    train_texts = [clean_text(m.text) for m in train]
    labels = np.array([m.label for m in train])
    extra_texts = [text for _, text in extras]
    extra_owner = np.array([owner for owner, _ in extras], dtype=int)
    counts = counts_of(train_texts + extra_texts)
    idf = inverse_document_frequency(counts)
    x_all = features(counts, idf, np.stack([vectors[t] for t in train_texts + extra_texts]))
    x, x_extra = x_all[: len(train)], x_all[len(train) :]
    extra_labels = labels[extra_owner]  # a typo copy, or a sentence of a benign message: its message's label

    def fit_with_extras(rows: np.ndarray) -> LogisticRegression:
        """Fit on these messages and their extra rows (a held-out message's extras are held out with it)."""
        if not extras:
            return fit(x[rows], labels[rows])
        keep = np.flatnonzero(np.isin(extra_owner, rows))
        return fit(vstack([x[rows], x_extra[keep]]).tocsr(), np.concatenate([labels[rows], extra_labels[keep]]))

    # Cross-validated probabilities on the training messages: how the model does on messages it did not see.
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    held: list[tuple[np.ndarray, Scored]] = []
    for fit_rows, held_rows in folds.split(x, labels):
        model = fit_with_extras(fit_rows)
        assert tuple(model.classes_) == LABELS
        fold_neighbours = examples_of([train[i] for i in fit_rows], vectors)
        held_messages = [train[i] for i in held_rows]
        held.append((held_rows, score(model.coef_, model.intercept_, idf, held_messages, vectors, fold_neighbours)))
    order = np.concatenate([rows for rows, _ in held])
    cv = Scored(*(np.concatenate([getattr(s, f) for _, s in held])[np.argsort(order)] for f in Scored.__annotations__))

    final = fit_with_extras(np.arange(len(train)))
    neighbours = examples_of(train, vectors)
    dev_scored = score(final.coef_, final.intercept_, idf, dev, vectors, neighbours)

    thresholds = Thresholds(
        urgent=min(
            urgent_threshold(dev_scored, dev, urgent_misses(dev_scored, dev, LOWEST_THRESHOLD)),
            urgent_threshold(cv, train, int(sum(m.label in URGENT for m in train) * (1 - CV_RECALL))),
        ),
        personal_advice=best_f1(dev_scored, dev),
    )
    TriageModel(final.coef_, final.intercept_, idf, thresholds, embedder.model_id, neighbours).save(args.output)

    digest = hashlib.sha256()
    named = ("tuning.jsonl", "examples.yaml", "medquad-benign.jsonl", "benign-extra.jsonl")
    for path in [*(DATA / n for n in named), *(DATA / n for n in SCORED_BATCHES)]:
        digest.update(path.read_bytes())
    digest.update(QUESTIONS.read_bytes())
    digest.update((DATA / "probes.yaml").read_bytes())
    lines = [
        "# Triage classifier: training report",
        "",
        "Written by `.venv/bin/python -m bench.triage_train` (the frozen test part is not read here; its scores "
        "are in `docs/safety.md`).",
        "",
        f"- training messages: {len(train)} ({', '.join(f'{k} {(labels == k).sum()}' for k in LABELS)})",
        f"- development messages (`probes.yaml`, never trained on): {len(dev)}",
        f"- embedding model: `{embedder.model_id}`; data sha256 `{digest.hexdigest()[:16]}`",
        f"- thresholds: urgent (crisis + emergency) {thresholds.urgent:.3f}, "
        f"personal advice {thresholds.personal_advice:.3f}",
        "",
        "## Development set (hand-written, never trained on)",
        "",
        *table(dev, decide(dev_scored, thresholds)),
        "",
        f"## Tuning part, {FOLDS}-fold cross-validated (each message scored by a model that did not see it)",
        "",
        *table(train, decide(cv, thresholds)),
        "",
    ]
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
