"""The explicit list of connectors, which of them the settings switch on, and their senders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from bot.settings import Settings
from connectors import open311, rest, telegram, twilio
from connectors.base import Sender


@dataclass(frozen=True)
class Connector:
    name: str
    add_routes: Callable[[web.Application], None]
    enabled: Callable[[Settings], bool]
    # Channels that push replies (not answered in the HTTP response) build a sender for the outbox.
    make_sender: Callable[[Settings], Sender] | None = None


CONNECTORS: tuple[Connector, ...] = (
    # The web chat needs no credentials: it is always on.
    Connector("rest", rest.add_routes, lambda settings: True),
    # SMS and WhatsApp: on when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set.
    Connector("twilio", twilio.add_routes, twilio.enabled, twilio.make_sender),
    # Telegram: on when TELEGRAM_BOT_TOKEN is set.
    Connector("telegram", telegram.add_routes, telegram.enabled, telegram.make_sender),
    # Open311 GeoReport v2 for the city's other systems: always on; filing needs an API key.
    Connector("open311", open311.add_routes, lambda settings: True),
)


def enabled_connectors(settings: Settings) -> list[Connector]:
    return [c for c in CONNECTORS if c.enabled(settings)]


def senders(settings: Settings) -> dict[str, Sender]:
    """The sender for each pushing channel that is on, by channel name ("sms", "whatsapp", "telegram")."""
    found: dict[str, Sender] = {}
    for connector in enabled_connectors(settings):
        if connector.make_sender is not None:
            sender = connector.make_sender(settings)
            found.update({channel: sender for channel in sender.channels})
    return found
