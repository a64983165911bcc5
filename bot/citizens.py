"""Who wrote: the citizen behind a channel address, their conversation, and channels joined by proof.

A phone number seen on SMS and WhatsApp is one citizen; a Telegram user who shares their own number joins
the same history. A link code typed on another channel is a claim the owner confirms (bot/linking.py),
handled by the dialogue after the rate limit, never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.messages import InboundMessage
from connectors import channels
from storage import citizens, conversations
from storage import messages as message_rows
from storage.engine import AsyncSession
from storage.models import ChannelIdentity, Citizen, Conversation, utcnow

# Channels whose address is the citizen's phone number (E.164): one number, one citizen.
# How stale a channel's "last message from the citizen" may be before a turn writes it again.
LAST_SEEN_PRECISION = timedelta(minutes=1)
# dialogue.max_messages_per_minute counts the messages of this window.
RATE_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Found:
    """The citizen of a message, their conversation (locked for this turn), "contact" when the message
    joined their number's history, and how many messages they sent in the last minute."""

    citizen: Citizen
    conversation: Conversation
    linked: str | None
    recent: int


async def find(session: AsyncSession, inbound: InboundMessage, default_language: str) -> Found:
    """Most messages come from an address seen before that links nothing: one query reads the identity,
    the citizen, the conversation and the count together. The first message or a shared contact take the
    longer way."""
    since = utcnow() - RATE_WINDOW
    if inbound.contact is None:
        found = await citizens.identity_with_conversation(session, inbound.channel, inbound.address, since)
        if found is not None:
            identity, citizen, conversation, recent = found
            seen(identity, inbound)
            return Found(citizen, conversation, None, recent)
    citizen, linked = await citizen_of(session, inbound, default_language)
    conversation = await conversations.conversation_for_update(session, citizen.id)
    return Found(
        citizen, conversation, linked, await message_rows.recent_inbound_count(session, citizen.id, since)
    )


def seen(identity: ChannelIdentity, inbound: InboundMessage) -> None:
    now = utcnow()
    # The WhatsApp window is 24 h: a time up to a minute old only makes it close a minute early, and
    # saves an UPDATE on most turns of a conversation.
    if identity.last_inbound_at is None or now - identity.last_inbound_at > LAST_SEEN_PRECISION:
        identity.last_inbound_at = now
    if inbound.display_name and identity.display_name != inbound.display_name:
        identity.display_name = inbound.display_name


async def citizen_of(
    session: AsyncSession, inbound: InboundMessage, default_language: str, *, link: bool = True
) -> tuple[Citizen, str | None]:
    """The citizen behind this address, joining channels where the message proves they are one person.

    The second value is "contact" when the message shared the sender's own number and so joined that
    number's history, else None. `link=False` never joins.
    """
    identity = await citizens.find_identity(session, inbound.channel, inbound.address)
    if identity is None:
        phone = inbound.address if inbound.channel in channels.PHONE else None
        owner = await citizens.citizen_by_phone(session, phone) if phone else None
        if owner is not None:
            identity = await citizens.add_identity(
                session, owner.id, inbound.channel, inbound.address, inbound.display_name
            )
        else:
            identity = await citizens.create_citizen_with_identity(
                session,
                inbound.channel,
                inbound.address,
                language=default_language,
                display_name=inbound.display_name,
                phone_e164=phone,
            )
    seen(identity, inbound)
    citizen = await citizens.get_citizen(session, identity.citizen_id)
    if not link:
        return citizen, None
    if inbound.contact is not None and inbound.contact.belongs_to_sender:
        owner = await citizens.citizen_by_phone(session, inbound.contact.phone_number)
        return await join(session, citizen, owner, phone=inbound.contact.phone_number), "contact"
    return citizen, None


async def join(
    session: AsyncSession, citizen: Citizen, owner: Citizen | None, phone: str | None = None
) -> Citizen:
    """Fold `citizen` into `owner` (the one who already has the number or the code), or keep it."""
    if owner is None or owner.id == citizen.id:
        if phone is not None:
            citizen.phone_e164 = phone
        return citizen
    owner_id = owner.id
    await citizens.merge_citizens(session, source=citizen, target=owner)
    return await citizens.get_citizen(session, owner_id)
