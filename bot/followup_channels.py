"""Where a follow-up goes: the citizen's last chat channel, unless they opted out of it; on WhatsApp outside
the 24-hour window (connectors/channels.py declares it) the approved template, else SMS to the same number,
else nowhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.settings import Settings
from connectors.channels import channel as channel_of
from storage import citizens as citizen_rows
from storage.engine import AsyncSession
from storage.models import Conversation

FIXED = "fixed"  # the follow-up that asks "¿Lo arreglaron?" (the other only asks for a rating)
# Free text is only sent this long after the citizen's last message, so it is still inside the window when
# the provider gets it.
WINDOW_MARGIN = timedelta(minutes=1)


@dataclass(frozen=True)
class Route:
    """Where a follow-up goes: a channel and address of the citizen's, maybe as an approved template."""

    channel: str
    address: str
    template: tuple[str, tuple[str, ...]] | None = None


class NotSent(Exception):
    """The follow-up cannot be asked; `reason` is a short code the inbox shows in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def in_window(last_inbound_at: datetime | None, window: timedelta, now: datetime) -> bool:
    return last_inbound_at is not None and now - last_inbound_at < window - WINDOW_MARGIN


async def route(
    session: AsyncSession, settings: Settings, conversation: Conversation, kind: str, now: datetime
) -> Route:
    """The citizen's last channel; WhatsApp outside its window: the template (the fixed question only),
    else SMS to the same number when SMS is on, else `NotSent`."""
    name, address = conversation.last_channel, conversation.last_address
    declared = channel_of(name)
    if not name or not address or not declared.chat:
        raise NotSent("no_channel")
    identity = await citizen_rows.find_identity(session, name, address)
    if identity is not None and identity.opted_out:
        raise NotSent("opted_out")
    window = declared.reply_window
    if window is None or in_window(identity.last_inbound_at if identity else None, window, now):
        return Route(name, address)
    sid = settings.twilio.followup_template_sid
    if kind == FIXED and sid and settings.secrets.twilio_whatsapp_from:
        return Route(name, address, template=(sid, ()))  # variables filled in by `ask`
    if settings.secrets.twilio_sms_from:
        sms = await citizen_rows.find_identity(session, "sms", address)
        if sms is not None and sms.opted_out:
            raise NotSent("opted_out")
        return Route("sms", address)
    raise NotSent("outside_window")
