"""What the patient asked: a follow-up made to stand alone, and a compound question split into its parts.

Both only change what is searched for; triage always reads the patient's own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.inputs import Turn
from bot.retrieval import tokenize

_ELLIPSIS = re.compile(
    r"^(?:and |but |so )?(?:what|how) about\s+(?P<topic>.+?)[?.!]*$|^and\s+(?P<bare>.+?)[?.!]*$", re.IGNORECASE
)
_REFERENCE = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those|he|she|there|one|ones)\b", re.IGNORECASE)
_ASKS = re.compile(
    r"^(?:what|whats|where|when|why|who|which|how|is|are|was|were|do|does|did|can|could|will|would|should|may|"
    r"might|if|isn'?t|aren'?t|they|it|that|this)\b",
    re.IGNORECASE,
)
"""How a question (not a topic) starts: "and where do they get them from" asks something new about the
previous topic, unlike "and svf?", which asks the previous question about another topic."""
FOLLOW_UP_MAX_WORDS = 10
Rarity = Callable[[str], float]
Topical = Callable[[str], bool]


def _topic_word(text: str, rarity: Rarity) -> str | None:
    """The word of ``text`` that most names its topic (rare, and used in headings): "MSCs" in "what are MSCs"."""
    words = re.findall(r"[\w'-]+", text)
    scored = [(rarity(tokens[0]), word) for word in words if (tokens := tokenize(word))]
    return max(scored)[1] if scored else None


def condense(
    question: str, history: Sequence[Turn], rarity: Rarity | None = None, topical: Topical | None = None
) -> str:
    """Make a short follow-up stand alone, using the patient's previous question.

    - "what about lupus?" after "does it work for MS?" becomes "does it work for lupus?": the previous
      question's topic word is replaced by the new topic (``rarity`` says which word names the topic);
    - "is it safe?" after "what are MSCs?" becomes "is it safe? MSCs": the follow-up keeps what it asks and
      takes the topic of the previous question, so the answer is about safety, not MSCs again. The same for
      a short follow-up that names no topic of its own ("what if the site gets red?"), when ``topical`` says
      which words name a topic.
    Questions that stand on their own pass through unchanged.
    """
    previous = next((turn.content for turn in reversed(history) if turn.role == "user" and turn.content.strip()), None)
    if previous is None or len(question.split()) > FOLLOW_UP_MAX_WORDS:
        return question
    ellipsis = _ELLIPSIS.match(question.strip())
    if ellipsis and ellipsis.group("bare") and _ASKS.match(ellipsis.group("bare")):
        ellipsis = None
    if ellipsis and rarity is not None:
        topic = ellipsis.group("topic") or ellipsis.group("bare")
        word = _topic_word(previous, rarity)
        return re.sub(rf"\b{re.escape(word)}\b", topic, previous, count=1) if word else f"{previous} {topic}"
    no_topic = topical is not None and not any(topical(term) for term in tokenize(question))
    if rarity is not None and not no_topic:  # it names only an aspect ("the risks"), not a topic rarer than ours
        own, theirs = _topic_word(question, rarity), _topic_word(previous, rarity)
        no_topic = bool(theirs) and (own is None or rarity(tokenize(own)[0]) < rarity(tokenize(theirs)[0]))
    if ellipsis or _REFERENCE.search(question) or no_topic:
        word = _topic_word(previous, rarity) if rarity is not None else None
        return f"{question} {word}" if word else f"{previous} {question}"
    return question


_PART_BREAK = re.compile(
    r"\?+\s*|(?<=[a-z])[.;!]\s+|\s+(?:and also|also|plus|as well as|another question|one more thing)[,:]?\s+"
    r"|,?\s+(?:and|or|but)\s+(?=(?:what|how|is|are|can|could|do|does|did|will|would|who|where|when|why|which|"
    r"should|whats|hows)\b)",
    re.IGNORECASE,
)
_CONJUNCTION = re.compile(r"\s+(?:and|or|&|plus)\s+|\s*[,/+&]\s*")
_WORD = re.compile(r"[^\W\d_]{2,}")


def question_parts(question: str) -> list[str]:
    """The separate questions in one message ("risks and cost?", "is it safe? how much is it", "can it blind
    you or cause tumors"), or [] when it asks one thing. A part that nothing answers ("hi, sorry to bother
    you"), or that the whole question already answers, is dropped later."""
    pieces = [p.strip(" ,") for p in _PART_BREAK.split(question) if p and p.strip(" ,")]
    pieces = [p for p in pieces if _WORD.search(p)]
    if len(pieces) == 1:
        halves = [p.strip(" ?,.") for p in _CONJUNCTION.split(question, maxsplit=1)]
        if len(halves) == 2 and all(tokenize(h) for h in halves):
            pieces = halves
    return pieces if len(pieces) > 1 else []
