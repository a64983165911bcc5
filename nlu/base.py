"""The classifier protocol and the `Parse` result every backend returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Entity:
    """Something the classifier picked out of the text: a case code, an address, a phone number."""

    entity: str  # case_code | address | phone_number
    value: str
    start: int
    end: int
    extractor: str = "builtin"


@dataclass(frozen=True)
class IntentScore:
    intent: str
    confidence: float


@dataclass(frozen=True)
class Parse:
    """What a classifier understood of one text."""

    text: str
    intent: str
    confidence: float
    ranking: tuple[IntentScore, ...] = ()
    entities: tuple[Entity, ...] = field(default=())
    language: str | None = None  # "es" | "en" when the backend can tell

    def entity(self, name: str) -> Entity | None:
        """The first entity of that kind, or None."""
        return next((e for e in self.entities if e.entity == name), None)


class Classifier(Protocol):
    """Anything that turns text into a `Parse`: the built-in classifier, Rasa, a scripted fake."""

    async def parse(self, text: str) -> Parse: ...
