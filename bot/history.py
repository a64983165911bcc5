"""A turn's messages in the citizen's one history: the inbound message recorded, a replay recognised
(the replies of its first delivery sent back), the bot's replies stored and, on a pushed channel, queued."""

from __future__ import annotations

from dataclasses import dataclass

from bot import metrics
from bot.messages import InboundMessage, OutboundMessage
from bot.outbound import as_outbound, stored_buttons
from bot.turn import Turn
from connectors.channels import channel
from storage import messages as message_rows
from storage import outbox
from storage.engine import AsyncSession
from storage.models import Author, Citizen, Conversation, Direction, Message

# What is kept of the text of a message from a sender over the rate limit (a person may still read it).
MUTED_TEXT_CHARS = 280


@dataclass(frozen=True)
class Outcome:
    """What the pipeline did with one inbound message."""

    replies: tuple[OutboundMessage, ...]
    duplicate: bool = False
    message_id: int | None = None
    # Photos of a citizen erased in this turn: deleted from the media store once the turn has committed.
    forget_media: tuple[str, ...] = ()
    erased: bool = False  # the citizen erased their data in this turn


def record_message(
    session: AsyncSession,
    inbound: InboundMessage,
    citizen: Citizen,
    conversation: Conversation,
    text: str,
) -> Message:
    """The inbound message, added to the session: inserted at the next flush."""
    if conversation.last_channel != inbound.channel or conversation.last_address != inbound.address:
        conversation.last_channel, conversation.last_address = inbound.channel, inbound.address
    location = inbound.location
    message = Message(
        citizen_id=citizen.id,
        conversation_id=conversation.id,
        direction=Direction.IN,
        author=Author.CITIZEN,
        channel=inbound.channel,
        address=inbound.address,
        provider_message_id=inbound.provider_message_id,
        text=text,
        attachments=[
            {"url": a.url, "content_type": a.content_type, "kind": a.kind} for a in inbound.attachments
        ]
        or None,
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
        raw=inbound.raw,
        transcribed_from=inbound.transcribed_from,
    )
    session.add(message)
    return message


def keep_little(message: Message) -> None:
    """A message from a sender already asked to slow down keeps its first words, not its payload: one
    sender posting 400 × 60 kB in seconds stored 24 MB (issue 12, finding 5)."""
    if len(message.text) > MUTED_TEXT_CHARS:
        message.text = message.text[:MUTED_TEXT_CHARS] + "…"
    message.raw = {"kept": "muted: the sender was over the rate limit; text cut, payload not kept"}


async def replayed(session: AsyncSession, inbound: InboundMessage) -> Outcome | None:
    """The stored replies if this message was handled before, else None."""
    existing = await message_rows.find_message(session, inbound.channel, inbound.provider_message_id)
    if existing is None:
        return None
    metrics.DUPLICATES.labels(inbound.channel).inc()
    stored = await message_rows.replies_to(session, existing.id)
    return Outcome(tuple(as_outbound(m) for m in stored), duplicate=True, message_id=existing.id)


async def recorded(session: AsyncSession, message: Message) -> Outcome:
    """Recorded, and no reply."""
    await session.flush()
    return Outcome((), message_id=message.id)


async def store_replies(session: AsyncSession, turn: Turn, message: Message) -> tuple[OutboundMessage, ...]:
    inbound = turn.inbound
    synchronous = channel(inbound.channel).synchronous
    # A voice note's transcript is answered after its request was: the web chat's page fetches these
    # replies as it does a person's ("pending" until it has them).
    later = synchronous and inbound.transcribed_from is not None
    await session.flush()  # the inbound message's id, which every reply points to
    stored = [
        Message(
            citizen_id=turn.citizen.id,
            conversation_id=turn.conversation.id,
            direction=Direction.OUT,
            author=Author.BOT,
            channel=inbound.channel,
            address=inbound.address,
            in_reply_to_id=message.id,
            text=reply.text,
            buttons=stored_buttons(reply.buttons),
            language=turn.language,
            delivery_status=("pending" if later else "delivered") if synchronous else None,
        )
        for reply in turn.replies
    ]
    session.add_all(stored)
    if not synchronous and stored:
        await session.flush()  # one INSERT for all replies; the outbox rows need their ids
        outbox.queue_all(session, stored, sender=inbound.recipient)
    metrics.REPLIES_OUT.labels(inbound.channel).inc(len(stored))
    return tuple(as_outbound(m) for m in stored)


async def reply_ids(session: AsyncSession, message: Message) -> list[int]:
    """The ids of the replies stored for this message."""
    return [m.id for m in await message_rows.replies_to(session, message.id)]
