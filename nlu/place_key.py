"""A place written in words, reduced to a key: two reports name the same place when their keys are equal.

"Cll 45 # 27-10", "calle 45 con carrera 27" and "la Calle 45 con Cra. 27" differ; "calle 45 con kra 27"
and "Calle 45 con Carrera 27" do not. Only exact keys match: a near miss is a different place, because
joining someone else's report by mistake is worse than filing one more.
"""

from __future__ import annotations

import re
import unicodedata

# Street words as citizens abbreviate them (Colombia, Mexico, Argentina, Chile, Peru, Spain; English).
_SYNONYMS = {
    "calle": ("cll", "cl", "clle", "cale", "c"),
    "carrera": ("cra", "kra", "kr", "cr", "crr", "carr", "k"),
    "avenida": ("av", "avda", "avd", "ave"),
    "diagonal": ("dg", "diag"),
    "transversal": ("tv", "tr", "trans", "transv"),
    "calzada": ("calz",),
    "pasaje": ("psje", "pje"),
    "jiron": ("jr",),
    "street": ("st", "str"),
    "road": ("rd",),
    "lane": ("ln",),
    "boulevard": ("blvd", "bulevar", "bv"),
    "con": ("y", "and", "esquina", "esq", "x", "&", "corner", "at"),
}
_CANONICAL = {short: long for long, shorts in _SYNONYMS.items() for short in shorts}
# Words that say nothing of where: articles, "number", "in front of the".
_FILLER = frozenset(
    {
        "la",
        "el",
        "los",
        "las",
        "de",
        "del",
        "the",
        "of",
        "no",
        "nro",
        "num",
        "numero",
        "number",
        "n",
        "en",
        "on",
    }
)
_WORD = re.compile(r"[a-z0-9]+")


def place_key(place: str | None) -> str:
    """The place's key: folded, street words spelt out, fillers left out; "" when nothing is left."""
    if not place:
        return ""
    decomposed = unicodedata.normalize("NFKD", place.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("&", " y ")
    words = [_CANONICAL.get(word, word) for word in _WORD.findall(plain)]
    return " ".join(word for word in words if word not in _FILLER)


def same_place(a: str | None, b: str | None) -> bool:
    """Both name a place, and it is the same once spelt alike; a place needs a number or two words."""
    key = place_key(a)
    clear = any(c.isdigit() for c in key) or len(key.split()) >= 3
    return bool(key) and clear and key == place_key(b)
