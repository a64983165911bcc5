"""The explicit list of connectors, which of them the settings switch on, and their senders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from bot.settings import Settings
from connectors.base import HandOff, Sender
from connectors.email import config as email_config
from connectors.email import routes as email
from connectors.email import sender as email_sender
from connectors.open311 import routes as open311
from connectors.rest import routes as rest
from connectors.telegram import client as telegram_client
from connectors.telegram import routes as telegram
from connectors.telegram import sender as telegram_sender
from connectors.twilio import config as twilio_config
from connectors.twilio import routes as twilio
from connectors.twilio import sender as twilio_sender


@dataclass(frozen=True)
class Connector:
    name: str
    add_routes: Callable[[web.Application, HandOff], None]
    enabled: Callable[[Settings], bool]
    # Channels that push replies (not answered in the HTTP response) build a sender for the outbox.
    make_sender: Callable[[Settings], Sender] | None = None


CONNECTORS: tuple[Connector, ...] = (
    # The web chat needs no credentials: it is always on.
    Connector("rest", rest.add_routes, lambda settings: True),
    # SMS and WhatsApp: on when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set.
    Connector("twilio", twilio.add_routes, twilio_config.enabled, twilio_sender.make_sender),
    # Telegram: on when TELEGRAM_BOT_TOKEN is set.
    Connector("telegram", telegram.add_routes, telegram_client.enabled, telegram_sender.make_sender),
    # The city's mailbox (issue 18): on when email.address, the servers and VENTANILLA_IMAP_PASSWORD are set.
    Connector("email", email.add_routes, email_config.enabled, email_sender.make_sender),
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
