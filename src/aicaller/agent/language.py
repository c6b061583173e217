"""Reading a caller's utterance: what they want, in plain deterministic rules.

Speech-to-text gives lower-case-ish text without reliable punctuation, so every rule works on a
normalised form (lower case, apostrophes unified, punctuation as spaces). The rules are
deliberately conservative: anything not clearly about hours, contact details, a person, an
emergency, thanks or goodbye is treated as a question for the knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aicaller.agent.protocol import Intent
from aicaller.agent.urgency import urgent_situation
from aicaller.businesses.schemas import Trade, Weekday

SHORT_UTTERANCE_WORDS = 8  # "no thanks, that's all, bye"; longer ones are questions
_PUNCTUATION = re.compile(r"[^\w\s']+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("`", "'")
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def _any(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


_PERSON = r"(?:human|person|people|someone|somebody|agent|representative|rep|operator|staff|manager|receptionist|real person|live agent|member of (?:the |your )?(?:staff|team))"  # noqa: E501
_HUMAN = _any(
    [
        rf"\b(?:speak|talk|chat)\b.{{0,30}}\b(?:to|with)\b.{{0,20}}\b{_PERSON}\b",
        rf"\b(?:connect|transfer|put)\b.{{0,20}}\b(?:me|through)\b.{{0,30}}\b{_PERSON}\b",
        rf"\b(?:get|give|want|need)\b.{{0,12}}\b(?:me )?(?:a |an |the )?{_PERSON}\b",
        r"\b(?:real|actual|live) (?:person|human|agent)\b",
        r"^(?:agent|operator|representative|human)(?: please)?$",
        r"\bare you (?:a )?(?:robot|bot|machine|computer)\b",
    ]
)
_FRUSTRATED = _any(
    [
        r"\b(?:useless|ridiculous|stupid|terrible|awful|annoying|pathetic|hopeless)\b",
        r"\bfrustrat\w*\b",
        r"\b(?:not|isn't|wasn't|isnt) (?:very |at all )?helpful\b",
        r"\b(?:you're|you are|youre) not (?:listening|understanding|helping)\b",
        r"\b(?:you|it) (?:don't|doesn't|dont|doesnt) understand\b",
        r"\bthat's not what i (?:asked|said|meant)\b|\bthats not what i\b",
        r"\bi (?:already|just) (?:told|said|asked)\b",
        r"\bwaste of (?:my )?time\b|\bfed up\b|\bsick of\b|\bfor god's sake\b",
        r"\bwhat a joke\b|\bthis is a joke\b|\bdamn\b|\bbloody\b",
    ]
)
_GOODBYE = _any(
    [
        r"\b(?:good ?bye|bye(?: bye)?|see you|see ya|talk (?:to you )?later)\b",
        r"^(?:no|nope|nah)(?: thanks?| thank you)?(?: that's it| that's all| bye)?$",
        r"\b(?:that's|that is|thats) (?:all|it|everything)\b",
        r"\bnothing else\b|\bi'm (?:all )?(?:done|good|set)\b|\bim done\b",
        r"\bhave a (?:good|nice|great) (?:day|one|evening|night)\b",
        r"\bhang up\b",
    ]
)
_THANKS = re.compile(
    r"^(?:ok(?:ay)? )?(?:thanks?|thank you|cheers|great|perfect|awesome)"
    r"(?: (?:so much|very much|a lot|again))?$"
)
_YOUR = r"(?:you|your|you're|the (?:office|clinic|shop|store|practice|business|team))"
_PREMISES = r"office|clinic|shop|store|practice|business|location|building|place|garage|studio"
_HOURS = _any(
    [
        r"\b(?:opening|business|office|working|operating|open) hours\b",
        rf"\bwhat (?:are|is) {_YOUR}\b.{{0,10}}\bhours\b",
        rf"\b(?:are|is) {_YOUR} (?:open|closed|still open)\b",
        rf"\b(?:when|what time) (?:do|does|are|will|is) {_YOUR}\b.{{0,20}}\b(?:open|close|closed|closing|opening)\b",  # noqa: E501
        rf"\b{_YOUR} (?:open|closed) (?:today|tomorrow|now|on|at|this|in)\b",
        r"\bhours (?:today|tomorrow|on)\b|\bwhat are the hours\b",
        r"\bstay open\b|\bopen (?:late|later|early|earlier|till|until)\b",
    ]
)
# "you guys open on Saturday?" is "you open on Saturday?"
_YOU_ALL = re.compile(r"\b(?:you guys|you all|y'all|yall|you folks)\b")
_CONTACT = _any(
    [
        rf"\b(?:what(?:'s| is)|give me) {_YOUR}\b.{{0,15}}\b(?:phone number|number|email|e mail|address|website|web site)\b",  # noqa: E501
        # "where is your office", not "where is your storage place": the business's own
        # address answers the first; the second is a question for the knowledge.
        rf"\bwhere (?:are|is) (?:you\b|(?:your|the) (?:{_PREMISES})\b)",
        r"\bwhere (?:are|is) (?:you|it) located\b",
        r"\bhow (?:can|do|could) i (?:contact|reach|email|find|call|write to)\b",
        r"\b(?:email address|mailing address|street address|contact details|contact info\w*)\b",
        rf"\b{_YOUR}\b.{{0,10}}\b(?:address|location|website|email)\b",
    ]
)
_DAY_WORDS = (
    {day.value: day for day in Weekday}
    | {day.value[:3]: day for day in Weekday}
    | {f"{day.value}s": day for day in Weekday}
)
_NOW = re.compile(r"\b(?:now|right now|at the moment|currently|still open)\b")
_TODAY = re.compile(r"\btoday\b|\btonight\b|\bthis (?:morning|afternoon|evening)\b")
_TOMORROW = re.compile(r"\btomorrow\b")


def classify(
    utterance: str, emergency_phrases: Iterable[str] = (), trade: Trade = Trade.GENERAL
) -> Intent:
    """The caller intent of one utterance; anything unclassified is a question. The rules are
    tried in order: an urgent situation (the trade's or the business's own,
    ``aicaller.agent.urgency``) or a request for a person wins over everything else."""
    text = normalise(utterance)
    if not text:
        return Intent.CALLER_SILENT
    if urgent_situation(text, trade, emergency_phrases) is not None:
        return Intent.CALLER_EMERGENCY
    short = len(text.split()) <= SHORT_UTTERANCE_WORDS
    text = _YOU_ALL.sub("you", text)
    rules: tuple[tuple[bool, Intent], ...] = (
        (bool(_HUMAN.search(text)), Intent.CALLER_HUMAN),
        (bool(_FRUSTRATED.search(text)), Intent.CALLER_FRUSTRATED),
        (bool(_HOURS.search(text)), Intent.CALLER_HOURS),
        (bool(_CONTACT.search(text)), Intent.CALLER_CONTACT),
        (short and bool(_GOODBYE.search(text)), Intent.CALLER_GOODBYE),
        (bool(_THANKS.match(text)), Intent.CALLER_THANKS),
    )
    return next((intent for matched, intent in rules if matched), Intent.CALLER_QUESTION)


_PRICE = re.compile(
    r"\bhow much\b(?! (?:notice|time|longer|earlier|warning|experience))|"
    r"\bwhat do you charge\b|\b(?:cost|costs|price|prices|pricing|fee|fees|"
    r"charge|charges|rate|rates|expensive|cheap)\b"
)
# Amounts of money as documents write them: "$120", "120 dollars", "EUR 40".
MONEY = re.compile(
    r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds|usd|eur|gbp)\b|\b(?:usd|eur|gbp)\s?\d",
    re.IGNORECASE,
)
# Words of a question that say what kind of answer is wanted ("how much", "how long") or are
# the generic verb of a request ("do you take Cigna", "do you offer whitening"), not what it is
# about: a passage need not contain them to answer it.
QUESTION_WORDS = frozenset(
    {"much", "many", "often", "long", "take", "takes", "offer", "offers", "provide", "provides"}
)


# Words of spoken questions that carry no subject ("um, do you guys do, like, house calls"):
# a passage need not contain them either.
SPOKEN_FILLER = frozenset(
    {"um", "umm", "uh", "uhh", "er", "hmm", "oh", "gosh", "hi", "hello", "hey", "okay", "ok"}
    | {"yeah", "yes", "well", "like", "guys", "y'all", "yall", "folks", "gonna", "wanna"}
    | {"gotta", "just", "really", "actually", "basically", "kinda", "sorta", "maybe", "please"}
    | {"know", "mean", "think", "wondering", "wonder", "tell", "thanks", "somebody", "anybody"}
    | {"someone", "anyone", "something", "anything", "thing", "stuff", "got", "get", "getting"}
    | {"go", "going", "want", "trying", "real", "pretty", "little", "bit", "quick", "question"}
    | {"ask", "asking", "sure", "right", "said", "say", "there", "here", "now", "ever", "still"}
)


def asks_price(utterance: str) -> bool:
    return bool(_PRICE.search(normalise(utterance)))


def without_frustration(utterance: str) -> str:
    """The utterance with its complaints taken out ("this is useless, what are your prices"
    -> "what are your prices"), so what is left can be looked up."""
    return _SPACES.sub(" ", _FRUSTRATED.sub(" ", normalise(utterance))).strip()


def asked_day(utterance: str) -> Weekday | None:
    """A weekday named in the utterance ("are you open on Saturday?")."""
    for word in normalise(utterance).split():
        if word in _DAY_WORDS:
            return _DAY_WORDS[word]
    return None


def asks_about_now(utterance: str) -> bool:
    return bool(_NOW.search(normalise(utterance)))


def asks_about_today(utterance: str) -> bool:
    return bool(_TODAY.search(normalise(utterance)))


def asks_about_tomorrow(utterance: str) -> bool:
    return bool(_TOMORROW.search(normalise(utterance)))


def asked_contact_kinds(utterance: str) -> set[str]:
    """Which contact details were asked for: phone, email, address, website."""
    # "email address" and "web address" ask for an email or a website, not where we are.
    text = re.sub(r"\b(?:email|e mail|web|website) address\b", r"\g<0>:", normalise(utterance))
    text = re.sub(r"\baddress:", "", text)
    kinds = set()
    if re.search(r"\b(?:phone|number|call|ring)\b", text):
        kinds.add("phone")
    if re.search(r"\b(?:email|e mail|mail|write)\b", text):
        kinds.add("email")
    if re.search(r"\b(?:address|where|located|location|find you|directions)\b", text):
        kinds.add("address")
    if re.search(r"\b(?:website|web site|online|site)\b", text):
        kinds.add("website")
    return kinds
