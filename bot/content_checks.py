"""Checks on the clinic's content itself, run at every ingest: curated answers supported by what they cite,
and how hard each document is to read.

Pure functions over text and vectors: the caller passes in how to embed (``Encode``), so the checks are
tested on real text with the real model and the ingest can serve the vectors from its cache.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bot.chunking import NON_ANSWER_SECTIONS, split_sentences, split_source_lines
from bot.documents import SourceDocument
from bot.faq import FaqEntry
from bot.sanitize import plain_text

with warnings.catch_warnings():  # textstat 0.7.4 imports the deprecated pkg_resources
    warnings.simplefilter("ignore")
    import textstat

Encode = Callable[[list[str]], np.ndarray]
"""Texts to unit vectors (an ``Embedder.encode``, or a cached one)."""

SUPPORT_THRESHOLD = 0.6
"""A curated answer's sentence counts as supported when its cosine similarity to the nearest passage of the
section it cites (one to ``WINDOW`` consecutive sentences) is at least this.

Measured on the shipped FAQ (154 answer sentences, docs/content-checks.md): the sentences that restate their
section score 0.71 to 1.00; those that say something the section does not (a claim from elsewhere, a denial of
what it lists, a bare "The evidence is limited.") score 0.42 or less. 0.6 sits in that gap.
What it cannot see: similarity measures topic, not truth, so a sentence that contradicts its section in
the section's own words ("most insurance plans pay in full", "stem cells cure lupus") still passes. It
catches answers that drift away from their source, not false claims on the section's subject; staff review
remains the check for those.
"""
WINDOW = 3
"""An answer sentence often condenses two or three sentences of its section ("cases include A, B and C"):
it is compared with runs of up to this many consecutive sentences as well as with each one."""
MIN_WORDS = 3
"""Shorter fragments ("No.", "Yes, often.") carry no claim of their own and are not checked."""
_TRAILING_PUNCTUATION = re.compile(r"[.!?:;]['\"”’)\]]*$")


@dataclass(frozen=True)
class UnsupportedSentence:
    """A sentence of a curated answer that no sentence of its cited section is close to."""

    sentence: str
    similarity: float  # to the nearest passage of the section
    nearest: str | None  # that passage


@dataclass(frozen=True)
class SupportProblem:
    """An FAQ entry whose answer is not (entirely) backed by the section it cites."""

    entry_id: str
    source: str
    section: str | None
    missing: bool  # the cited document or section is not there at all
    sentences: tuple[UnsupportedSentence, ...] = ()

    def line(self) -> str:
        """One report line staff can act on."""
        where = f"{self.source}" + (f" › {self.section}" if self.section else "")
        if self.missing:
            return f"faq.yaml entry '{self.entry_id}' cites {where}, which does not exist; fix the section name"
        first = self.sentences[0]
        return (
            f"faq.yaml entry '{self.entry_id}': \"{first.sentence}\" is not supported by {where} "
            f"(similarity {first.similarity:.2f} to its closest passage, needs {SUPPORT_THRESHOLD:.2f})"
            + (f", and {len(self.sentences) - 1} more sentence(s)" if len(self.sentences) > 1 else "")
        )


def claim_sentences(text: str) -> list[str]:
    """The sentences of a text that state something: Markdown reduced to words, fragments dropped."""
    return [s for s in split_sentences(plain_text(text)) if len(s.split()) >= MIN_WORDS]


def passages(sentences: Sequence[str], window: int = WINDOW) -> list[str]:
    """Each sentence, then each run of 2..``window`` consecutive sentences."""
    runs = [
        " ".join(sentences[i : i + size]) for size in range(2, window + 1) for i in range(len(sentences) - size + 1)
    ]
    return [*sentences, *runs]


def check_support(
    entries: Sequence[FaqEntry],
    section_text: Callable[[FaqEntry], str | None],
    encode: Encode,
    threshold: float = SUPPORT_THRESHOLD,
) -> list[SupportProblem]:
    """Entries whose answer has a sentence no passage of its cited section supports, or whose section is gone.

    ``section_text`` gives the text an entry cites (its section, or the whole document when it names none),
    or None when that is not there. All sentences are embedded in one ``encode`` call.
    """
    cited: dict[str, list[str]] = {}
    answers: dict[str, list[str]] = {}
    problems: dict[str, SupportProblem] = {}
    for entry in entries:
        text = section_text(entry)
        if text is None:
            problems[entry.id] = SupportProblem(entry.id, entry.source, entry.section, missing=True)
            continue
        cited[entry.id] = passages(claim_sentences(text) or [text])
        answers[entry.id] = claim_sentences(entry.answer)
    texts = list(dict.fromkeys(s for group in (*cited.values(), *answers.values()) for s in group))
    vectors = dict(zip(texts, encode(texts), strict=True)) if texts else {}
    for entry in entries:
        if entry.id in problems or not answers.get(entry.id):
            continue
        section = np.stack([vectors[s] for s in cited[entry.id]])
        weak = []
        for sentence in answers[entry.id]:
            sims = section @ vectors[sentence]
            best = int(np.argmax(sims))
            if float(sims[best]) < threshold:
                weak.append(UnsupportedSentence(sentence, round(float(sims[best]), 3), cited[entry.id][best]))
        if weak:
            problems[entry.id] = SupportProblem(entry.id, entry.source, entry.section, False, tuple(weak))
    return [problems[entry.id] for entry in entries if entry.id in problems]


def section_texts(pieces: Iterable[tuple[str, str | None, str]]) -> Callable[[FaqEntry], str | None]:
    """An entry -> cited text lookup over (document path, section heading, text) pieces in reading order.

    An entry without a section cites its whole document.
    """
    by_section: dict[tuple[str, str | None], list[str]] = {}
    by_document: dict[str, list[str]] = {}
    for path, heading, text in pieces:
        by_section.setdefault((path, heading), []).append(text)
        by_document.setdefault(path, []).append(text)

    def lookup(entry: FaqEntry) -> str | None:
        if entry.section is None:
            found = by_document.get(entry.source)
        else:
            found = by_section.get((entry.source, entry.section))
        return "\n\n".join(found) if found else None

    return lookup


def _answer_text(heading: str | None, text: str) -> str | None:
    """A section's text as the index holds it: no "Source: [..](url)" lines; None for a reference list."""
    if heading and heading.strip().lower() in NON_ANSWER_SECTIONS:
        return None
    return split_source_lines(text)[0]


