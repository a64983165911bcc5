"""Streets as Spanish- and English-speaking cities write them ("cra 7 # 12-34", "Av. Corrientes al 1234",
"1234 Main St"), and where two of them cross."""

from __future__ import annotations

from nlu import address_words as w
from nlu.address_tokens import Tokens

# Words that carry a place on after a number ("calle 45 con 27 *barrio* Centro", "… 27 *sur*").
_CARRIES_PLACE = w.LOCALITY | w.UNIT | w.HOUSE_NO | w.JOIN | w.DIRECTION | w.BETWEEN | {"altura"}
# The first word of a landmark preposition ("frente", "next"): it starts a place, not the sentence's rest.
_PREPOSITION_STARTS = frozenset(phrase[0] for phrase in w.PREPOSITIONS)


class Streets(Tokens):
    """Recursive-descent rules for streets over a message's tokens."""

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
            if kind == "close" and self.low(k + 1) in w.CLOSE_AS_NEAR:
                continue
            lowercase = not any(self.is_capital(n) or self.is_ordinal(n) for n in range(j, k))
            if lowercase and not numbered and kind not in w.EN_STREET_ABBR and not self.placed_lower(j, k):
                return None
            end = self.skip_dot(k + 1)
            return end + 1 if self.low(end) in w.DIRECTION and self.is_capital(end) else end
        return None

    def placed_lower(self, i: int, kind: int) -> bool:
        """Whether a lower-case name from `i` and the street word at `kind` are a street for where they are:
        right after a word that places something ("behind cathays terrace"), one or two words, not all of
        them saying what kind of street it is ("in bus lane"). All in lower case, as typed in a hurry."""
        return (
            self.low(i - 1) in w.EN_PLACE_BEFORE
            and self.low(kind) in w.EN_STREET_LOWER
            and not self.is_upper(kind)
            and kind - i <= 2
            and not all(self.low(n) in w.EN_STREET_KIND or self.is_number(n) for n in range(i, kind))
        )

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
            and self.low(i) not in _PREPOSITION_STARTS
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
            or self.near_street_talk(i, first, second)  # "no, la otra calle: Orizaba con Puebla"
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
