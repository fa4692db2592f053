"""Questions about the clinic itself (hours, place, people, its own prices and procedures): the documents never
answer them, and a section that shares a word with one is not its answer.

``bot/data/clinic_questions.yaml`` holds ways of asking them; how close a patient's question comes to the nearest
one is a feature of the answer model (``answer_model.FEATURES``: "clinic"), which learns how much it should
lower every section's chance of answering.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.faq import read_yaml

CLINIC_QUESTIONS_FILE = Path(__file__).parent / "data" / "clinic_questions.yaml"


def read_clinic_questions(path: Path = CLINIC_QUESTIONS_FILE) -> tuple[str, ...]:
    data = read_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(p, str) for p in data.get("phrasings", ())):
        raise ValueError(f"{path}: expected a list of strings under 'phrasings'")
    return tuple(p.strip() for p in data["phrasings"] if p.strip())


def closeness(phrasing_vectors: np.ndarray, vector: np.ndarray) -> float:
    """Cosine of the question with the nearest way of asking about the clinic itself (-1: none)."""
    return float((phrasing_vectors @ vector).max()) if len(phrasing_vectors) else -1.0
