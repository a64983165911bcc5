"""One turn of the conversation: what came in, what was understood, the dialogue state, what to say back."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Button, InboundMessage
from bot.settings import Settings
from bot.texts import text
from nlu.base import Parse
from storage.models import Citizen, Conversation, Message


def fold(value: str) -> str:
    """Lower-case, accents and punctuation gone, spaces squeezed: "¡Menú!" → "menu"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w/#-]+", " ", bare).strip()


@dataclass
class Slots:
    """What the citizen has told us so far about the problem they are reporting."""

    service: str | None = None
    description: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    attachments: list[dict[str, str]] = field(default_factory=list)
    location_skipped: bool = False
    photo_skipped: bool = False

    @property
    def has_place(self) -> bool:
        return self.address is not None or self.latitude is not None or self.location_skipped


@dataclass
class DialogueState:
    """Where the dialogue stands; stored as JSON on the conversation between turns."""

    flow: str | None = None  # "report" while a case is being filed
    step: str | None = None  # service | description | location | photo | confirm
    slots: Slots = field(default_factory=Slots)
    choices: list[str] = field(default_factory=list)  # payloads offered last, for numbered answers
    misunderstandings: int = 0
    offered_person: bool = False

    @classmethod
    def load(cls, data: dict[str, Any] | None) -> DialogueState:
        data = dict(data or {})
        slots = Slots(**data.pop("slots", {}) or {})
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(slots=slots, **known)

    def dump(self) -> dict[str, Any]:
        return asdict(self)

    def resolve_choice(self, said: str) -> str:
        """ "2" means the second choice offered last (SMS has no buttons); anything else stays as it is."""
        number = said.strip().rstrip(".)")
        if number.isdigit() and 1 <= int(number) <= len(self.choices):
            return self.choices[int(number) - 1]
        return said

    def reset_flow(self) -> None:
        self.flow = None
        self.step = None
        self.slots = Slots()


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()


@dataclass
class Turn:
    """Everything a dialogue step may read or change; replies collect in `replies`."""

    settings: Settings
    session: AsyncSession
    citizen: Citizen
    conversation: Conversation
    inbound: InboundMessage
    message: Message
    parse: Parse
    language: str
    state: DialogueState
    replies: list[Reply] = field(default_factory=list)
    linked: str | None = None  # how this message joined channels, if it did (see Pipeline.resolve_citizen)

    @property
    def text(self) -> str:
        return self.parse.text

    def t(self, key: str, **values: Any) -> str:
        return text(key, self.language, **values)

    def say(self, key: str, *, buttons: tuple[Button, ...] = (), **values: Any) -> None:
        self.say_text(self.t(key, **values), buttons=buttons)

    def say_text(self, body: str, *, buttons: tuple[Button, ...] = ()) -> None:
        self.replies.append(Reply(body, buttons))
        # Only the last choices offered can be answered with a number.
        self.state.choices = [b.payload for b in buttons] if buttons else []

    def button(self, key: str, payload: str) -> Button:
        return Button(self.t(key), payload)

    def understood(self) -> None:
        self.state.misunderstandings = 0
        self.state.offered_person = False

    def is_confident(self) -> bool:
        return self.parse.confidence >= self.settings.nlu.confidence_threshold
