"""Correct the spelling of a question against the words of the knowledge base, before it is searched for.

Worried patients type fast: "lupas stemcells wrk?". The embedding model and BM25 both read misspelt words
as different words. SymSpell looks each unknown word up among the documents' words (and the model's
vocabulary of common English words, which are never changed) within a small edit distance, and splits
run-together words ("stemcells"). Only the documents' own words are ever suggested. Triage never sees the
corrected text: it reads what the patient wrote.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from symspellpy import SymSpell, Verbosity

MIN_LENGTH = 3
"""Shorter words (and abbreviations such as "ms", "ra") are left as typed."""
MIN_SPLIT = 4
"""A run-together word is split only into words at least this long ("stemcells", not "cost its")."""
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


class Speller:
    """Built once per index generation from its texts; ``correct`` is thread-safe (lookups only)."""

    def __init__(self, knowledge_texts: Iterable[str], everyday: Iterable[str], names: Iterable[str] = ()) -> None:
        counts = Counter(w.lower() for text in knowledge_texts for w in _WORD.findall(text))
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, count in counts.items():  # only the documents' words are suggested
            self._symspell.create_dictionary_entry(word, count)
        self._documents = set(counts)
        # never changed: everyday words, and the words of condition names ("copd" is not a misspelt "cord")
        self._known = (
            self._documents | {w.lower() for w in everyday} | {w.lower() for name in names for w in _WORD.findall(name)}
        )

    def _fix(self, word: str) -> str:
        lower = word.lower()
        if len(lower) < MIN_LENGTH or lower in self._known or "'" in lower:
            return word
        distance = 1 if len(lower) <= 4 else 2
        found = self._symspell.lookup(lower, Verbosity.TOP, max_edit_distance=distance)
        if found:
            return found[0].term
        split = self._symspell.word_segmentation(lower, max_edit_distance=1)
        parts = split.corrected_string.split()
        if len(parts) > 1 and all(part in self._documents and len(part) >= MIN_SPLIT for part in parts):
            return split.corrected_string
        return word

    def correct(self, text: str) -> str:
        """``text`` with each unknown word replaced by its nearest known word, when one is near enough."""
        return _WORD.sub(lambda m: self._fix(m.group(0)), text)
