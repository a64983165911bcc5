"""Rule-based entities: case codes, phone numbers (E.164) and street addresses or landmarks."""

from __future__ import annotations

import re

import phonenumbers

from nlu.addresses import find_addresses
from nlu.base import Entity

# Case codes avoid 0/O, 1/I/L and U (U reads as V) so a citizen can type them from a voice call or SMS.
CASE_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_CHAR = f"[{CASE_CODE_ALPHABET}{CASE_CODE_ALPHABET.lower()}]"
_CASE_CODE = re.compile(
    rf"(?<![\w\-/.])(?P<a>{_CODE_CHAR}{{3}})(?:[-‐‑–](?P<b>{_CODE_CHAR}{{3}})|(?P<c>{_CODE_CHAR}{{3}}))"
    r"(?![\w\-/#]|\.\w)"
)
# "7pm-9pm", "9am-5pm" use only code characters; they are times, not codes.
_TIME_HALF = re.compile(r"^\d{1,2}[AP]M$")
# Entities are looked for in the first this-many characters, so a pasted novel cannot stall the worker.
MAX_SCAN_CHARS = 5000


def find_case_codes(text: str) -> list[Entity]:
    """Codes typed as XXX-XXX or XXXXXX (any case), normalised to upper-case "XXX-XXX"."""
    found = []
    for match in _CASE_CODE.finditer(text[:MAX_SCAN_CHARS]):
        first = match.group("a").upper()
        second = (match.group("b") or match.group("c")).upper()
        code = first + second
        if not any(c.isdigit() for c in code) or not any(c.isalpha() for c in code):
            continue
        if _TIME_HALF.match(first) and _TIME_HALF.match(second):
            continue
        found.append(Entity("case_code", f"{first}-{second}", match.start(), match.end()))
    return found


def find_phone_numbers(text: str, region: str) -> list[Entity]:
    """Valid phone numbers, as E.164; `region` says how to read numbers written without +country code."""
    found = []
    try:
        matcher = phonenumbers.PhoneNumberMatcher(text[:MAX_SCAN_CHARS], region)
        for match in matcher:
            value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            found.append(Entity("phone_number", value, match.start, match.end))
    except Exception:  # a library hiccup on odd input must cost the number, never the message
        return found
    return found


def _overlaps(entity: Entity, others: list[Entity]) -> bool:
    return any(entity.start < other.end and other.start < entity.end for other in others)


def extract_entities(text: str, *, phone_region: str = "CO") -> tuple[Entity, ...]:
    """Every entity in `text`, in reading order, never two over the same characters."""
    phones = find_phone_numbers(text, phone_region)
    addresses = [a for a in find_addresses(text[:MAX_SCAN_CHARS]) if not _overlaps(a, phones)]
    # A code inside an address ("cra 45B-23A") is a house number, not a case.
    codes = [c for c in find_case_codes(text) if not _overlaps(c, phones) and not _overlaps(c, addresses)]
    return tuple(sorted(phones + addresses + codes, key=lambda e: (e.start, e.end)))
