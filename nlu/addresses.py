"""Find street addresses and landmarks ("calle 45 con carrera 27", "in front of the library") in a message."""

from __future__ import annotations

from nlu import address_words as w
from nlu.address_streets import Streets
from nlu.base import Entity


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


class _Scanner(Streets):
    """Landmarks by their prepositions, and a place grown to all it names, over streets and names."""

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


_CLOSING = frozenset({".", ",", ";", ":", "!", "?", "…"})


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
    # A sentence's full stop (a transcript ends with one) is not part of the place.
    spans = [(a, b - 1 if b - 1 > a and scanner.low(b - 1) in _CLOSING else b) for a, b in spans]
    places = [(scanner.spans[a][0], scanner.spans[b - 1][1]) for a, b in spans]
    return [Entity("address", text[start:end], start, end) for start, end in places]
