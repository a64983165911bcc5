"""Find street addresses and landmarks ("calle 45 con carrera 27", "in front of the library") in a message."""

from __future__ import annotations

import re
import unicodedata

from nlu import address_words as w
from nlu.base import Entity

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|\S")
_NUMBER = re.compile(r"\d+[a-z]?")
_ORDINAL = re.compile(r"\d+(st|nd|rd|th)")
_LETTER_AFTER_NUMBER = frozenset("bcdefgh")  # "45 b", "10 c"


def _fold(word: str) -> str:
    if word.isascii():  # most tokens: NFKD leaves ASCII alone and it has no combining marks
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _Phrases:
    """The landmark prepositions as a tree of words: `after` the words so far, `corner` where one ends."""

    def __init__(self) -> None:
        self.after: dict[str, _Phrases] = {}
        self.corner: bool | None = None  # None: no phrase ends here; else whether it names a corner


def _phrase_tree(phrases: tuple[tuple[str, ...], ...]) -> _Phrases:
    root = _Phrases()
    for phrase in phrases:
        node = root
        for word in phrase:
            node = node.after.setdefault(word, _Phrases())
        node.corner = bool(w.CORNER & set(phrase))
    return root


_PREPOSITIONS = _phrase_tree(w.PREPOSITIONS)


