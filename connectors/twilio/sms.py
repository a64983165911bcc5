"""SMS arithmetic: GSM-7 or UCS-2, how many segments a text costs, and splitting under Twilio's limit."""

from __future__ import annotations

from dataclasses import dataclass

# GSM 03.38 basic character set (the 7-bit default alphabet), in table order, without ESC (0x1B).
# Spanish: ñ Ñ é É ü Ü ¿ ¡ are here; á í ó ú (and Á Í Ó Ú) are not, so they force UCS-2.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each of these costs two septets (ESC + the character).
GSM7_EXTENDED = frozenset("\f^{}\\[~]|€")

GSM7, UCS2 = "GSM-7", "UCS-2"
# Units per segment: alone, and when the text is split (the user data header takes 6 bytes).
SINGLE = {GSM7: 160, UCS2: 70}
MULTI = {GSM7: 153, UCS2: 67}
# Twilio refuses a Body longer than this many characters.
TWILIO_MAX_BODY = 1600


@dataclass(frozen=True)
class SmsCost:
    encoding: str  # "GSM-7" | "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)


def _unit_sizes(text: str, encoding: str) -> list[int]:
    if encoding == GSM7:
        return [2 if c in GSM7_EXTENDED else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]  # outside the BMP: a surrogate pair


def sms_cost(text: str) -> SmsCost:
    """The encoding a phone network will use for `text` and the number of segments it is billed as.

    A character never straddles two segments (an escape pair or a surrogate pair moves whole to the
    next one), which is why a long text may need one segment more than units / 153.
    """
    encoding = GSM7 if is_gsm7(text) else UCS2
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    if units <= SINGLE[encoding]:
        return SmsCost(encoding, units, 1 if units else 0)
    segments, used = 1, 0
    for size in sizes:
        if used + size > MULTI[encoding]:
            segments, used = segments + 1, 0
        used += size
    return SmsCost(encoding, units, segments)


def utf16_length(text: str) -> int:
    """Length as Twilio counts it against its Body limit (an emoji counts twice)."""
    return sum(_unit_sizes(text, UCS2))


def _fitting(text: str, limit: int) -> int:
    """How many leading characters of `text` fit in `limit` UTF-16 code units."""
    used = 0
    for index, size in enumerate(_unit_sizes(text, UCS2)):
        used += size
        if used > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = TWILIO_MAX_BODY) -> list[str]:
    """`text` in pieces of at most `limit` UTF-16 units, cut at a line break, else a space, else hard."""
    pieces: list[str] = []
    rest = text.strip()
    while utf16_length(rest) > limit:
        fits = _fitting(rest, limit)
        window = rest[: fits + 1]  # the character after the last that fits may be the space to cut at
        cut = window.rfind("\n")
        if cut < fits // 2:
            cut = window.rfind(" ")
        if cut < fits // 2:
            cut = fits
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
