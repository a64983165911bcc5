"""Frozen messages that cross the boundary between connectors and the conversation core."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

# The columns' sizes: a longer provider id is kept as a prefix and a hash of the whole (still unique, so a
# retry is still recognised); a longer display name is cut.
MAX_PROVIDER_ID = 200
MAX_DISPLAY_NAME = 200
# C0 controls but tab and newline, and halves of UTF-16 surrogate pairs: no database stores them as text.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def storable(value: str) -> str:
    """Text any database stores: NUL and other control characters dropped, lone surrogates replaced."""
    return _UNSTORABLE.sub(lambda m: "" if m.group() < "\ud800" else "\ufffd", value)


def _storable_tree(value: Any) -> Any:
    """A JSON-like payload with every string storable (keys too), for the audit trail."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable(str(k)): _storable_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable_tree(v) for v in value]
    return value


def provider_key(value: str) -> str:
    value = storable(value)
    if len(value) <= MAX_PROVIDER_ID:
        return value
    return f"{value[:120]}#{hashlib.sha256(value.encode()).hexdigest()}"


@dataclass(frozen=True)
class Location:
    """A point the citizen shared (a map pin), with whatever the channel adds to it."""

    latitude: float
    longitude: float
    address: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file the citizen sent: a photo, a document, a voice note."""

    url: str
    content_type: str
    kind: str = "photo"  # photo | document | voice | video | other


@dataclass(frozen=True)
class SharedContact:
    """A phone number the citizen shared from their own account (Telegram's contact button)."""

    phone_number: str
    first_name: str | None = None
    belongs_to_sender: bool = False


@dataclass(frozen=True)
class InboundMessage:
    """One message from a citizen, as a connector understood it; `raw` is for the audit trail only."""

    channel: str
    address: str
    provider_message_id: str
    text: str = ""
    location: Location | None = None
    attachments: tuple[Attachment, ...] = ()
    contact: SharedContact | None = None
    display_name: str | None = None
    recipient: str | None = None  # our own address the citizen wrote to (the Twilio number), if any
    command: str | None = None  # "opt_out" | "opt_in" when the provider signalled one (SMS STOP/START)
    raw: Any = None
    # The id of the voice-note message this text was heard from (bot/voice_notes.py); None when typed.
    transcribed_from: int | None = None

    def __post_init__(self) -> None:
        # Bounded and cleaned here, once for every connector: a value the database cannot store would
        # fail the turn on every retry and read as "database unavailable" (issue 12, finding 7).
        object.__setattr__(self, "provider_message_id", provider_key(self.provider_message_id))
        object.__setattr__(self, "text", storable(self.text))
        if self.display_name is not None:
            object.__setattr__(self, "display_name", storable(self.display_name)[:MAX_DISPLAY_NAME] or None)
        if self.raw is not None:
            object.__setattr__(self, "raw", _storable_tree(self.raw))


@dataclass(frozen=True)
class Button:
    """A choice offered to the citizen: `title` is shown, `payload` is what comes back when chosen."""

    title: str
    payload: str


@dataclass(frozen=True)
class OutboundMessage:
    """One reply for a citizen; channels without buttons render them as numbered options."""

    channel: str
    address: str
    text: str
    buttons: tuple[Button, ...] = ()
    language: str = "es"
    attachments: tuple[Attachment, ...] = field(default=())
    sender: str | None = None  # our address to send from (a reply leaves from the number written to)
    # An approved WhatsApp template to send instead of the text (a follow-up outside the 24-hour window),
    # and its variables {{1}}, {{2}}…; channels without templates ignore it.
    template_sid: str | None = None
    template_variables: tuple[str, ...] = ()
