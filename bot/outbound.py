"""The one way out: a message to a citizen is stored in their history and leaves on the right channel.

The bot's replies, a person's answer from the inbox, news about a case, a question from a follow-up: each
is an outbound `Message` row. On a channel that pushes (SMS, WhatsApp, Telegram) it gets an outbox row in
the same transaction, and the commit wakes the outbox worker (`storage.outbox.when_queued`); the web chat
only answers requests, so its message waits as "pending" for the page to fetch it.
"""

from __future__ import annotations

from bot import suppression
from bot.messages import Attachment, Button, OutboundMessage
from connectors.channels import channel as channel_of
from storage import messages, outbox
from storage.conversations import conversation_of
from storage.engine import AsyncSession
from storage.models import Author, Citizen, Direction, Message


def as_outbound(message: Message, sender: str | None = None, to: str | None = None) -> OutboundMessage:
    """The boundary type a connector sends, from the stored row (an outbound row's `raw` holds the
    template it asked for, if any); `to`: the outbox row's address, which outlives the message's when
    the citizen erased their data."""
    raw = message.raw if message.direction == Direction.OUT else None  # an inbound raw is the provider's
    template = raw.get("template", {}) if isinstance(raw, dict) else {}
    # What we send along (a spoken answer, issue 19); an inbound row's attachments are the citizen's own.
    sent_along = message.attachments or () if message.direction == Direction.OUT else ()
    return OutboundMessage(
        channel=message.channel,
        address=to or message.address,
        text=message.text,
        buttons=tuple(Button(b["title"], b["payload"]) for b in message.buttons or ()),
        language=message.language or "es",
        attachments=tuple(
            Attachment(a["url"], a.get("content_type", ""), a.get("kind", "other")) for a in sent_along
        ),
        sender=sender,
        template_sid=template.get("sid"),
        template_variables=tuple(template.get("variables", ())),
    )


def stored_buttons(buttons: tuple[Button, ...]) -> list[dict[str, str]] | None:
    return [{"title": b.title, "payload": b.payload} for b in buttons] or None


async def send_to_citizen(
    session: AsyncSession,
    citizen_id: int,
    body: str,
    *,
    author: str,
    language: str,
    staff_id: int | None = None,
    to: tuple[str, str] | None = None,
    buttons: tuple[Button, ...] = (),
    template: tuple[str, tuple[str, ...]] | None = None,
) -> Message | None:
    """Record an outbound message on the citizen's last channel (or `to`: a channel and address of
    theirs) and queue it; None if they have none. `template`: a WhatsApp template's SID and variables
    to send instead of the text (which the history keeps)."""
    conversation = await conversation_of(session, citizen_id)
    if conversation is None:
        return None
    channel, address = to or (conversation.last_channel, conversation.last_address)
    if not channel or not address:
        return None
    if author == Author.SYSTEM:  # sent on the city's own initiative: not to a number that erased its data
        citizen = await session.get(Citizen, citizen_id)
        if citizen is None or await suppression.blocks(session, channel, address, citizen.created_at):
            return None
    message = await messages.add_message(
        session,
        citizen_id=citizen_id,
        conversation_id=conversation.id,
        direction=Direction.OUT,
        author=author,
        staff_id=staff_id,
        channel=channel,
        address=address,
        text=body,
        buttons=stored_buttons(buttons),
        language=language,
        raw={"template": {"sid": template[0], "variables": list(template[1])}} if template else None,
    )
    if channel_of(message.channel).synchronous:
        message.delivery_status = "pending"
    else:
        await outbox.queue(session, message)
    return message
