"""The precise layer of triage: patterns that say exactly why they fired.

Emergency patterns fire only on a person's present state, not on a general question about a risk, a
hypothetical or a past event: "I can't see out of my left eye" is an emergency; "can stem cells cause vision
loss?", "what should I do if I faint?" and "I had a stroke years ago" are education. Crisis patterns fire on
any mention, because sending a worried person to 988 costs nothing and missing one costs a life.

English only: Spanish and phrasings no pattern anticipated are the classifier's (``bot.triage.classifier``).
"""

from __future__ import annotations

import re

_DOES_TYPED_DOSE = re.compile(
    r"\bdose (?=(?:it|this|that|the|he|she|they|anyone|anybody|everyone|insurance|medicare|medicaid|stem|hsct|ahsct|"
    r"mscs?|treatment|therapy)\b)"
)
""""dose" where "does" was meant, before a subject ("how much dose it cost"): a phone's autocorrect slip that
would otherwise read as a question about a dose."""


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, punctuation to spaces, "dose it" as "does it": patterns then match
    however it was typed."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    text = re.sub(r"[^\w'\s]", " ", text)
    text = _DOES_TYPED_DOSE.sub("does ", re.sub(r"\s+", " ", text))
    return " " + text.strip() + " "


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


CANT = r"(?:can'?t|cannot|can not|cant|couldn'?t|could not|unable to)"
SELF = r"(?:my ?self|him ?self|her ?self|them ?sel(?:f|ves)|urself|yourself)"
WHO = r"(?:my|his|her|their|the)"
RISK_SUBJECT = (
    r"it|this|that|they|these|those|cells|treatment|procedure|transplant|chemo|infusion|injection|therapy|hsct|"
    r"ahsct|drug|drugs|shot|shots|side effects|surgery|liposuction"
)
"""Subjects of "could <subject> kill me?": the treatment, whose risks the documents describe."""
MEDS = r"(?:pills?|tablets?|meds|medicines?|medications?|capsules|painkillers|sleeping pills|opioids|oxy\w*)"

CRISIS = _any(
    # suicide, also misspelt ("sucidal", "suiside")
    r"\bsu[ie]?[cs]+[ie]?d",
    r"\bkill my ?self\b",
    # "kill me", but not a question whether the treatment could ("could it kill me", "can the infusion kill me"):
    # that is a question about risk, answered from the documents
    rf"^ kill me\b|(?<=\s)(?!(?:{RISK_SUBJECT}) )[\w']+ kill me\b",
    rf"\bkill(?:ing|ed)? {SELF}",
    r"\bkms\b",
    r"\bunaliv",
    r"\b(?:end|ending|ended) (?:it|it all|things|everything|my life|his life|her life|their life|my own life)\b",
    r"\btake (?:my|his|her|their) (?:own )?life\b",
    rf"\bhang(?:ing)? {SELF}",
    r"\b(?:want|wanna|wants|wanting|going|ready|about) (?:to )?die\b",
    r"\b(?:ways?|how) to die\b|\btake to die\b|\bpainless (?:way|method)\b",
    r"\b(?:rather|better off|wish (?:i|he|she) (?:was|were)|want to be|wanna be) (?:be )?dead\b",
    r"\bbetter off (?:without (?:me|him|her|them)\b|if (?:i|he|she)\b(?: [\w']+){0,3} (?:here|around|gone|alive|born)\b)",
    r"\b(?:happier|easier) (?:if|when|without) (?:i|he|she|me|him|her)\b(?: [\w']+){0,2} (?:gone|dead|here|around)\b",
    r"\bif i (?:died|was dead|were dead|was gone|were gone|disappeared|wasn'?t here|weren'?t here|wasn'?t around)\b",
    r"\bdisappear (?:forever|for good|permanently)\b",
    # self-harm
    rf"\b(?:hurt|harm|cut|cutting|burn|burning|hurting|harming|injure|injuring|punish|punishing) {SELF}",
    r"\bself ?harm",
    r"\bwith a (?:lighter|razor|blade)\b",
    # no reason to live, wanting it over
    r"\bno (?:reason|point) (?:to|in|of|for) (?:me to )?(?:keep )?(?:live|living|go on|going on|being alive|life|stay alive|staying alive)\b",
    r"\bpoint (?:of|in) (?:living|life|going on|being alive|being here|carrying on|it all|staying alive)\b",
    r"\bnothing (?:left )?to live for\b",
    r"\b(?:life|living) (?:is|isn'?t|is not) (?:not )?worth\b",
    r"\bnot worth living\b",
    r"\b(?:don'?t|doesn'?t|do not|does not|dont|doesnt) (?:want|wanna|wants) (?:to )?(?:live|be alive|be here|wake up|exist|be around)\b",
    r"\b(?:never|not) (?:to )?wake up\b",
    r"\b(?:tired|sick|weary) of (?:living|life|being alive)\b",
    r"\bdone (?:with life|with living|living)\b",
    rf"\b{CANT} (?:go on|keep going|do this anymore|take (?:it|this|life) anymore)\b",
    r"\bgive up on (?:life|living)\b",
    r"\bwant (?:it|this|everything|my life)(?: all)? to (?:be over|end)\b",
    r"\bno way out\b",
    r"\b(?:i'?m|im|i am|feel like) a burden\b",
    # preparations, goodbyes, means
    r"\bgoodbye (?:letters?|notes?)\b|\bsaying goodbye to (?:everyone|people|my)\b",
    r"\bgiving away (?:all )?(?:my|his|her) (?:things|stuff|belongings|possessions)\b",
    rf"\b(?:saving|stockpiling|hoarding|collecting) (?:up )?(?:my |his |her )?{MEDS}",
    rf"\b{MEDS} (?:are )?(?:lined up|counted out)\b",
    rf"\b(?:take|taking|took|swallow|swallowing|swallowed) (?:all|every one) (?:of )?{WHO} (?:\w+ )?{MEDS}",
    r"\b(?:jump|jumping) (?:off|from) (?:a|the) (?:bridge|building|roof|cliff|balcony)\b",
    r"\bin front of (?:a|the) (?:train|bus|truck)\b",
    r"\b(?:should|want to|wanna|going to|gonna|plan to|planning to|thinking (?:about|of)|think about) (?:just )?(?:overdos\w*|od)\b",
    r"\boverdos\w* on purpose\b|\b(?:took|taken|swallowed|overdosed)\b.*\b(?:on purpose|deliberately|intentionally)\b",
)

# Red-flag symptoms. Each phrase describes a state, so it is checked against the general-question guards.
EMERGENCY = _any(
    # chest pain, heart attack
    r"\bchest\b(?: \w+){0,3} (?:pain|pains|hurts?|hurting|pressure|tight|tightness|heavy|heaviness|squeez\w*|crushing|aches?|aching|killing me|discomfort)\b",
    rf"\b(?:pain|pressure|tightness|squeezing|heaviness|weight) (?:in|on) {WHO} chest\b",
    r"\bcrushing (?:chest|pain)\b",
    rf"\b(?:clutch|grabb|hold)\w* {WHO} chest\b",
    r"\bheart attack\b",
    r"\bheart (?:is )?(?:racing|pounding) (?:and|with)\b",
    rf"\b(?:pain|pressure|tightness)\b(?: \w+){{0,4}} (?:into|to|down|up|through) {WHO} (?:jaw|left arm|arm|neck|back)\b",
    # stroke
    r"\b(?:face|mouth|smile|lip|eye) (?:\w+ )?(?:is |looks? |went |seems )?(?:drooping|droopy|droops|drooped|crooked|lopsided|slanted|uneven)\b",
    r"\bdrooping (?:face|mouth|eye)\b",
    r"\bslurr(?:ed|ing)\b",
    rf"\b{CANT} (?:move|feel|lift|raise|use) {WHO} (?:\w+ )?(?:arm|leg|face|hand|side)\b",
    r"\b(?:numb|numbness|weakness|weak|paralys\w*|tingling) (?:on|in|down) (?:one|the left|the right|my left|my right|left|right|his left|his right|her left|her right) (?:side|arm|leg)\b",
    r"\b(?:one|left|right) side of (?:my|his|her|the) (?:face|body)\b|\bhalf (?:of )?(?:my|his|her) (?:face|body)\b",
    r"\bon the (?:right|left)\b(?: \w+){0,3} (?:weak|numb|limp|dead|heavy)\b|\b(?:weak|numb|limp)\b(?: \w+){0,3} on (?:the|my|his|her) (?:right|left)\b",
    r"\b(?:having|had|has) a stroke\b",
    r"\bstroke symptoms\b",
    rf"\b{CANT} (?:speak|talk) (?:properly|right|clearly|straight)\b",
    r"\b(?:words|speech) (?:is |are )?(?:coming out )?(?:wrong|jumbled|garbled|slurred|weird|strange|gibberish)\b",
    rf"\b(?:{CANT}|struggling to) (?:find|get out|get) {WHO} words\b",
    r"\b(?:worst|thunderclap) headache\b",
    r"\b(?:is|are|he's|she's|i'm|im|am|seems|suddenly|got|feel|feels|and) (?:very |really |so |all |suddenly )?confused\b",
    # breathing
    rf"\b{CANT} (?:breathe|breath|catch (?:my|his|her) breath|get (?:enough )?(?:air|a breath)|get air in)\b",
    r"\b(?:trouble|difficulty|struggling|hard|hard time|problems?) (?:to )?breath(?:e|ing)?\b",
    r"\bshort(?:ness)? of breath\b",
    r"\b(?:gasping|choking|wheezing|suffocat\w*)\b",
    r"\b(?:not|stopped|isn'?t|is not|wasn'?t) breathing\b",
    r"\bbreathing (?:is )?(?:really |very |so )?(?:hard|difficult|labou?red|shallow|fast and|trouble)\b",
    r"\b(?:feel|feels) like (?:i'?m|im|i am|he'?s|she'?s) (?:drowning|suffocating|choking)\b",
    r"\b(?:turning|turned|going|gone|look|looks|are|is) (?:blue|purple|grey|gray)\b",
    # anaphylaxis
    r"\b(?:throat|tongue|lips?|face|mouth|eyes?) (?:is |are |feels? )?(?:swelling|swollen|swelled|closing|tight|puffing|puffy|blowing up|blew up)\b",
    rf"\bswelling (?:in|of) {WHO} (?:throat|tongue|lips?|face)\b",
    r"\banaphyla",
    r"\b(?:severe |bad )?allergic reaction\b",
    r"\bepi ?pen\b",
    r"\bhives (?:all over|everywhere|and)\b|\bbroke out in hives\b",
    # severe bleeding
    r"\b(?:won'?t|will not|wont|can'?t|cannot|doesn'?t|does not|isn'?t|not) stop(?:ping)? (?:the )?bleeding\b",
    r"\b(?:bleeding|blood)\b(?: \w+){0,8} (?:won'?t|will not|wont|can'?t|cannot|doesn'?t|not) (?:get it to )?stop\b",
    r"\bbleeding (?:heavily|a lot|badly|profusely|everywhere|through|nonstop|non stop)\b",
    r"\b(?:heavy|severe|uncontrolled|lots of|a lot of|so much) (?:bleeding|blood)\b",
    r"\bblood (?:everywhere|is (?:pouring|gushing|spurting)|pouring|gushing|spurting|soaking)\b",
    r"\b(?:soaked|soaking) (?:through )?(?:the |my )?(?:bandage|dressing|gauze)\b",
    r"\b(?:cough\w*|vomit\w*|throw\w* up|spit\w*|puk\w*) (?:up )?blood\b",
    # fainting, collapse
    r"\b(?:fainted|fainting|faint)\b",
    r"\bpass(?:ed|ing)? out\b",
    r"\bblack(?:ed|ing) out\b",
    r"\b(?:lost|losing) consciousness\b",
    r"\b(?:unconscious|unresponsive|collapsed)\b",
    r"\b(?:isn'?t|not|is not|stopped) respond\w*\b",
    r"\b(?:won'?t|wont|will not|can'?t|cannot) wake (?:him|her|them) up\b",
    r"\bseizure|convuls",
    # sudden vision loss
    r"\b(?:lost|losing|lose|lose all) (?:my |his |her |the )?(?:vision|sight|eyesight)\b",
    rf"\b(?:{CANT}|can barely|can hardly|barely|hardly) see\b",
    r"\b(?:went|going|gone|am|is) blind\b",
    r"\bsudden(?:ly)? (?:blind|blurry|blurred|dark|vision|lost)\b",
    r"\bvision (?:went|is going|is gone|has gone|loss|suddenly|turned|went black|went dark|is blurry)\b",
    r"\b(?:everything|it) (?:went|is|turned|going) (?:black|dark|blurry)\b",
    r"\bcurtain\b(?: \w+){0,3} (?:over|across|down|in front of)\b",
    r"\b(?:seeing double|double vision)\b",
    # overdose, poisoning
    r"\boverdos",
    r"\btook (?:too many|too much|a whole bottle|the whole bottle|double)\b",
    rf"\btoo many {MEDS}",
    r"\bpoison",
    r"\b(?:took|taken|take|swallowed|ate|had) (?:a |an |my |his |her )?(?:double|extra|triple|whole|entire) (?:dose|doses|bottle|pack|packet|week|month|handful|box)",
    rf"\b(?:swallowed|ate|eaten|drank|drunk|got into)\b(?: \w+){{0,3}} (?:{MEDS}|bleach|cleaner|cleaning \w+|detergent|antifreeze|chemicals?|battery|batteries|medicine cabinet)\b",
    r"\b(?:accidentally|by accident|by mistake|mistakenly)\b.*\b(?:took|taken|swallowed|ate|drank|double|twice)\b|\b(?:took|taken|swallowed)\b.*\b(?:by mistake|by accident|twice)\b",
    rf"\bmixed up (?:my|his|her) {MEDS}",
    r"\b(?:took|taken|swallowed|had)\b(?: [\w']+){0,6} instead of (?:\d+|one|two|a single|just one)\b",
)

# A high fever only counts as an emergency together with an angry injection or harvest site.
FEVER = _any(
    r"\bfever(?:ish)?\b",
    r"\b(?:10[2-9]|39|40|41)(?: \d)? ?(?:degrees|deg|f|c|fever)\b",
    r"\b(?:temp|temperature) (?:of |is |was )?(?:10[1-9]|3[89]|4[01])\b",
    r"\bhigh temp(?:erature)?\b",
    r"\bburning up\b",
    r"\bchills\b",
)
ANGRY_SITE = _any(
    r"\b(?:red|hot|swollen|warm|pus|oozing|streak|streaks|infected|throbbing|angry)\b.*\b(?:injection|injected|shot|site|harvest|incision|needle|liposuction|lipo|where they)\b",
    r"\b(?:injection|injected|shot|site|harvest|incision|needle|liposuction|lipo)\b.*\b(?:red|hot|swollen|warm|pus|oozing|streak|streaks|infected|throbbing|angry)\b",
)

# A general question about a risk or a disease, with no sign that someone has the symptom now.
GENERAL_QUESTION = _any(
    r"^ (?:is|are|can|could|does|do|did|will|would|might|may|what|which|how|why|when|where|has|have|should) .*\b(?:risk|risks|side effects?|complications?|cause|causes|caused|lead to|result in|happen|happened|reported|common|likely|rare|chance|chances|warning signs|signs?|symptoms?|danger|dangers|dangerous|linked|associated|affect|affects|make (?:it|you|people|patients|someone)|give (?:you|people|patients)|trigger|triggers|help|helps|repair|repairs|treat|treats|cure|heal|fix|prevent|reverse|recovery|mean|means)\b",
    r"\b(?:risk|chance|odds|danger) of\b",
    r"\bwhat (?:should|do|would) (?:i|you|we|someone|people) do if\b",
    r"\b(?:when|who|where) (?:should|do|can) (?:i|you|we|someone|people) (?:call|go|seek|get|contact|ring|turn)\b",
    r"\b(?:what|which) (?:symptoms|signs)\b",
    r"\b(?:cases|reports|patients|people) (?:of|who|that|with)\b",
    r"^ (?:has|have|did|does|do) (?:anyone|anybody|someone|people|patients)\b",
)
# "what if I faint", "who do I call if I get chest pain": asking for the urgent-care guidance, not in need of it.
HYPOTHETICAL = _any(
    r"^ what if\b",
    r"\bin case (?:i|you|he|she|someone|my)\b",
    r"\bif (?:i|you|he|she|someone|we|my \w+) (?:ever |later |then |suddenly )?(?:get|gets|develop|develops|have|has|start|starts|notice|notices|feel|feels|faint|faints|pass|passes|see|lose|loses|go|goes|had)\b",
)
# "I had a stroke three years ago": history, not an emergency now.
PAST_EVENT = _any(
    r"\b(?:years?|months?) ago\b",
    r"\blast (?:year|month|summer|winter|spring|fall)\b",
    r"\b(?<!at )once\b",
    r"\bhistory of\b",
    r"\bwhen (?:i|he|she) was (?:young|a child|a kid|little|pregnant)\b",
)
PRESENT_NOW = _any(
    r"\b(?:right now|now|currently|at the moment|since|today|tonight|this (?:morning|evening|afternoon)|yesterday|just|started|starting|keeps?|suddenly|sudden|still|getting worse|out of nowhere|all of a sudden)\b",
    r"^ (?:please )?help\b|\b(?:help me|please help|need help|help (?:now|quick|asap|fast|us))\b",
)
# "my hands are swollen every morning": a long-standing complaint is for the care team, not 911. Only the
# semantic layer defers to it; an explicit red-flag pattern still fires.
CHRONIC = _any(
    r"\b(?:every (?:morning|day|night|week|month)|for (?:weeks|months|years|ages)|all the time|always|usually|on and off|most days)\b",
)
PRESENT_STATE = _any(
    PRESENT_NOW.pattern,
    r"\b(?:i|im|i'm) (?:have|having|am having|got|feel|feeling|think i|can'?t|cannot|just)\b",
    r"\b(?:i have|i've got|ive got|i've had|ive had|i am|i'm having|im having)\b",
    r"\bmy (?:\w+ )?(?:is|are|has|have|hurts?|feels?|went|won'?t)\b",
)

PERSON = r"(?:i|i'm|im|i've|ive|me|my|we|our|us|he|she|him|his|her)"
"""Someone the message is about: dosing is personal advice only for a person."""
PERSONAL = _any(
    # dosing, for someone ("what dose should I take", "his dosage"); "a typical dose of cells" or "low dose
    # naltrexone" in a general question is not a request for a dose
    rf"\b(?:dose|doses|dosage|dosing)\b.*\b{PERSON}\b|\b{PERSON}\b.*\b(?:dose|doses|dosage|dosing)\b",
    r"\bhow (?:much|many) (?:mg|milligrams|pills|tablets|units|cells|injections|infusions|treatments|sessions|rounds)\b",
    r"\bhow (?:much|many|often|long)\b.*\b(?:should|do|can|must|would|will) (?:i|we|he|she|my \w+) (?:take|use|get|have|inject|need|wait|stay|do)\b",
    r"\bhow (?:much|many) (?:\w+ ){0,2}to take\b",
    r"\b\d+ ?(?:mg|milligrams|mcg|ml)\b",
    # starting, stopping or changing a medicine
    r"\b(?:should|can|could|may|shall|must) (?:i|he|she|we|my \w+) (?:stop|quit|start|skip|reduce|lower|increase|double|halve|cut back|come off|go off|get off|wean|taper|switch|restart|resume|take|combine|mix|keep taking|continue)\b",
    r"\b(?:is it|would it be) (?:ok|okay|safe|fine|alright|wise|a good idea|bad) (?:for (?:me|him|her) )?(?:to|if i) (?:stop|quit|start|skip|reduce|lower|increase|double|come off|go off|take|combine|mix|switch|drink|keep|fly|travel|exercise|drive|eat|get pregnant)\b",
    r"\b(?:stop|quit|stopping|quitting|come off|coming off|go off|going off|wean off|weaning off|taper off|skip|skipping) (?:my|his|her|taking (?:my|his|her))\b",
    r"\binstead of (?:my|taking my|his|her)\b",
    r"\b(?:whether|if) (?:i should |to )(?:stop|quit|start|skip|take|increase|reduce|change|switch)\b",
    r"\bprescribe (?:me|him|her)\b",
    r"\b(?:do|does) (?:i|he|she) need to (?:stop|start|take|keep|skip|change)\b",
    # my activities around the treatment
    r"\b(?:can|could|may|should) (?:i|he|she) (?:still )?(?:drink|eat|exercise|fly|travel|drive|work out|go back to work|swim|shower|bathe|smoke|breastfeed|get pregnant|get vaccinated|ice|heat|massage)\b",
    r"\bshould (?:he|she|they|we|my \w+)\s*$",
    r"\b(?:i'?m|im|i am|she'?s|she is) (?:\w+ )?pregnant\b",
    # is it right for me
    r"\b(?:is|would|will) (?:it|this|that|stem cells?|stem cell therapy|the treatment|this treatment|the therapy|this therapy|therapy) (?:be )?(?:right|good|safe|suitable|appropriate|a good idea|a good choice|the best option|worth it|ok|okay|work|help) for (?:me|my|him|her)\b",
    r"\b(?:work|help|be safe|be right|be suitable|be worth it) for (?:me|him|her|us)\b",
    r"\b(?:am i|would i be|is he|is she|are we) (?:a )?(?:good |suitable |right |eligible )?(?:candidate|fit|eligible)\b",
    r"\b(?:would|could|can|will|do|does) (?:i|he|she|my \w+) (?:still )?(?:qualify|be eligible|be accepted|be a candidate)\b",
    r"\b(?:can|could|may) (?:i|he|she|my \w+) still (?:get|have|do|receive|go ahead|try)\b",
    r"\b(?:can|could|may) (?:i|he|she) (?:get|have|do|receive|start) (?:the |this |a |an )?(?:\w+ )?(?:treatment|therapy|transplant|infusion|injection|procedure|stem cells?|mscs?|ahsct)\b.*\b(?:if|with|since|while|when) (?:i|he|she|my|his|her)\b",
    r"\bshould (?:i|my \w+) (?:get|have|try|go ahead|sign up|book|choose|pick|go for|consider|undergo|treat|do (?:it|this|that|the|stem|msc|mscs|ahsct|a|an))\b",
    r"\b(?:will|would|could|can) (?:it|this|stem cells?|the treatment|this treatment|the therapy) (?:work|help|cure|fix|heal) (?:for )?(?:me|my|him|her)\b",
    r"\bwhat (?:would|do) you (?:recommend|suggest|advise)\b",
    r"\b(?:what|which) (?:treatment|option|one) (?:should|would) (?:i|you recommend)\b",
    r"\bwhich one should i\b",
    r"\bwhat would you do\b",
    r"\b(?:normal|dangerous|serious|bad|safe|safer|worrying|a problem|too much|too high|too low|better|best|right|suitable|a good option|a good choice|a good idea) for (?:me|him|her|my \w+|someone like)\b",
    r"\b(?:someone|somebody|a person|people|patients?) like (?:me|him|her|us)\b",
    r"\b(?:bad|severe|sick|advanced|serious) enough (?:for|to)\b",
    r"\bdo you think (?:i|i'm|im|my|he|she|his|her)\b",
    r"\bshould (?:i|we) (?:worry|be worried|be concerned)(?: about (?:it|this|that|my \w+))?\s*$",
    r"\b(?:is|would|will|could) (?:that|this|it) (?:be )?(?:a problem|an issue|a concern|ok|okay) (?:for|with|if)\b",
    # diagnosis, my results, my disease course
    r"\bdo (?:i|you think i) have\b",
    r"\b(?:does|could|might|can) (?:this|that|it) mean (?:i|i've|i have|he|she) (?:have|has|got|am|is)\b",
    r"\bmean for (?:me|him|her|us)\b",
    r"\b(?:is|could|might|can) (?:it|this|that) (?:be )?(?:lupus|ms|multiple sclerosis|ra|arthritis|rheumatoid arthritis|crohn'?s|diabetes|an autoimmune \w+|autoimmune|a flare|an infection|infected)\b",
    r"\b(?:could|can|might|is|are) (?:my|his|her) (?:\w+ ){1,3}(?:be|mean|a sign of|a symptom of)\b",
    r"\bam i (?:sick|ill|having a flare|in a flare|getting worse|flaring)\b",
    r"\b(?:is|are) (?:my|his|her) (?:\w+ )?(?:getting worse|worse|progressing|flaring|in remission|failing)\b",
    r"\b(?:is|are|could|might) (?:my|his|her) (?:\w+ ){1,2}(?:a sign|a symptom|signs|symptoms|related to|caused by|because of|from (?:the|my))\b",
    r"\b(?:my|his|her) (?:\w+ )?(?:is|are) (?:flaring|flaring up|getting worse|progressing|relapsing|coming back)\b",
    r"\b(?:diagnose|diagnosis for) me\b",
    r"\bwhat(?:'s| is) wrong with me\b",
    r"\b(?:my|his|her) (?:test|lab|labs|blood|bloodwork|blood work|blood test|mri|scan|ana|biopsy|crp|esr|x ray|white cell|white blood cell|a1c|platelets?|kidney function|liver enzymes) (?:\w+ )?(?:results?|came back|shows?|showed|levels?|counts?|numbers|(?:is|are|was|were) (?:\w+ )?(?:high|low|up|down|elevated|abnormal|raised|positive|negative|off|bad|normal))\b",
)


def not_now(text: str) -> bool:
    """A general question, a hypothetical or a past event, with nothing saying it is happening now."""
    if PRESENT_NOW.search(text) and not HYPOTHETICAL.search(text):
        return False
    if HYPOTHETICAL.search(text) or PAST_EVENT.search(text):
        return True
    return bool(GENERAL_QUESTION.search(text)) and not PRESENT_STATE.search(text)


def is_crisis(text: str) -> bool:
    """``text`` as ``normalise`` returns it."""
    return bool(CRISIS.search(text))


def is_emergency(text: str) -> bool:
    symptom = EMERGENCY.search(text) or (FEVER.search(text) and ANGRY_SITE.search(text))
    return bool(symptom) and not not_now(text)


def is_personal(text: str) -> bool:
    return bool(PERSONAL.search(text))
