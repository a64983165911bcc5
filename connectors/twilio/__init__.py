"""SMS and WhatsApp through Twilio: signed webhooks in, the REST API out (see docs/twilio.md)."""

from bot.settings import Settings
from connectors.base import Sender
from connectors.twilio.config import TwilioConfig, enabled
from connectors.twilio.routes import add_routes
from connectors.twilio.sender import TwilioSender


def make_sender(settings: Settings) -> Sender:
    return TwilioSender.from_settings(settings)


__all__ = ["TwilioConfig", "TwilioSender", "add_routes", "enabled", "make_sender"]
