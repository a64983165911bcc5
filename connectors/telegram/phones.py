"""Phone numbers a citizen shares on Telegram, normalised to E.164 with `phonenumbers`."""

from __future__ import annotations

import re

import phonenumbers

from connectors.phones import NotAPhoneNumber
from connectors.phones import normalise_phone as canonical_phone

_NOT_DIALLED = re.compile(r"[^\d+]")


def normalise_phone(number: str, region: str | None = None) -> str | None:
    """E.164 for a valid number, else None.

    Without a region the number is read as international even when the "+" is missing, which is how
    Telegram sends a user's own number ("573001234567"). With a region, a national form is tried first.
    """
    dialled = _NOT_DIALLED.sub("", number or "")
    if not dialled.strip("+"):
        return None
    candidates = [dialled] if dialled.startswith("+") else []
    if not dialled.startswith("+"):
        if region:
            candidates.append(dialled)
        candidates.append("+" + dialled)
    for candidate in candidates:
        found = _parse(candidate, region)
        if found is not None:
            # The one rule every channel shares (Argentina's "9", Mexico's old "1"), so a shared
            # contact finds the citizen who wrote by SMS or WhatsApp.
            try:
                return canonical_phone(found, region or "ZZ")
            except NotAPhoneNumber:
                return None
    return None


def _parse(candidate: str, region: str | None) -> str | None:
    try:
        parsed = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed) and parsed.country_code == 52:
        # Mexico dropped the mobile "1" after +52 in 2019, but old address books still carry it.
        national = str(parsed.national_number)
        if national.startswith("1") and len(national) == 11:
            parsed = phonenumbers.parse(f"+52{national[1:]}", None)
    if not phonenumbers.is_valid_number(parsed):
        return None
    # Argentina's mobile "9" (+54 9 …) is kept: it is the form WhatsApp and Telegram send.
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
