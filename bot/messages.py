"""Frozen messages that cross the boundary between connectors and the conversation core."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Channels whose replies travel in the HTTP answer (or the terminal) rather than through the outbox.
SYNCHRONOUS_CHANNELS = frozenset({"rest", "console"})


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
