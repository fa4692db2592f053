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
from bot.answer_model import FEATURES, MODEL_FILE, RARE_NAME_SIMILARITY, AnswerModel, clinic_lead
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


def _column(name: str) -> int:
    return FEATURES.index(name)


def _relative(values: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per question: each value minus the best (gap), and minus the best of the others (lead)."""
    gap, lead = np.zeros_like(values), np.zeros_like(values)
    for g in np.unique(groups):
        rows = np.flatnonzero(groups == g)
        v = values[rows]
        order = np.argsort(-v)
        gap[rows] = v - v[order[0]]
        others = np.where(np.arange(len(v)) == order[0], v[order[1]] if len(v) > 1 else v[order[0]], v[order[0]])
        lead[rows] = v - others
    return gap, lead


def regimes(x: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The rows again as a folder without curated answers would give them, and as one whose documents have no
    headings either (a clinic's plain PDFs, MedQuAD with headings stripped): the model must rank and refuse
    well in all three, not only with the shipped FAQ."""
    no_faq = x.copy()
    no_faq[:, _column("curated")] = -1.0
    no_faq[:, _column("asked")] = no_faq[:, _column("heading")]
    bare = no_faq.copy()
    bare[:, [_column("heading"), _column("asked")]] = -1.0
    for rows in (no_faq, bare):
        rows[:, _column("asked_gap")], rows[:, _column("asked_lead")] = _relative(rows[:, _column("asked")], groups)
        rows[:, _column("clinic_lead")] = clinic_lead(
            rows[:, _column("clinic")], rows[:, _column("asked")], rows[:, _column("sentence")]
        )
    return np.vstack([x, no_faq, bare])


def fit(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(x, y)


def best_threshold(
    probability: np.ndarray, labels: np.ndarray, groups: np.ndarray, answerable: np.ndarray, similarity: np.ndarray
) -> tuple[float, float, float]:
    """The probability threshold and the similarity floor with the most questions right: the best section
    right, probable enough and close enough; or nothing right and the answer refused. Returns (threshold,
    floor, share right)."""
    tops = []
    for g in np.unique(groups):
        rows = np.flatnonzero(groups == g)
        top = rows[np.argmax(probability[rows])]
        tops.append((probability[top], similarity[top], bool(labels[top]), bool(answerable[g])))
    p, sim, ok, can = (np.array(column) for column in zip(*tops, strict=True))
    best = (-1.0, 0.5, 0.0)
    for threshold in np.arange(0.05, 0.991, 0.01):
        for floor in np.arange(0.0, 0.61, 0.02):
            answered = (p >= threshold) & (sim >= floor)
            right = float(np.mean(np.where(answered, ok, ~can)))
            if right > best[0]:
                best = (right, round(float(threshold), 2), round(float(floor), 2))
    return best[1], best[2], best[0]


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

    x, y = regimes(x, groups), np.concatenate([y, y, y])
    question = np.concatenate([groups, groups, groups])  # a question's three regimes share a fold
    size = groups.max() + 1
    groups = np.concatenate([groups, groups + size, groups + 2 * size])  # each regime answers on its own
    answerable = np.concatenate([answerable, answerable, answerable])
    held = np.zeros(len(y), dtype=np.float32)
    for fit_rows, held_rows in GroupKFold(FOLDS).split(x, y, question):
        held[held_rows] = fit(x[fit_rows], y[fit_rows]).predict_proba(x[held_rows])[:, 1]
    close = np.maximum(x[:, _column("asked")], x[:, _column("sentence")])
    close = np.maximum(close, RARE_NAME_SIMILARITY * x[:, _column("rare_coverage")])
    shipped = np.arange(len(y)) < len(y) // 3  # thresholds for the folder as shipped (documents and FAQ)
    threshold, floor, right = best_threshold(
        held[shipped], y[shipped], groups[shipped], answerable[: len(items)], close[shipped]
    )
    scope = scope_threshold(reach, [item.expect for item in items])
    final = fit(x, y)
    weights, bias = final.coef_[0].astype(np.float32), float(final.intercept_[0])
    model = AnswerModel(weights, bias, threshold, FAQ_THRESHOLD, scope, floor)
    model.save(
        args.output,
        trained_on=f"{len(items)} tuning questions ({TUNING.relative_to(PROJECT_ROOT)})",
        cross_validated_share_right=round(right, 4),
        embedding_model=embedder.model_id,
    )
    print(f"answer threshold {threshold}, similarity floor {floor}, scope {scope}; cross-validated right {right:.1%}")
    for name, weight in zip(FEATURES, model.weights, strict=True):
        print(f"  {name:<20} {weight:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
