"""Rule-based entities: case codes, phone numbers (E.164) and street addresses or landmarks."""

from __future__ import annotations

import re

import phonenumbers

from nlu.addresses import find_addresses
from nlu.base import Entity

# Case codes avoid 0/O, 1/I/L and U (U reads as V) so a citizen can type them from a voice call or SMS.
CASE_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_CHAR = f"[{CASE_CODE_ALPHABET}{CASE_CODE_ALPHABET.lower()}]"
_DASHES = "-‐‑–"
_CODE_END = r"(?![\w\-/#]|\.\w)"
# "K7M-4QP", "k7m4qp"; for "K7M 4QP" only the first half is matched and the second looked ahead at (`d`),
# so that in "mas K7M 4QP" the search can go on from "K7M" after turning down "mas K7M".
_CASE_CODE = re.compile(
    rf"(?<![\w\-/.])(?P<a>{_CODE_CHAR}{{3}})"
    rf"(?:(?:[{_DASHES}](?P<b>{_CODE_CHAR}{{3}})|(?P<c>{_CODE_CHAR}{{3}})){_CODE_END}"
    rf"|(?= (?P<d>{_CODE_CHAR}{{3}}){_CODE_END}))"
)
# Something typed as a code, valid or not: "ABC-123", "XY1 Z00", "abc123".
_CODE_SHAPE = re.compile(
    rf"(?<![\w\-/.])(?=(?P<a>[A-Za-z0-9]{{3}})(?:(?P<sep>[ {_DASHES}])(?P<b>[A-Za-z0-9]{{3}})"
    r"|(?P<c>[A-Za-z0-9]{3}))(?![\w\-/#]|\.\w))"
)
# A word that says a code follows, just before it: "caso K7M 4QP", "mi código es: abc123", "ticket #XY1-Z00".
_CODE_CUE = re.compile(
    r"(?<!\w)(?:caso|c[oó]digo|reporte|reclamo|radicado|case|code|report|ticket|n[uú]mero|number|nro|no\.|#)"
    r"(?:[\s:#.]|\b(?:es|is|el|del|de|n[uú]mero|number|nro|no\.))*$",
    re.IGNORECASE,
)
# "45B", "23A": the halves of a Colombian house number, a code only with a cue when spaced.
_HOUSE_HALF = re.compile(r"^\d\d[A-Z]$")
_CUE_REACH = 40  # characters before a code looked at for its cue
# "7pm-9pm", "9am-5pm" use only code characters; they are times, not codes.
_TIME_HALF = re.compile(r"^\d{1,2}[AP]M$")
# Halves that are times or quantities, never a code someone mistyped: "12M" (noon), "10K", "2X1", "3RO".
_NOT_CODE_HALF = re.compile(
    r"^\d{1,2}(?:[AP]M|M|H|HS)$"
    r"|^\d+(?:K|M|KM|CM|MM|KG|MG|ML|ST|ND|RD|TH|ER|RO|DO|TO|VO|MO)$"
    r"|^\d+X\d+$"
)
# A message with at least this many letters, four in five of them capitals, is read in lower case for places.
SHOUTED_MIN_LETTERS = 12
# Entities are looked for in the first this-many characters, so a pasted novel cannot stall the worker.
MAX_SCAN_CHARS = 5000


def _mixed(half: str) -> bool:
    return any(c.isdigit() for c in half) and any(c.isalpha() for c in half)


def _cued(text: str, start: int) -> bool:
    return _CODE_CUE.search(text, max(0, start - _CUE_REACH), start) is not None


def find_case_codes(text: str, *, loose: bool = False) -> list[Entity]:
    """Codes typed as XXX-XXX, XXXXXX or XXX XXX (any case), normalised to upper-case "XXX-XXX".

    Two words of three ("mas 456", "san 222") are a code only when each half mixes digits and letters
    ("K7M 4QP") or a word like "caso" or "código" comes just before them. `loose` drops that guard, for a
    message already known to ask about a case ("Y9P WNZ - what's happening with it?").
    """
    text = text[:MAX_SCAN_CHARS]
    found: list[Entity] = []
    for match in _CASE_CODE.finditer(text):
        first, spaced = match.group("a").upper(), match.group("d")
        second = (match.group("b") or match.group("c") or spaced).upper()
        start, end = match.start(), match.end() + (4 if spaced else 0)
        if not _mixed(first + second) or (_TIME_HALF.match(first) and _TIME_HALF.match(second)):
            continue
        if spaced:
            if found and start < found[-1].end:
                continue  # "K7M 4QP 9XX": "4QP 9XX" is not a second code
            house = _HOUSE_HALF.match(first) and _HOUSE_HALF.match(second)  # "la 45B 23A": a house number
            if not (loose or (_mixed(first) and _mixed(second) and not house) or _cued(text, start)):
                continue
        found.append(Entity("case_code", f"{first}-{second}", start, end))
    return found


def find_code_like(text: str) -> list[str]:
    """What looks like a case code but is not one: "ABC-123", "abc123" after "caso", "XY1 Z00".

    Three and three letters and digits (both kinds) with a dash or a space, or six together after a
    code word, that use a character codes never have (0 O 1 I L U). As typed, upper-cased; not from
    inside addresses ("cra 10B-21A"), times ("9am-5pm", "8am-12m") or quantities ("10k-20k").
    """
    text = text[:MAX_SCAN_CHARS]
    found: list[tuple[int, int]] = []
    for match in _CODE_SHAPE.finditer(text):
        first, sep = match.group("a"), match.group("sep")
        second = match.group("b") or match.group("c")
        start, end = match.start("a"), match.end("b") if sep else match.end("c")
        code = (first + second).upper()
        if not _mixed(code) or all(c in CASE_CODE_ALPHABET for c in code):
            continue  # not code-shaped, or a valid code
        if _NOT_CODE_HALF.match(first.upper()) or _NOT_CODE_HALF.match(second.upper()):
            continue
        if found and start < found[-1][1]:
            continue
        # "con 250", "abc123": ordinary words, unless each half mixes digits and letters or a cue is before
        spaced_or_joined = sep == " " or not sep
        if spaced_or_joined and not ((sep and _mixed(first) and _mixed(second)) or _cued(text, start)):
            continue
        found.append((start, end))
    if found:
        places = find_addresses(text)
        found = [(s, e) for s, e in found if not any(s < p.end and p.start < e for p in places)]
    return [text[s:e].upper() for s, e in found]


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


def _shouted(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= SHOUTED_MIN_LETTERS and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _addresses(text: str) -> list[Entity]:
    """Addresses; in a message typed in capitals ("HAY UN HUECO EN LA CRA 50") every word would look like a
    name, so the finder reads it in lower case and the places keep the citizen's letters."""
    lower = text.lower()
    if not _shouted(text) or len(lower) != len(text):
        return find_addresses(text)
    return [Entity(a.entity, text[a.start : a.end], a.start, a.end) for a in find_addresses(lower)]


def extract_entities(text: str, *, phone_region: str = "CO") -> tuple[Entity, ...]:
    """Every entity in `text`, in reading order, never two over the same characters."""
    phones = find_phone_numbers(text, phone_region)
    addresses = [a for a in _addresses(text[:MAX_SCAN_CHARS]) if not _overlaps(a, phones)]
    # A code inside an address ("cra 45B-23A") is a house number, not a case.
    codes = [c for c in find_case_codes(text) if not _overlaps(c, phones) and not _overlaps(c, addresses)]
    return tuple(sorted(phones + addresses + codes, key=lambda e: (e.start, e.end)))