class _Scanner:
    """Recursive-descent matching over tokens; each rule returns the index after what it matched, or None."""

    def __init__(self, text: str) -> None:
        matches = list(_TOKEN.finditer(text))
        self.texts = [m.group() for m in matches]
        self.lows = [_fold(token) for token in self.texts]  # folded: lower case, accents dropped
        self.spans = [m.span() for m in matches]
        self.size = len(matches)
        # An English street ends in a street word ("Main St"); most messages have none, so no need to look.
        self.has_en_street = not w.EN_STREET.isdisjoint(self.lows)

    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < self.size else ""

    def is_number(self, i: int) -> bool:
        return _NUMBER.fullmatch(self.low(i)) is not None

    def is_ordinal(self, i: int) -> bool:
        return _ORDINAL.fullmatch(self.low(i)) is not None

    def is_upper(self, i: int) -> bool:
        return 0 <= i < self.size and self.texts[i][:1].isupper()

    def is_capital(self, i: int) -> bool:
        """Capitalised like a name, and not a weekday or month ("on Monday" is not a street)."""
        return self.is_upper(i) and self.low(i) not in w.CALENDAR

    def skip_dot(self, i: int) -> int:
        return i + 1 if self.low(i) == "." else i

    def name_word(self, i: int, *, lower_ok: bool) -> bool:
        low = self.low(i)
        if not low[:1].isalpha() or low in w.STOP:
            return False
        if "'" in low or "’" in low:  # "Mary's" can be a name; "doesn't" cannot
            return self.is_capital(i)
        if low in w.DETERMINER:  # "Los Olmos", "La Candelaria" are names; "la" alone is not
            return self.is_capital(i) and self.is_capital(i + 1) and self.low(i + 1) not in w.DETERMINER
        return self.is_capital(i) or lower_ok

    def number(self, i: int) -> int | None:
        """ "45", "45b", "5th", "10 sur", "23 bis"."""
        if not (self.is_number(i) or self.is_ordinal(i)):
            return None
        j = i + 1
        while self.low(j) in w.DIRECTION or self.low(j) in _LETTER_AFTER_NUMBER:
            j += 1
        return j

    def house_number(self, i: int) -> int | None:
        """ "# 12-34", "No. 45-67", "n° 12"."""
        if self.low(i) not in w.HOUSE_NO:
            return None
        j = self.skip_dot(i + 1)
        j = j + 1 if self.low(j) in ("°", "º") else j
        if not self.is_number(j):
            return None
        return j + 3 if self.low(j + 1) in ("-", "–") and self.is_number(j + 2) else j + 1

    def name(self, i: int, *, lower_ok: bool, max_lower: int = 2) -> int | None:
        """Up to four words of a name: "San José", "Juan B. Justo", "de los Novios", "del barrio"."""
        j, lowers, words = i, 0, 0
        while words < 4:
            if self.name_word(j, lower_ok=lower_ok and lowers < max_lower):
                lowers += 0 if self.is_capital(j) else 1
                j, words = j + 1, words + 1
                if len(self.low(j - 1)) == 1 and self.low(j) == ".":  # an initial: "Juan B. Justo"
                    j += 1
            elif self.low(j) in w.CONNECTOR and words and self.is_number(j + 1):
                j += 2  # "escuela de la 70" is rare, "mercado de 70" rarer; see `landmark_name`
            elif self.low(j) in w.CONNECTOR and self.name_word(j + 1, lower_ok=lower_ok and words > 0):
                j += 1  # "San Juan de Dios", "Jr. de la Unión", "paradero de buses"
            elif self.low(j) in w.CONNECTOR and self.low(j + 1) in ("la", "los", "las", "the"):
                if not self.name_word(j + 2, lower_ok=lower_ok and words > 0):
                    break
                j += 2
            else:
                break
        return j if words else None

    def spanish_street(self, i: int) -> int | None:
        """ "calle 45", "cra 7 # 12-34", "Av. Corrientes 1234", "Av. 9 de Julio", "pasaje Los Olmos"."""
        full = self.low(i) in w.ES_STREET
        if not full and self.low(i) not in w.ES_STREET_ABBR:
            return None
        j = self.skip_dot(i + 1)
        end = self.number(j)
        if end is not None and self.low(end) == "de" and self.low(end + 1) in w.CALENDAR:
            end += 2  # "Av. 9 de Julio", "calle 5 de Mayo"
        elif end is None:
            end = self.name(j, lower_ok=False)
            if end is None and (full or j > i + 1):
                lower = self.name(j, lower_ok=True)  # "calle los aromos 77": lower case needs its number
                end = self.number(lower) if lower is not None else None
            elif end is not None:
                end = self.number(end) or end
        if end is None:
            return None
        return self.house_number(end) or end

    def english_street(self, i: int) -> int | None:
        """ "1234 Main St", "45th street", "maple dr", "N. Main Street", "Route 9", "Central Park"."""
        if self.low(i) in w.EN_NUMBERED:
            return self.number(self.skip_dot(i + 1))
        if not self.has_en_street:
            return None
        numbered = self.is_number(i)
        j = i + 1 if numbered else i
        if numbered and self.low(j) in w.DIRECTION:
            j = self.skip_dot(j + 1)
        k = j
        while k < j + 3 and (self.name_word(k, lower_ok=True) or self.is_ordinal(k)):
            k += 1
            kind = self.low(k)
            if kind not in w.EN_STREET or self.low(k + 1) in w.COMPOUND_AFTER:
                continue
            lowercase = not any(self.is_capital(n) or self.is_ordinal(n) for n in range(j, k))
            if lowercase and not numbered and kind not in w.EN_STREET_ABBR:
                return None
            end = self.skip_dot(k + 1)
            return end + 1 if self.low(end) in w.DIRECTION and self.is_capital(end) else end
        return None

    def street(self, i: int) -> int | None:
        return self.spanish_street(i) or self.english_street(i)

    def street_ref(self, i: int) -> int | None:
        """A street as named in a crossing: a full street, "5th", "la 10", "Madero"."""
        j = i + 1 if self.low(i) in ("la", "el") else i
        return self.street(j) or self.number(j) or self.name(j, lower_ok=False)

    def preposition(self, i: int) -> tuple[int, bool] | None:
        """The end of the longest landmark preposition at `i`, and whether it names a corner."""
        found: tuple[int, bool] | None = None
        node: _Phrases | None = _PREPOSITIONS
        while node is not None:
            if node.corner is not None:
                found = (i, node.corner)
            node = node.after.get(self.low(i))
            i += 1
        return found

    def landmark(self, i: int) -> int | None:
        """ "frente al colegio San José", "in front of the library", "esquina de Juárez y Madero"."""
        found = self.preposition(i)
        if found is None:
            return None
        j, corner = found
        if corner:
            first = self.street_ref(j)
            if first is not None and self.low(first) in w.JOIN:
                return self.street_ref(first + 1)
        if self.low(j) in w.DETERMINER and self.low(j) not in w.DEFINITE:
            return None
        article = self.low(j) in w.DEFINITE
        det = j + 1 if article else j
        street = self.street(det)
        if street is not None:
            return street
        contracted = self.low(j - 1) in ("al", "del")  # "frente al colegio"
        if not self.name_word(det, lower_ok=True) or not (article or contracted or self.is_capital(det)):
            return None
        end = self.name(det, lower_ok=True, max_lower=3)
        return self.number(end) or end if end is not None else None

    def landmark_name(self, i: int) -> int | None:
        """A named landmark without a preposition: "parque El Virrey", "escuela 14", "puente de la 68"."""
        if self.low(i) not in w.LANDMARK:
            return None
        j = i + 1
        if self.low(j) in w.CONNECTOR:
            j += 2 if self.low(j + 1) in ("la", "el") else 1
            return self.number(j) or (self.name(j, lower_ok=False) if self.is_capital(j) else None)
        return self.number(j) or (self.name(j, lower_ok=False) if self.name_word(j, lower_ok=False) else None)

    def crossing(self, i: int) -> int | None:
        """ "Elm and 9th", "en Rivadavia y Acoyte", "sobre Reforma 222": bare street names."""
        first = self.number(i) if self.is_ordinal(i) else self.name(i, lower_ok=False)
        if first is None:
            return None
        after_place_word = self.low(i - 1) in w.PLACE_PREPOSITION
        if after_place_word and self.is_number(first):  # "sobre Reforma 222"
            return self.number(first)
        if self.low(first) not in ("and", "&", "y", "con"):
            return None
        second = self.number(first + 1) or self.name(first + 1, lower_ok=False)
        if second is None:
            return None
        if self.is_ordinal(i) or self.is_ordinal(first + 1) or after_place_word:
            return self.number(second) or second
        return None

    def extend(self, end: int) -> int:
        """Grow a place with a crossing street, "between A and B", "near the school", "on Birch St"."""
        while True:
            word = self.low(end)
            following: int | None = None
            if word in w.JOIN:
                following = self.street_ref(end + 1)
            elif word in w.BETWEEN:
                first = self.street_ref(end + 1)
                if first is not None and self.low(first) in w.JOIN:
                    following = self.street_ref(first + 1)
            elif word in ("on", "en", "sobre", "at"):
                det = end + 2 if self.low(end + 1) in ("la", "el", "the") else end + 1
                following = self.street(det) or (self.name(det, lower_ok=False) if word == "on" else None)
            else:
                following = self.landmark(end)
            if following is None:
                return end
            end = following

    def lookback(self, i: int) -> int:
        """Where "the fire station on Birch St" starts, given where "Birch St" does."""
        if self.low(i - 1) not in ("on", "en", "sobre") or not (
            self.low(i - 2) in w.LANDMARK or self.is_capital(i - 2)
        ):
            return i
        start = i - 2
        while start > i - 5 and self.name_word(start - 1, lower_ok=True):
            start -= 1
        return start - 1 if self.low(start - 1) in w.DEFINITE else start


def find_addresses(text: str) -> list[Entity]:
    """Street addresses and landmarks in `text`, each span as short as the place it names."""
    scanner = _Scanner(text)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < scanner.size:
        start, end = i, scanner.landmark(i)
        if end is None:
            end = scanner.street(i) or scanner.landmark_name(i) or scanner.crossing(i)
            start = scanner.lookback(i) if end is not None else i
        if end is None:
            i += 1
            continue
        end = scanner.extend(end)
        # "Calle 45B # 23A-45, barrio Centro" is one address: merge places that touch or overlap.
        if spans and (start <= spans[-1][1] or (start == spans[-1][1] + 1 and scanner.low(start - 1) == ",")):
            start = min(start, spans.pop()[0])
        spans.append((start, end))
        i = end
    places = [(scanner.spans[a][0], scanner.spans[b - 1][1]) for a, b in spans]
    return [Entity("address", text[start:end], start, end) for start, end in places]
