"""Train the topic model (``bot/data/topic_model.json``): is a question about health or the clinic at all?

    .venv/bin/python -m bench.topic_train

About health or the clinic (1): MedQuAD questions, information questions about symptoms, clinic logistics and
past events (``bench/data/triage/benign-extra.jsonl``), the composed English triage messages, the tuning part
of the labelled patient questions that expect an answer or "not covered", and the ways of asking about the
clinic itself (``bot/data/clinic_questions.yaml``). Not (0): the everyday messages of ``benign-extra.jsonl``
and the tuning questions labelled ``out_of_scope``. The hand-written triage probes (``probes.yaml``) are the
development set: never trained on, they report how the model does on messages unlike the training ones. The
frozen test parts are never read here. The threshold is the highest that keeps 99% of the on-topic messages on
topic in cross-validated predictions.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from bench.triage_train import embed
from bot.clinic_questions import read_clinic_questions
from bot.embedding import Embedder
from bot.index import EmbeddingCache
from bot.inputs import clean_text
from bot.settings import PROJECT_ROOT, Settings
from bot.topic_model import MODEL_FILE, TopicModel

TRIAGE = PROJECT_ROOT / "bench" / "data" / "triage"
QUESTIONS = PROJECT_ROOT / "bench" / "data" / "questions" / "tuning.jsonl"
ON_TOPIC_GROUPS = ("info_symptom", "logistics", "past_event")
C = 1.0
ON_TOPIC_KEPT = 0.99
FOLDS = 5


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def training_texts() -> tuple[list[str], np.ndarray]:
    """Texts and labels (1: about health or the clinic), without repeats."""
    on, off = [], []
    on += [r["text"] for r in _jsonl(TRIAGE / "medquad-benign.jsonl")]
    on += [r["text"] for r in _jsonl(TRIAGE / "tuning.jsonl") if r["lang"] == "en"]
    for r in _jsonl(TRIAGE / "benign-extra.jsonl"):
        if r["lang"] == "en" and r["group"] in ON_TOPIC_GROUPS:
            on.append(r["text"])
        elif r["lang"] == "en" and r["group"] == "off_topic":
            off.append(r["text"])
    for r in _jsonl(QUESTIONS):
        (off if r["expect"] == "out_of_scope" else on).append(r["question"])
        on += r["history"]
    on += read_clinic_questions()
    texts, labels, seen = [], [], set()
    for label, group in ((0, off), (1, on)):  # an everyday message also written as a follow-up stays everyday
        for text in group:
            key = clean_text(text).lower()
            if key not in seen:
                seen.add(key)
                texts.append(clean_text(text))
                labels.append(label)
    return texts, np.array(labels)


def development_texts() -> tuple[list[str], np.ndarray]:
    probes = yaml.safe_load((TRIAGE / "probes.yaml").read_text(encoding="utf-8"))["probes"]
    kept = [p for p in probes if p["label"] != "injection"]
    return [clean_text(p["q"]) for p in kept], np.array([int(p["label"] != "out_of_scope") for p in kept])


def best_threshold(probability: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The highest threshold that keeps ``ON_TOPIC_KEPT`` of the on-topic messages on topic (a patient's question
    taken for small talk loses the clinic's contact; small talk taken for a question only gets it), and the
    share of everyday messages it catches."""
    best = (0.05, 0.0)
    for threshold in np.arange(0.05, 0.96, 0.01):
        said_on = probability >= threshold
        if said_on[labels == 1].mean() >= ON_TOPIC_KEPT:
            best = (round(float(threshold), 2), float((~said_on[labels == 0]).mean()))
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    settings = Settings()
    embedder = Embedder("torch", cache_dir=settings.model_cache_dir).load()
    texts, labels = training_texts()
    dev_texts, dev_labels = development_texts()
    cache = EmbeddingCache(settings.data_dir / "cache" / "triage-training.sqlite3")
    try:
        x, dev_x = embed(embedder, texts, cache), embed(embedder, dev_texts, cache)
    finally:
        cache.close()
    regression = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    held = cross_val_predict(regression, x, labels, cv=folds, method="predict_proba")[:, 1]
    threshold, caught = best_threshold(held, labels)
    final = regression.fit(x, labels)
    model = TopicModel(final.coef_[0].astype(np.float32), float(final.intercept_[0]), threshold, embedder.model_id)
    dev_on = model.probability(dev_x) >= threshold
    dev_right = (dev_on == (dev_labels == 1)).mean()
    missed_off = [t for t, on, y in zip(dev_texts, dev_on, dev_labels, strict=True) if on and y == 0]
    missed_on = [t for t, on, y in zip(dev_texts, dev_on, dev_labels, strict=True) if not on and y == 1]
    model.save(
        args.output,
        trained_on=f"{int(labels.sum())} on-topic and {int((labels == 0).sum())} everyday messages",
        cross_validated_everyday_caught=round(caught, 4),
        development_accuracy=round(float(dev_right), 4),
    )
    print(f"threshold {threshold}; cross-validated: {ON_TOPIC_KEPT:.0%} of on-topic kept, {caught:.1%} of everyday")
    print(f"development messages decided right: {dev_right:.1%}")
    print(f"development everyday messages taken as on-topic: {missed_off[:10]}")
    print(f"development on-topic messages taken as everyday: {missed_on[:10]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
