"""What of a case the public may see: its place snapped to a ~100 m cell, and words the citizen agreed to.

The snapped point is the centre of a fixed grid cell, a function of the cell alone: asking again, or
averaging many cases filed from the same home, never gets closer than the cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from bot.settings import Settings
from nlu.entities import extract_entities
from storage.models import Case

HIDDEN = "[…]"
# The grid's cell, in metres on each side: the point's error is at most half its diagonal (~71 m).
CELL_METRES = 100.0
METRES_PER_DEGREE = 111_320.0  # of latitude everywhere, of longitude at the equator
# Near the poles a degree of longitude shrinks to nothing; cells there are wider, never infinite.
MIN_COSINE = 0.01

_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,}")
# Seven or more digits with at most two spaces, dots, dashes or brackets between: a phone number.
_PHONE = re.compile(r"(?<![\w+])\+?\d(?:[\s.()-]{0,2}\d){6,}(?!\w)")
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
# A door: "# 12-30", "apto 501", "piso 3", "casa 12", "flat 4B" (a number is what makes it one).
_DOOR = re.compile(
    r"#\s*\d[\w-]*|(?i:\b(?:apto|apartamento|apt|depto|dpto|dto|departamento|piso|int|interior|casa|"
    r"torre|bloque|manzana|mz|lote|unit|suite|flat|floor|house)\b\.?)\s*(?:n[o°º]\.?\s*)?\w*\d\w*"
)
_CAPITALISED = r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+){0,2}"
# "me llamo ana", "my name is Tom": the next word is a name whatever its case; after "soy" or "I'm"
# only capitalised words are ("soy vecina" is not a name).
_NAMED = re.compile(
    rf"(?P<cue>(?i:\b(?:me llamo|mi nombre es|my name is|my name s)\s+))(?P<name>{_CAPITALISED}|\w+)"
    rf"|(?P<soft>(?i:\b(?:soy|habla|i am|i m|i'm|this is)\s+))(?P<capitalised>{_CAPITALISED})"
)


def snap(latitude: float, longitude: float) -> tuple[float, float]:
    """The centre of the ~100 m grid cell that holds the point: the same for every point in the cell."""
    lat_step = CELL_METRES / METRES_PER_DEGREE
    centre_lat = (math.floor(latitude / lat_step) + 0.5) * lat_step
    cosine = max(math.cos(math.radians(centre_lat)), MIN_COSINE)
    lon_step = CELL_METRES / (METRES_PER_DEGREE * cosine)  # one width per row, so rows tile cleanly
    centre_lon = (math.floor(longitude / lon_step) + 0.5) * lon_step
    centre_lat = min(90.0, max(-90.0, centre_lat))
    centre_lon = (centre_lon + 180.0) % 360.0 - 180.0
    return round(centre_lat, 6), round(centre_lon, 6)


def _identifies(term: str) -> bool:
    # A full name, an e-mail or a phone; a lone first name ("Luz", "Rosa") is too often a plain word.
    return len(term) >= 5 and (" " in term.strip() or "@" in term or any(c.isdigit() for c in term))


def redact(value: str | None, terms: Iterable[str] = ()) -> str | None:
    """The text without e-mail addresses, phone numbers and the citizen's own name, e-mail or phone."""
    if not value:
        return value
    for term in sorted(filter(_identifies, terms), key=len, reverse=True):
        value = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", HIDDEN, value, flags=re.IGNORECASE)
    value = _EMAIL.sub(HIDDEN, value)
    return _PHONE.sub(lambda m: m.group() if _ISO_DATE.fullmatch(m.group()) else HIDDEN, value)


def _hide_names(text: str) -> str:
    def hide(match: re.Match[str]) -> str:
        return (match.group("cue") or match.group("soft")) + HIDDEN

    return _NAMED.sub(hide, text)


def _hide_places(text: str, phone_region: str) -> str:
    """Streets with numbers, corners and landmarks the address finder sees, and doors and flats."""
    found = [e for e in extract_entities(text, phone_region=phone_region) if e.entity == "address"]
    for entity in sorted(found, key=lambda e: e.start, reverse=True):
        text = text[: entity.start] + HIDDEN + text[entity.end :]
    return _DOOR.sub(HIDDEN, text)


def mask(text: str, terms: Iterable[str], phone_region: str) -> str:
    """A description as the public may read it, "without your details": no names the citizen gave, no
    e-mail, no phone, no street, door or flat. A net, not a guarantee: hence the consent and staff."""
    text = redact(text, terms) or ""
    return _hide_places(_hide_names(text), phone_region)


def description_is_public(case: Case, settings: Settings) -> bool:
    """Staff's decision if they made one; else the citizen's yes, which a sensitive service never asks."""
    if case.description_public is not None:
        return case.description_public
    return case.publish_consent is True and not settings.is_sensitive(case.service_code)


def area_name(case: Case, settings: Settings, language: str) -> str | None:
    area = settings.area_of(case.latitude, case.longitude, case.address)
    return area.name.get(language) if area else None


def public_point(case: Case, settings: Settings) -> tuple[float | None, float | None]:
    """The snapped point; none at all for a sensitive service, whose area is all the public sees."""
    if case.latitude is None or case.longitude is None or settings.is_sensitive(case.service_code):
        return None, None
    return snap(case.latitude, case.longitude)