def document_pieces(docs: Iterable[SourceDocument]) -> list[tuple[str, str | None, str]]:
    """(path, section heading, text) for every section of some loaded documents, as the ingest chunks them:
    reference lists and a section's "Source:" lines left out (they name studies; they state nothing)."""
    return [
        (doc.path, section.heading, text)
        for doc in docs
        for section in doc.sections
        if (text := _answer_text(section.heading, section.text))  # a section of nothing but its sources: no chunk
    ]


def readable_body(doc: SourceDocument) -> str:
    """A document's prose for a reading grade: no front matter, no headings, no reference lists or "Source:"
    lines.

    List items and lines become sentences of their own (a list without full stops would otherwise read as
    one endless sentence), and Markdown is reduced to its words.
    """
    sentences: list[str] = []
    for section in doc.sections:
        text = _answer_text(section.heading, section.text)
        if text is None:
            continue
        for sentence in split_sentences(plain_text(text)):
            sentences.append(sentence if _TRAILING_PUNCTUATION.search(sentence) else sentence + ".")
    return " ".join(sentences)


def reading_grade(text: str) -> float | None:
    """The Flesch-Kincaid grade level of some prose (US school grade), or None for text with no words."""
    if not re.search(r"[A-Za-z]{2,}", text):
        return None
    return round(float(textstat.flesch_kincaid_grade(text)), 1)


def document_grades(docs: Iterable[SourceDocument]) -> dict[str, float | None]:
    """Document path -> Flesch-Kincaid grade of its body."""
    return {doc.path: reading_grade(readable_body(doc)) for doc in docs}


def describe_grades(grades: Mapping[str, float | None]) -> list[str]:
    """Report lines, hardest document first."""
    known = sorted(((g, p) for p, g in grades.items() if g is not None), reverse=True)
    return [f"GRADE   {path}: reading grade {grade:.1f} (Flesch-Kincaid)" for grade, path in known]
