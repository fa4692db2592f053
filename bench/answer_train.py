"""Train the answer model (``bot/data/answer_model.json``) on the tuning part of the labelled patient questions.

    .venv/bin/python -m bench.answer_train

Every tuning question is understood exactly as ``Assistant.ask`` understands it (spelling, follow-ups, the
same rankings), on an index of the shipped knowledge folder. Each of its sections is one example: positive
when the section answers the question, negative otherwise (every section is negative for a question the
documents don't cover). A logistic regression over the features in ``bot.answer_model`` is fitted, and the
answer threshold is the probability that gets the most questions right on cross-validated predictions
(folds by question): answered from a right section, or refused when nothing answers. The frozen test part
(``test.jsonl``) is never read here.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from bench.answers_eval import Item, load
from bot.answer_model import FEATURES, MODEL_FILE, AnswerModel
from bot.conversation import Assistant
from bot.embedding import Embedder
from bot.ingestion import ingest
from bot.inputs import Turn, clean_text
from bot.settings import PROJECT_ROOT, Settings

TUNING = PROJECT_ROOT / "bench" / "data" / "questions" / "tuning.jsonl"
C = 1.0
FOLDS = 5
FAQ_THRESHOLD = 0.5
"""A curated answer is given instead of quoting its section when one of its phrasings is at least this close to
the question: it says what the section says (checked at ingest), written to stand alone."""
PLACEHOLDER = AnswerModel(np.zeros(len(FEATURES), dtype=np.float32), 0.0, 0.5, FAQ_THRESHOLD)


def examples(assistant: Assistant, items: Sequence[Item]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels, the question each row belongs to, and each question's reach (for scope)."""
    snapshot = assistant.live.current()
    sections = assistant._derived(snapshot).sections.sections
    rows, labels, groups, reach = [], [], [], []
    for number, item in enumerate(items):
        understood = assistant.understand(clean_text(item.question), [Turn("user", h) for h in item.history], snapshot)
        reach.append(understood.reach)
        wanted = item.sections | frozenset(place for part in item.parts for place in part)
        for section in sections:
            rows.append(understood.ranking.features[section.index])
            labels.append((section.doc_path, section.heading or "") in wanted)
            groups.append(number)
    return np.asarray(rows, dtype=np.float32), np.asarray(labels), np.asarray(groups), np.asarray(reach)


def fit(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(x, y)


def best_threshold(probability: np.ndarray, labels: np.ndarray, groups: np.ndarray, answerable: np.ndarray) -> tuple:
    """The threshold with the most questions right: the best section right and confident, or nothing right
    and no confidence. Returns (threshold, share right)."""
    best_right, best_threshold_value = -1.0, 0.5
    tops = []
    for g in np.unique(groups):
        rows = np.flatnonzero(groups == g)
        top = rows[np.argmax(probability[rows])]
        tops.append((probability[top], bool(labels[top]), bool(answerable[g])))
    for threshold in np.arange(0.05, 0.96, 0.01):
        right = np.mean([(p >= threshold and ok) or (p < threshold and not can) for p, ok, can in tops])
        if right > best_right:
            best_right, best_threshold_value = float(right), float(threshold)
    return round(best_threshold_value, 2), best_right


def scope_threshold(reach: np.ndarray, expected: Sequence[str]) -> float:
    """The reach that best tells questions about something else entirely (``out_of_scope``) from on-topic ones
    the documents don't answer (``no_answer``)."""
    off = np.array([e == "out_of_scope" for e in expected])
    unanswered = off | np.array([e == "no_answer" for e in expected])
    best, chosen = -1.0, 0.22
    for threshold in np.arange(0.1, 0.5, 0.01):
        right = np.mean((reach[unanswered] < threshold) == off[unanswered])
        if right > best:
            best, chosen = float(right), float(threshold)
    return round(chosen, 2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    items = load(TUNING)
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(data_dir=Path(data), knowledge_dir=PROJECT_ROOT / "knowledge")
        embedder = Embedder("torch", cache_dir=Settings().model_cache_dir).load()
        ingest(settings, embedder)
        assistant = Assistant(settings, embedder, model=PLACEHOLDER)
        x, y, groups, reach = examples(assistant, items)
    answerable = np.array([item.expect == "answer" for item in items])

    held = np.zeros(len(y), dtype=np.float32)
    for fit_rows, held_rows in GroupKFold(FOLDS).split(x, y, groups):
        held[held_rows] = fit(x[fit_rows], y[fit_rows]).predict_proba(x[held_rows])[:, 1]
    threshold, right = best_threshold(held, y, groups, answerable)
    scope = scope_threshold(reach, [item.expect for item in items])
    final = fit(x, y)
    model = AnswerModel(final.coef_[0].astype(np.float32), float(final.intercept_[0]), threshold, FAQ_THRESHOLD, scope)
    model.save(
        args.output,
        trained_on=f"{len(items)} tuning questions ({TUNING.relative_to(PROJECT_ROOT)})",
        cross_validated_share_right=round(right, 4),
        embedding_model=embedder.model_id,
    )
    print(f"answer threshold {threshold}; cross-validated share of questions right {right:.1%}; scope {scope}")
    for name, weight in zip(FEATURES, model.weights, strict=True):
        print(f"  {name:<20} {weight:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
