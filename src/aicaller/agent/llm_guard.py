"""What the LLM may say: contact details only from the business or its knowledge.

A phone number, e-mail address or web address in the model's reply is said only when it is
in the business's configuration or in a passage the model was given this turn: a number the
model made up, or one an injected document talked it into, is not read to a caller. A
sentence carrying one that is neither is dropped (the rest of the reply is still said).
Phone numbers are compared by their digits ("(541) 555-0142" is "+15415550142"), addresses
case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aicaller.businesses.schemas import BusinessConfig

MIN_PHONE_DIGITS = 7  # shorter runs of digits are prices, years, times and street numbers
_PHONE = re.compile(r"(?<![\w$])\+?\d[\d\s().-]{5,}\d(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WEB = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co|us)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def contacts(text: str) -> list[str]:
    """The phone numbers, e-mail addresses and web addresses in ``text``."""
    emails = _EMAIL.findall(text)
    rest = _EMAIL.sub(" ", text)
    phones = [m for m in _PHONE.findall(rest) if len(_digits(m)) >= MIN_PHONE_DIGITS]
    return [*phones, *emails, *_WEB.findall(rest)]


def _known(config: BusinessConfig, evidence: Iterable[str]) -> tuple[set[str], str]:
    """The digits of every known number, and all the known text, lower case."""
    texts = [
        *config.phone_numbers,
        config.contact_email or "",
        config.website or "",
        config.address or "",
        config.safety_instructions,
        *evidence,
    ]
    numbers = {_digits(m) for text in texts for m in _PHONE.findall(text)}
    numbers |= {_digits(number) for number in config.phone_numbers}
    return {n for n in numbers if len(n) >= MIN_PHONE_DIGITS}, " ".join(texts).lower()


def _is_known(found: str, numbers: set[str], text: str) -> bool:
    digits = _digits(found)
    if "@" not in found and len(digits) >= MIN_PHONE_DIGITS and not re.search(r"[a-z]", found):
        # "+1 541 555 0142" and "541-555-0142" are the same number.
        return any(digits.endswith(known[-10:]) or known.endswith(digits) for known in numbers)
    return found.lower().rstrip(".,;:") in text


def unverified(text: str, config: BusinessConfig, evidence: Iterable[str]) -> list[str]:
    """The contact details in ``text`` that neither the business nor ``evidence`` has."""
    numbers, known = _known(config, evidence)
    return [found for found in contacts(text) if not _is_known(found, numbers, known)]


def without_unverified(
    text: str, config: BusinessConfig, evidence: Iterable[str]
) -> tuple[str, list[str]]:
    """``text`` without its sentences that carry unverified contact details, and those."""
    evidence = list(evidence)
    kept, dropped = [], []
    for sentence in _SENTENCE_END.split(text):
        bad = unverified(sentence, config, evidence)
        if bad:
            dropped.extend(bad)
        else:
            kept.append(sentence)
    return " ".join(kept).strip(), dropped
