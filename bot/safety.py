"""Triage before retrieval, input limits, and text clean-up.

Triage is an ordered list of rules (crisis, then emergency, then personal medical decisions): the first that
matches decides. Off-topic questions are not decided here: what is in scope comes from the knowledge base
itself (retrieval confidence, see ``conversation.py``), so the same code serves any clinic's documents.

Emergency patterns fire only on a person's present state, not on a general question about a risk: "I can't
see out of my left eye" is an emergency; "can stem cells cause vision loss?" is education. Crisis patterns
fire on any mention, because sending a worried person to 988 costs nothing and missing one costs a life.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.settings import Settings


class Kind(StrEnum):
    """Every kind of reply the API can give."""

    ANSWER = "answer"
    NO_ANSWER = "no_answer"
    EMERGENCY = "emergency"
    CRISIS = "crisis"
    PERSONAL_ADVICE = "personal_advice"
    OUT_OF_SCOPE = "out_of_scope"


class InputRejected(ValueError):
    """A question that cannot be processed as sent; ``status`` is the HTTP status the API answers with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_text(text: str) -> str:
    """Normalise unicode, drop control and invisible formatting characters, collapse white space."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def validate_question(text: str, settings: Settings) -> str:
    """The cleaned question, or ``InputRejected`` saying what is wrong with it."""
    if len(text) > settings.max_question_chars:
        raise InputRejected(
            413, f"question is too long: {len(text)} characters, the limit is {settings.max_question_chars}"
        )
    cleaned = clean_text(text)
    if not cleaned:
        raise InputRejected(400, "question is empty")
    return cleaned


def _normalise(text: str) -> str:
    """Lower case, straight apostrophes, punctuation to spaces: patterns then match however it was typed."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    text = re.sub(r"[^\w'\s]", " ", text)
    return " " + re.sub(r"\s+", " ", text).strip() + " "


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


CANT = r"(?:can'?t|cannot|can not|cant|couldn'?t|could not|unable to)"
SUBJECT = r"(?:i|i'm|im|i've|ive|me|my|we|our|us|he|she|they|he's|she's|hes|shes|his|her|their|mom|dad|wife|husband|son|daughter|child|friend|partner)"

CRISIS = _any(
    r"suicid",
    r"\bkill(?:ing)? (?:my ?self|myself|me)\b",
    r"\bkms\b",
    r"\bunalive",
    r"\bend (?:my|it) (?:life|all)\b",
    r"\bend it all\b",
    r"\btake my (?:own )?life\b",
    r"\b(?:want|wanna|wanting|going|ready) (?:to )?die\b",
    r"\bwish i (?:was|were) dead\b",
    r"\bbetter off dead\b",
    r"\b(?:hurt|harm|cut|cutting|burn|burning|hurting|harming) (?:my ?self|myself)\b",
    r"\bself ?harm",
    r"\bno (?:reason|point) (?:to|in|of) (?:live|living|going on|being alive|life)\b",
    r"\b(?:see|find) (?:the|any) point (?:of|in) (?:living|life|going on)\b",
    r"\bnothing (?:left )?to live for\b",
    r"\b(?:life|living) (?:is|isn'?t|is not) (?:not )?worth\b",
    r"\bnot worth living\b",
    r"\bdon'?t (?:want|wanna) (?:to )?(?:live|be alive|be here|wake up|exist)\b",
    rf"\b{CANT} (?:go on|keep going|do this anymore)\b",
    r"\bgive up on (?:life|living)\b",
    r"\boverdose on purpose\b",
)

# Red-flag symptoms. Each phrase describes a state, so it is checked against the "general question" guard.
EMERGENCY = _any(
    # chest pain, heart attack
    r"\bchest (?:pain|pains|hurts?|hurting|pressure|tightness|is tight|feels tight|feels heavy|discomfort)\b",
    r"\b(?:pain|pressure|tightness) in (?:my|his|her|the) chest\b",
    r"\bcrushing (?:chest|pain)\b",
    r"\bheart attack\b",
    r"\bheart (?:is )?(?:racing|pounding) (?:and|with)\b",
    # stroke
    r"\bface (?:is )?(?:drooping|droopy|droops|drooped)\b",
    r"\bdrooping (?:face|mouth|eye)\b",
    r"\bslurr(?:ed|ing) (?:speech|words|my words|his words|her words)?",
    rf"\b{CANT} (?:move|feel|lift|raise) (?:my|his|her) (?:arm|leg|face|hand|side)\b",
    r"\b(?:numb|numbness|weakness|weak|paralys\w*) (?:on|in|down) (?:one|the left|the right|my left|my right|left|right) (?:side|arm|leg)\b",
    r"\bone side of (?:my|his|her) (?:face|body)\b",
    r"\b(?:having|had) a stroke\b",
    r"\bstroke symptoms\b",
    rf"\b{CANT} (?:speak|talk) (?:properly|right|clearly)\b",
    # breathing
    rf"\b{CANT} (?:breathe|breath|catch (?:my|his|her) breath|get (?:enough )?air)\b",
    r"\b(?:trouble|difficulty|struggling|hard|hard time|problems?) (?:to )?breath(?:e|ing)?\b",
    r"\bshort(?:ness)? of breath\b",
    r"\b(?:gasping|choking|wheezing)\b",
    r"\b(?:not|stopped) breathing\b",
    r"\bbreathing (?:is )?(?:hard|difficult|fast and|trouble)\b",
    # anaphylaxis
    r"\b(?:throat|tongue|lips?|face|mouth) (?:is |are |feels? )?(?:swelling|swollen|swelled|closing|tight)\b",
    r"\bswelling (?:in|of) (?:my|his|her) (?:throat|tongue|lips?|face)\b",
    r"\banaphyla",
    r"\b(?:severe |bad )?allergic reaction\b",
    r"\bepi ?pen\b",
    r"\bhives (?:all over|everywhere|and)\b",
    # severe bleeding
    r"\b(?:won'?t|will not|wont|can'?t|cannot|doesn'?t|does not|isn'?t) stop(?:ping)? bleeding\b",
    r"\bbleeding (?:heavily|a lot|badly|profusely|everywhere|through|nonstop|non stop)\b",
    r"\b(?:heavy|severe|uncontrolled|lots of|a lot of) (?:bleeding|blood)\b",
    r"\bblood (?:everywhere|is (?:pouring|gushing|spurting)|pouring|gushing|spurting|soaking)\b",
    r"\b(?:soaked|soaking) (?:through )?(?:the |my )?(?:bandage|dressing|gauze)\b",
    # fainting, collapse
    r"\b(?:fainted|fainting|faint)\b",
    r"\bpass(?:ed|ing)? out\b",
    r"\bblack(?:ed|ing) out\b",
    r"\b(?:lost|losing) consciousness\b",
    r"\b(?:unconscious|unresponsive|collapsed)\b",
    r"\b(?:won'?t|wont|will not|can'?t) wake (?:him|her|them) up\b",
    r"\bseizure|convuls",
    # sudden vision loss
    r"\b(?:lost|losing|lose|lose all) (?:my |his |her |the )?(?:vision|sight|eyesight)\b",
    rf"\b{CANT} see\b",
    r"\b(?:went|going|gone|am|is) blind\b",
    r"\bsudden(?:ly)? (?:blind|blurry|blurred|dark|vision|lost)\b",
    r"\bvision (?:went|is going|is gone|has gone|loss|suddenly|turned|went black|went dark|is blurry)\b",
    r"\beverything (?:went|is|turned) (?:black|dark|blurry)\b",
    r"\bcurtain (?:over|across) (?:my|his|her) (?:eye|vision)\b",
    # overdose, poisoning
    r"\boverdos",
    r"\btook (?:too many|too much|a whole bottle|the whole bottle|double)\b",
    r"\btoo many (?:pills|tablets|capsules)\b",
    r"\bpoison",
    r"\bswallowed (?:bleach|cleaner|detergent|antifreeze|pills)\b",
)

# A high fever only counts as an emergency together with an angry injection or harvest site.
FEVER = _any(r"\bfever\b", r"\b(?:10[2-9]|39|40|41)(?: ?\w+)? ?(?:degrees|f|c)\b", r"\bburning up\b", r"\bchills\b")
ANGRY_SITE = _any(
    r"\b(?:red|hot|swollen|warm|pus|oozing|streak|streaks|infected|throbbing|angry)\b.*\b(?:injection|injected|shot|site|harvest|incision|needle|liposuction|lipo|where they)\b",
    r"\b(?:injection|injected|shot|site|harvest|incision|needle|liposuction|lipo)\b.*\b(?:red|hot|swollen|warm|pus|oozing|streak|streaks|infected|throbbing|angry)\b",
)

# A general question about a risk, with no sign that someone has the symptom now.
GENERAL_QUESTION = _any(
    r"^ (?:is|are|can|could|does|do|did|will|would|might|may|what|which|how|why|when|where|has|have|should) .*\b(?:risk|risks|side effects?|complications?|cause|causes|caused|lead to|result in|happen|happened|reported|common|likely|rare|chance|chances|warning signs|signs|symptoms|danger|dangers|dangerous|linked|associated)\b",
    r"\b(?:risk|chance|odds|danger) of\b",
    r"\bwhat (?:should|do|would) (?:i|you|we|someone|people) do if\b",
    r"\bwhen (?:should|do) (?:i|you|we|someone|people) (?:call|go|seek|get)\b",
    r"\b(?:what|which) (?:symptoms|signs)\b",
    r"\b(?:cases|reports|patients|people) (?:of|who|that|with)\b",
)
PRESENT_STATE = _any(
    r"\b(?:right now|now|currently|at the moment|since|today|tonight|this (?:morning|evening|afternoon)|yesterday|just|started|starting|keeps?|suddenly|still|getting worse|help me|please help)\b",
    r"\b(?:i|im|i'm) (?:have|having|am having|got|feel|feeling|think i|can'?t|cannot|just)\b",
    r"\b(?:i have|i've got|ive got|i've had|ive had|i am|i'm having|im having)\b",
    r"\bmy (?:\w+ )?(?:is|are|has|have|hurts?|feels?|went|won'?t)\b",
)

PERSONAL = _any(
    # dosing
    r"\b(?:dose|doses|dosage|dosing)\b",
    r"\bhow (?:much|many) (?:mg|milligrams|pills|tablets|units|cells|injections)\b",
    r"\bhow (?:much|many|often) .*\b(?:should|do|can|must) i (?:take|use|get|have|inject)\b",
    r"\b\d+ ?(?:mg|milligrams|mcg|ml)\b",
    # starting, stopping or changing a medicine
    r"\b(?:should|can|could|may|shall|must) i (?:stop|quit|start|skip|reduce|lower|increase|double|halve|cut back|come off|go off|get off|wean|taper|switch|restart|resume|take|combine|mix|keep taking|continue)\b",
    r"\b(?:is it|would it be) (?:ok|okay|safe|fine|alright|wise|a good idea|bad) (?:for me )?(?:to|if i) (?:stop|quit|start|skip|reduce|lower|increase|double|come off|go off|take|combine|mix|switch|drink|keep)\b",
    r"\b(?:stop|quit|stopping|quitting|come off|coming off|go off|going off|wean off|weaning off|taper off) (?:my|taking my)\b",
    r"\binstead of (?:my|taking my)\b",
    # is it right for me
    r"\b(?:is|would|will) (?:it|this|that|stem cells?|stem cell therapy|the treatment|this treatment|the therapy|this therapy|therapy) (?:be )?(?:right|good|safe|suitable|appropriate|a good idea|a good choice|the best option|worth it|ok|okay|work|help) for (?:me|my|him|her)\b",
    r"\b(?:am i|would i be|is he|is she|are we) (?:a )?(?:good |suitable |right |eligible )?(?:candidate|fit|eligible)\b",
    r"\bshould (?:i|my \w+) (?:get|have|do|try|go ahead|sign up|book|choose|pick|go for|consider|undergo)\b",
    r"\b(?:will|would|could|can) (?:it|this|stem cells?|the treatment|this treatment|the therapy) (?:work|help|cure|fix|heal) (?:for )?(?:me|my|him|her)\b",
    r"\bwhat (?:would|do) you (?:recommend|suggest|advise)\b",
    r"\b(?:what|which) (?:treatment|option|one) (?:should|would) (?:i|you recommend)\b",
    r"\bwhat would you do\b",
    # diagnosis
    r"\bdo (?:i|you think i) have\b",
    r"\b(?:does|could|might|can) (?:this|that|it) mean (?:i|i've|i have|he|she) (?:have|has|got|am|is)\b",
    r"\bam i (?:sick|ill|having a flare|in a flare|getting worse)\b",
    r"\b(?:diagnose|diagnosis for) me\b",
    r"\bwhat(?:'s| is) wrong with me\b",
    r"\bmy (?:test|lab|blood|mri|scan) results?\b",
)


@dataclass(frozen=True)
class Verdict:
    """Triage outcome: ``kind`` is None when the question goes on to retrieval as a normal question."""

    kind: Kind | None
    rule: str | None = None


def _is_crisis(text: str) -> bool:
    return bool(CRISIS.search(text))


def _is_emergency(text: str) -> bool:
    symptom = EMERGENCY.search(text) or (FEVER.search(text) and ANGRY_SITE.search(text))
    if not symptom:
        return False
    general = GENERAL_QUESTION.search(text) and not PRESENT_STATE.search(text)
    return not general


def _is_personal(text: str) -> bool:
    return bool(PERSONAL.search(text))


TRIAGE_RULES: list[tuple[Kind, Callable[[str], bool]]] = [
    (Kind.CRISIS, _is_crisis),
    (Kind.EMERGENCY, _is_emergency),
    (Kind.PERSONAL_ADVICE, _is_personal),
]
"""Ordered: the first rule that matches decides, so a crisis is never answered as an emergency or advice."""


def triage(question: str) -> Verdict:
    """Which safety path, if any, a (cleaned) question takes before retrieval."""
    text = _normalise(question)
    for kind, rule in TRIAGE_RULES:
        if rule(text):
            return Verdict(kind, rule.__name__.removeprefix("_is_"))
    return Verdict(None)
