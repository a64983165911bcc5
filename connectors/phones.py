"""One E.164 form per person: the same phone on SMS, WhatsApp and Telegram must give the same address.

The rule (documented in docs/twilio.md):

* Parse with `phonenumbers`; a number without "+" is read in the city's region (`city.phone_region`),
  or, when no region is given, as international digits (how Telegram sends a user's own number,
  "573001234567").
* Mexico (+52): until 2019 mobiles were dialled from abroad with a "1" after the country code
  (+52 1 55 1234 5678), and WhatsApp still reports many of them that way. SMS arrives without it.
  The "1" is dropped: +52 1 55 1234 5678 → +52 55 1234 5678.
* Argentina (+54): a mobile's international form carries a "9" after the country code
  (+54 9 11 2345 6789), which is what WhatsApp reports; SMS may arrive without it (+54 11 2345 6789),
  and people write it nationally with "15" (011 15 2345-6789). Only mobiles write on SMS and WhatsApp,
  so the "9" form is kept: +54 11 2345 6789 → +54 9 11 2345 6789.
* Anything else is formatted as E.164 unchanged. A string that is not a possible phone number (a
  short code, an alphanumeric sender, garbage) is refused.
"""

from __future__ import annotations

import phonenumbers

MEXICO, ARGENTINA = 52, 54


class NotAPhoneNumber(ValueError):
    """The text is not a phone number we could write back to."""


def normalise_phone(raw: str, region: str | None) -> str:
    """The canonical E.164 form of `raw` (see the module docstring); raise `NotAPhoneNumber`. The one
    normaliser of every channel: SMS, WhatsApp, Telegram's shared contacts and Open311 all use it."""
    text = raw.strip()
    if not text or len(text) > 40:
        raise NotAPhoneNumber(raw)
    if region is None and not text.startswith("+"):
        text = "+" + "".join(c for c in text if c.isdigit())
    try:
        number = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException as exc:
        raise NotAPhoneNumber(raw) from exc
    national = str(number.national_number)
    if number.country_code == MEXICO and len(national) == 11 and national.startswith("1"):
        number = phonenumbers.PhoneNumber(country_code=MEXICO, national_number=int(national[1:]))
    elif number.country_code == ARGENTINA and len(national) == 10 and not national.startswith("9"):
        mobile = phonenumbers.PhoneNumber(country_code=ARGENTINA, national_number=int("9" + national))
        if phonenumbers.number_type(mobile) == phonenumbers.PhoneNumberType.MOBILE:
            number = mobile
    if not phonenumbers.is_possible_number(number):
        raise NotAPhoneNumber(raw)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
