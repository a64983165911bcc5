"""A message as the address finder reads it: folded words, and the numbers and names among them."""

from __future__ import annotations

import re
import unicodedata

from nlu import address_words as w

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|\S")
_NUMBER = re.compile(r"\d+[a-z]?")
_ORDINAL = re.compile(r"\d+(st|nd|rd|th)")
_LETTER_AFTER_NUMBER = frozenset("bcdefgh")  # "45 b", "10 c"
_CUE_WORDS = w.ADDRESS_CUE | w.LIVE_CUE
_TALK_WORDS = w.STREET_TALK | w.CORNER_TALK


def _fold(word: str) -> str:
    if word.isascii():  # most tokens: NFKD leaves ASCII alone and it has no combining marks
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Tokens:
    """The words of one message and what each may be; every rule returns the index after what it matched,
    or None (the street and landmark rules build on these, `nlu.address_streets`, `nlu.addresses`)."""

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
        # "la otra calle, Orizaba con Puebla": where a street or corner is talked of, if anywhere.
        self.talk: list[int] = []
        if not _TALK_WORDS.isdisjoint(self.lows):
            self.talk = [n for n, low in enumerate(self.lows) if low in _TALK_WORDS]

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

    def name(self, i: int, *, lower_ok: bool, max_lower: int = 2) -> int | None:
        """Up to four words of a name: "San José", "Juan B. Justo", "de los Novios", "del barrio".

        At most `max_lower` of them in lower case, where a name may run into the sentence; a saint's title
        ("san jose") marks a name as a capital does, so it costs nothing: "parroquia san jose del barrio".
        """
        j, lowers, words = i, 0, 0
        while words < 4:
            more_lower = lower_ok and lowers < max_lower
            if self.name_word(j, lower_ok=more_lower):
                free = self.is_capital(j) or (self.low(j) in w.SAINT and self.name_word(j + 1, lower_ok=True))
                lowers += 0 if free else 1
                j, words = j + 1, words + 1
                if len(self.low(j - 1)) == 1 and self.low(j) == ".":  # an initial: "Juan B. Justo"
                    j += 1
            elif self.low(j) in w.CONNECTOR and words and self.is_number(j + 1):
                j += 2  # "escuela de la 70" is rare, "mercado de 70" rarer; see `landmark_name`
            # A connector joins only a word the name may still take, or the place would end on "del".
            elif (
                self.low(j) in w.CONNECTOR
                and self.name_word(j + 1, lower_ok=more_lower and words > 0)
                and self.low(j + 1) not in w.ES_STREET_ABBR  # "la plaza de Av. Arequipa 2500"
            ):
                j += 1  # "San Juan de Dios", "Jr. de la Unión", "paradero de buses"
            elif self.low(j) in w.CONNECTOR and self.low(j + 1) in ("la", "los", "las", "the"):
                if not self.name_word(j + 2, lower_ok=more_lower and words > 0):
                    break
                j += 2
            else:
                break
        return j if words else None

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

    def near_street_talk(self, i: int, join: int, end: int) -> bool:
        """Whether a crossing's first name at `i`, joined by the word at `join` and ending before `end`,
        comes right after a street or corner word, with at most punctuation and "es" between ("la otra
        calle, *Orizaba* con Puebla"), and ends its clause ("en la esquina, Pedro y Juan se caen": people)."""
        if not self.is_capital(i):  # a name, not the "de" before one ("la calle es de Juan con Pedro")
            return False
        after = self.low(end)
        if after and after[:1].isalnum() and after not in w.AFTER_CROSSING:
            return False
        corner_only = self.low(join) not in ("con", "&")
        return any(
            k < i <= k + 4
            and (not corner_only or self.lows[k] in w.CORNER_TALK)
            and all(self.lows[n] in w.TALK_FILLER or not self.lows[n][:1].isalnum() for n in range(k + 1, i))
            for k in self.talk
        )

    def is_whole_message(self, i: int, end: int) -> bool:
        """Whether words `i` to `end` are all the message has but punctuation, none a greeting."""
        return (
            i == 0
            and not any(self.low(k)[:1].isalnum() for k in range(end, self.size))
            and w.NOT_A_STREET.isdisjoint(self.lows[i:end])
        )
