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
_CUE_WORDS = w.ADDRESS_CUE | w.LIVE_CUE
# Words that carry a place on after a number ("calle 45 con 27 *barrio* Centro", "… 27 *sur*").
_CARRIES_PLACE = w.LOCALITY | w.UNIT | w.HOUSE_NO | w.JOIN | w.DIRECTION | w.BETWEEN | {"altura"}


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
        # "la dirección es mitre 450": where a word about the address is, if any.
        self.cues: list[int] = []
        if not _CUE_WORDS.isdisjoint(self.lows):  # most messages have none
            self.cues = [
                n
                for n, low in enumerate(self.lows)
                if low in w.ADDRESS_CUE or (low in w.LIVE_CUE_AFTER and self.low(n - 1) in w.LIVE_CUE)
            ]

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

    def is_pair(self, i: int) -> bool:
        """ "80-21", "12 - 34": a Colombian house number."""
        return self.is_number(i) and self.low(i + 1) in w.DASH and self.is_number(i + 2)

    def number(self, i: int) -> int | None:
        """ "45", "45b", "5th", "10 sur", "23 bis"."""
        if not (self.is_number(i) or self.is_ordinal(i)):
            return None
        j = i + 1
        while self.low(j) in w.DIRECTION or self.low(j) in _LETTER_AFTER_NUMBER:
            if self.low(j) == "n" and self.is_pair(self.skip_dot(j + 1)):
                break  # "kr 15 n 80-21": "n" is "número" here, not "norte"
            j += 1
        return j

    def house_number(self, i: int) -> int | None:
        """ "# 12-34", "No. 45-67", "n° 12", "n 80-21"."""
        low = self.low(i)
        if low not in w.HOUSE_NO:
            return None
        j = self.skip_dot(i + 1)
        j = j + 1 if self.low(j) in ("°", "º") else j
        if not self.is_number(j):
            return None
        if self.is_pair(j):
            return j + 3
        # "es la carrera 15 no la 13", "calle 45 no 46": a plain lower-case "no" is a correction
        if low == "no" and j == i + 1 and not self.is_upper(i):
            return None
        return j + 1

    def altura(self, i: int) -> int | None:
        """After "a la altura del", "altura de", "a la altura de la": what the place is at the height of."""
        j = i + 2 if self.low(i) == "a" and self.low(i + 1) == "la" else i
        if self.low(j) != "altura":
            return None
        j = j + 1 if self.low(j + 1) in ("de", "del") else j
        return j + 2 if self.low(j + 1) in ("la", "el") else j + 1

    def house_tail(self, i: int) -> int | None:
        """A house number after a street's name: "# 12-34", "al 5400", "a la altura del 1500"."""
        end = self.house_number(i)
        if end is not None:
            return end
        j = self.altura(i)
        if j is not None:  # "a la altura del 1500", "a la altura de Perisur", "… del parque Nacional"
            street = self.street(j, need_tail=False)
            return self.number(j) or street or self.landmark_name(j) or self.name(j, lower_ok=False)
        if self.low(i) == "al" and self.is_number(i + 1) and len(self.low(i + 1)) >= 2:
            return i + 2  # "av. rivadavia al 5400"
        return None

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
            elif (
                self.low(j) in w.CONNECTOR
                and self.name_word(j + 1, lower_ok=lower_ok and words > 0)
                and self.low(j + 1) not in w.ES_STREET_ABBR  # "la plaza de Av. Arequipa 2500"
            ):
                j += 1  # "San Juan de Dios", "Jr. de la Unión", "paradero de buses"
            elif self.low(j) in w.CONNECTOR and self.low(j + 1) in ("la", "los", "las", "the"):
                if not self.name_word(j + 2, lower_ok=lower_ok and words > 0):
                    break
                j += 2
            else:
                break
        return j if words else None

    def street_word(self, i: int) -> tuple[int, bool] | None:
        """Where a Spanish street's name starts, and whether a lower-case name may follow ("avenida x")."""
        low = self.low(i)
        if low in w.ES_STREET:
            return i + 1, True
        if low in w.ES_STREET_ABBR:
            j = self.skip_dot(i + 1)
            return j, j > i + 1 or low in w.ES_STREET_ABBR_SURE
        if low == "c" and self.low(i + 1) == "/":  # Spain: "c/ Alcalá 45"
            return i + 2, True
        return None

    def lower_name(self, i: int, *, max_lower: int = 2, article_ok: bool = False) -> int | None:
        """A lower-case name, perhaps after "de", "de la" or an article: "de tlalpan", "los aromos"."""
        j = i
        if self.low(j) in w.CONNECTOR:
            j += 1
            j = j + 1 if self.low(j) in ("la", "los", "las", "el") else j
        elif article_ok and self.low(j) in ("la", "los", "las", "el"):
            j += 1
        end = self.name(j, lower_ok=True, max_lower=max_lower)
        if end is None:
            return None
        # "eje central esquina con madero": the corner word starts the crossing, it is not in the name
        corner = next((k for k in range(j, end) if self.lows[k] in w.CORNER_JOIN), end)
        return corner if corner > j else None

    def lower_tail(self, end: int) -> int | None:
        """What makes a lower-case street name a street: its number, a house number, a crossing street."""
        tail = self.number(end) or self.house_tail(end)
        if tail is not None:
            return tail
        word = self.low(end)
        if self.join(end) is None:
            return None
        if word not in w.STRONG_JOIN and self.street_word(self.join_start(end)) is None:
            return None  # "una avenida nueva y 3 puentes": after "y" only a street word will do
        return end

    def spanish_street(self, i: int, *, need_tail: bool = True) -> int | None:
        """ "calle 45", "cra 7 # 12-34", "Av. Corrientes 1234", "Av. 9 de Julio", "pasaje Los Olmos"."""
        start = self.street_word(i)
        if start is None:
            return None
        j, lower_ok = start
        end = self.number(j)
        if end is not None and self.low(end) == "de" and self.low(end + 1) in w.CALENDAR:
            end += 2  # "Av. 9 de Julio", "calle 5 de Mayo"
        elif end is None:
            end = self.name(j, lower_ok=False)
            if end is None and lower_ok:
                # "calle los aromos 77", "avenida caracas con calle 45": lower case needs what follows.
                # `need_tail` False: a crossing already says this is a street ("eje 5 sur con calzada de
                # tlalpan"); it also keeps "avenida a con avenida b con …" from recursing down the chain.
                # Up to three words: "eje central lazaro cardenas esquina con madero".
                lower = self.lower_name(j, max_lower=3, article_ok=need_tail)
                if lower is not None:
                    end = (
                        self.lower_tail(lower)
                        if need_tail
                        else self.number(lower) or self.house_tail(lower) or lower
                    )
                if end is None and self.low(i) in w.LOCALITY:
                    end = self.locality_name(j, bare_ok=False)
            elif end is not None:
                end = self.number(end) or self.house_tail(end) or end
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

    def street(self, i: int, *, need_tail: bool = True) -> int | None:
        return self.spanish_street(i, need_tail=need_tail) or self.english_street(i)

    def street_ref(self, i: int, *, lower_ok: bool = False) -> int | None:
        """A street as named in a crossing: a full street, "5th", "la 10", "Madero" ("madero" at a corner)."""
        j = i + 1 if self.low(i) in ("la", "el") else i
        found = self.street(j, need_tail=False) or self.number(j) or self.name(j, lower_ok=False)
        if found is None and lower_ok and self.low(j) not in w.DETERMINER:
            found = self.name(j, lower_ok=True)
        return found

    def join_start(self, i: int) -> int:
        """Where the street joined by the word at `i` starts: "con *calle* 45", "esq. con *la* 10"."""
        j = i + 1
        if self.low(i) in w.CORNER_JOIN:
            j = self.skip_dot(j)
            j = j + 1 if self.low(j) in ("con", "de", "y") else j
        return j

    def join(self, i: int, *, lower_ok: bool = False) -> int | None:
        """ "con calle 45", "y 27", "esquina con madero", "esq. Juárez": the end of the street joined."""
        word = self.low(i)
        if word not in w.JOIN:
            return None
        start = self.join_start(i)
        end = self.street_ref(start, lower_ok=lower_ok or word in w.CORNER_JOIN)
        if end is None:
            return None
        bare = self.is_number(start + 1 if self.low(start) in ("la", "el") else start)
        if bare and self.runs_on(end):
            return None  # "calle 45 con 27" crosses; "la calle 45 con 3 huecos" does not
        return end

    def runs_on(self, i: int) -> bool:
        """A lower-case word that carries on the sentence rather than the place: "con 3 *huecos*"."""
        return (
            self.name_word(i, lower_ok=True)
            and not self.is_upper(i)
            and self.low(i) not in _CARRIES_PLACE
            and self.low(i) not in _PREPOSITIONS.after
        )

    def locality_name(self, i: int, *, bare_ok: bool) -> int | None:
        """A neighbourhood's name after its word: "Centro", "13", "la floresta", "credito constructor".

        In lower case it needs an article or "san" ("barrio la floresta", "barrio san jose") unless it
        follows a street (`bare_ok`): "av insurgentes sur 1602 col credito constructor".
        """
        j = self.skip_dot(i)
        found = self.number(j) or self.name(j, lower_ok=False)
        if found is not None:
            return found
        k = j + 1 if self.low(j) in ("la", "el", "los", "las", "del") else j
        if k == j and not bare_ok and self.low(j) not in w.SAINT:
            return None
        return self.name(k, lower_ok=True)

    def unit(self, i: int) -> int | None:
        """ "apt 4", "apto. 301", "torre B", "#4": a part of the building after the street."""
        if self.low(i) not in w.UNIT and self.low(i) != "#":
            return None
        j = self.skip_dot(i + 1)
        j = j + 1 if self.low(j) in ("#", "no", "nro") else j
        if self.is_number(j):
            return j + 1
        return j + 1 if len(self.low(j)) == 1 and self.is_upper(j) else None

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

    def landmark_place(self, i: int) -> tuple[int, int] | None:
        """ "frente al colegio San José", "in front of the library", "esquina de Juárez y Madero".

        The start and end of the place. A street right after the preposition is the place itself:
        "in front of 5510 Cedar Lane" names "5510 Cedar Lane", as "en la calle 45" names "calle 45".
        """
        found = self.preposition(i)
        if found is None:
            return None
        j, corner = found
        if corner:  # "esquina de santa fe y pueyrredon": a corner is cue enough for lower-case names
            first = self.street_ref(j, lower_ok=True)
            second = self.join(first, lower_ok=True) if first is not None else None
            if second is not None:
                return i, second
        if self.low(j) in w.DETERMINER and self.low(j) not in w.DEFINITE:
            return None
        article = self.low(j) in w.DEFINITE
        det = j + 1 if article else j
        street = self.street(det)
        if street is not None:
            return (i if corner else det), street
        contracted = self.low(j - 1) in ("al", "del")  # "frente al colegio"
        if not self.name_word(det, lower_ok=True) or not (article or contracted or self.is_capital(det)):
            return None
        end = self.name(det, lower_ok=True, max_lower=3)
        return (i, self.number(end) or end) if end is not None else None

    def landmark(self, i: int) -> int | None:
        found = self.landmark_place(i)
        return found[1] if found is not None else None

    def landmark_name(self, i: int) -> int | None:
        """A named landmark without a preposition: "parque El Virrey", "escuela 14", "puente de la 68"."""
        if self.low(i) not in w.LANDMARK:
            return None
        j = i + 1
        if self.low(j) in w.CONNECTOR:
            j += 2 if self.low(j + 1) in ("la", "el") else 1
            if self.low(j) in w.HONORIFIC:  # "la tienda de don Pedro", "panaderia de doña rosa"
                return self.name(self.skip_dot(j + 1), lower_ok=True, max_lower=1)
            return self.number(j) or (self.name(j, lower_ok=False) if self.is_capital(j) else None)
        if self.low(j) in w.SAINT:  # "colegio san jose", "iglesia santa ana"
            return self.name(j, lower_ok=True)
        return self.number(j) or (self.name(j, lower_ok=False) if self.name_word(j, lower_ok=False) else None)

    def near_cue(self, i: int, distance: int) -> bool:
        """Whether `i` comes at most `distance` words after a word about the address."""
        return any(cue < i <= cue + distance for cue in self.cues)

    def is_whole_message(self, i: int, end: int) -> bool:
        """Whether words `i` to `end` are all the message has but punctuation, none a greeting."""
        return (
            i == 0
            and not any(self.low(k)[:1].isalnum() for k in range(end, self.size))
            and w.NOT_A_STREET.isdisjoint(self.lows[i:end])
        )

    def crossing(self, i: int) -> int | None:
        """ "Elm and 9th", "en Rivadavia y Acoyte", "sobre Reforma 222", "Juárez esq. Madero"."""
        first = self.number(i) if self.is_ordinal(i) else self.name(i, lower_ok=False)
        if first is None:
            return None
        after_place_word = self.low(i - 1) in w.PLACE_PREPOSITION
        if after_place_word and self.is_number(first):  # "sobre Reforma 222"
            return self.number(first)
        if after_place_word and not self.is_ordinal(i):  # "en Rivadavia al 5400"
            tail = self.house_tail(first)
            if tail is not None:
                return tail
        if self.low(first) in w.CORNER_JOIN:  # "Corrientes esquina Callao"
            return self.join(first)
        if self.low(first) not in ("and", "&", "y", "con"):
            return None
        second = self.number(first + 1) or self.name(first + 1, lower_ok=False)
        if second is None:
            return None
        if (
            self.is_ordinal(i)
            or self.is_ordinal(first + 1)
            or after_place_word
            or self.near_cue(i, 8)
            or self.is_whole_message(i, second)  # the reply "Corrientes y Callao"
        ):
            return self.number(second) or second
        return None

    def cued_street(self, i: int) -> int | None:
        """A bare name and number soon after "dirección" or "address": "la dirección era otra: Mitre 450"."""
        if not self.cues or self.low(i) in w.CALENDAR or self.low(i) in w.ADDRESS_CUE:
            return None
        if self.near_cue(i, 4):  # "mi direccion es mitre 450"
            end = self.name(i, lower_ok=True)
        elif self.near_cue(i, 8):
            end = self.name(i, lower_ok=False)
        else:
            return None
        if end is None:
            return None
        return self.number(end) if self.is_number(end) else self.house_tail(end)

    def extend(self, end: int) -> int:
        """Grow a place with a crossing, "between A and B", "near the school", "on Birch St", "apt 4"."""
        while True:
            word = self.low(end)
            following: int | None = None
            if word in w.JOIN:
                following = self.join(end)
            elif word in w.BETWEEN:
                first = self.street_ref(end + 1)
                if first is not None and self.low(first) in w.JOIN:
                    following = self.street_ref(first + 1)
            elif word in ("on", "en", "sobre", "at"):
                det = end + 2 if self.low(end + 1) in ("la", "el", "the") else end + 1
                following = self.street(det)
                if following is None and word == "on":  # "the metro station on 8th", "on Main"
                    following = self.number(det) if self.is_ordinal(det) else self.name(det, lower_ok=False)
            elif word in w.LOCALITY:  # "… 1602 col credito constructor"
                following = self.locality_name(end + 1, bare_ok=True)
            elif word == "," and self.low(end + 1) in w.LOCALITY:  # "… #12-30, barrio la floresta"
                following = self.locality_name(end + 2, bare_ok=True)
            elif word == "," and self.low(end + 1) in w.UNIT:  # "1200 Elm Street, apt 4"
                following = self.unit(end + 1)
            else:
                following = self.house_tail(end) or self.unit(end) or self.landmark(end)
            if following is None:
                return end
            end = following

    def lookback(self, i: int) -> int:
        """Where "the fire station on Birch St" or "Reforma 222, Col. Juárez" starts, given "Birch"/"Col"."""
        if self.low(i) in w.LOCALITY:
            number = i - 2 if self.low(i - 1) == "," else i - 1
            start = number
            while (
                start > number - 3
                and self.is_capital(start - 1)
                and self.name_word(start - 1, lower_ok=False)
            ):
                start -= 1
            return start if start < number and self.is_number(number) else i
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
        found = scanner.landmark_place(i)
        if found is None:
            end = (
                scanner.street(i) or scanner.landmark_name(i) or scanner.crossing(i) or scanner.cued_street(i)
            )
            if end is None:
                i += 1
                continue
            found = scanner.lookback(i), end
        start, end = found[0], scanner.extend(found[1])
        # "Calle 45B # 23A-45, barrio Centro" is one address: merge places that touch or overlap.
        if spans and (start <= spans[-1][1] or (start == spans[-1][1] + 1 and scanner.low(start - 1) == ",")):
            start = min(start, spans.pop()[0])
        spans.append((start, end))
        i = end
    places = [(scanner.spans[a][0], scanner.spans[b - 1][1]) for a, b in spans]
    return [Entity("address", text[start:end], start, end) for start, end in places]
