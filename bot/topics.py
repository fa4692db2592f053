"""Conditions a question names that the knowledge base never mentions.

"Does stem cell therapy work for Hashimoto's?" is close in meaning to the section on autoimmune disease in
general, so retrieval alone would answer it with that section, as if it were about Hashimoto's. The honest
reply is that the clinic's materials don't cover Hashimoto's. This module knows about three thousand
condition names (``bot/data/conditions.txt``, from MedQuAD) and, per index generation, which of them the
documents mention: a question naming one they don't gets "not covered", whatever else it is close to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.retrieval import expand_lay_terms, tokenize, tokenize_many

CONDITIONS_FILE = Path(__file__).parent / "data" / "conditions.txt"
SHORT_COMMON_WORD = 6
"""A one-word name this short that is also an everyday word ("stress", "falls", "fever") is left out: in a
question it is more often the everyday word than the condition."""
GENERIC_HEADS = frozenset({"diseas", "syndrom", "disord", "deficienc", "type"})


def read_conditions(path: Path = CONDITIONS_FILE) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]


@dataclass(frozen=True)
class _Name:
    tokens: tuple[str, ...]
    display: str


class TopicCoverage:
    """Built once per index generation from the words of its documents and FAQ."""

    def __init__(
        self, knowledge_texts: Iterable[str], names: Sequence[str], everyday: frozenset[str] = frozenset()
    ) -> None:
        self.known = frozenset(term for tokens in tokenize_many(list(knowledge_texts)) for term in tokens)
        entries: dict[tuple[str, ...], str] = {}
        for name, tokens in zip(names, tokenize_many(list(names)), strict=True):
            for variant in self._variants(name, tuple(tokens)):
                if variant and not set(variant) <= self.known and not self._everyday(variant, name, everyday):
                    entries.setdefault(variant, name)
        self._names = sorted((_Name(t, d) for t, d in entries.items()), key=lambda n: -len(n.tokens))

    def _variants(self, name: str, tokens: tuple[str, ...]) -> Iterable[tuple[str, ...]]:
        """The name, and its distinctive word alone: "hashimoto's thyroiditis" → "hashimoto", "celiac disease"
        → "celiac" (only when that word says nothing else in the documents)."""
        yield tokens
        if "'s" in name and tokens:
            yield tokens[:1]
        distinctive = tuple(t for t in tokens if t not in GENERIC_HEADS)
        if len(distinctive) == 1 and len(tokens) > 1:
            yield distinctive

    @staticmethod
    def _everyday(variant: tuple[str, ...], name: str, everyday: frozenset[str]) -> bool:
        word = name.split()[0] if len(variant) == 1 else ""
        return len(variant) == 1 and len(word) <= SHORT_COMMON_WORD and word in everyday

    def uncovered(self, question: str) -> str | None:
        """The longest condition name in the question that no document mentions, if there is one."""
        words = tokenize(expand_lay_terms(question))
        if not words:
            return None
        text = f" {' '.join(words)} "
        for name in self._names:
            if f" {' '.join(name.tokens)} " in text:
                return name.display[:1].upper() + name.display[1:]
        return None
