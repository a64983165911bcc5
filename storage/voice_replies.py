"""The SQL of spoken answers (issue 19, bot/voice_reply.py): who a transcript's turn answered, and the
audio stored as one more bot reply to it, queued like the text replies before it.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.models import Author, Citizen, Direction, Message


@dataclass(frozen=True)
class Answered:
    """The message a turn answered, and its citizen (for `wants_plain`)."""

    message: Message
    citizen: Citizen


async def answered(session: AsyncSession, message_id: int) -> Answered | None:
    """The transcript message `message_id` and its citizen; None once erased."""
    message = await session.get(Message, message_id)
    if message is None:
        return None
    citizen = await session.get(Citizen, message.citizen_id)
    return Answered(message, citizen) if citizen is not None else None


async def add_spoken_reply(
    session: AsyncSession,
    answered: Message,
    attachment: dict[str, str],
    *,
    language: str,
    synchronous: bool,
    sender: str | None,
) -> Message:
    """A bot reply with no text and the audio as its attachment, after the turn's text replies: queued
    in the outbox on a pushing channel, left "pending" for the web chat's poll."""
    reply = Message(
        citizen_id=answered.citizen_id,
        conversation_id=answered.conversation_id,
        direction=Direction.OUT,
        author=Author.BOT,
        channel=answered.channel,
        address=answered.address,
        in_reply_to_id=answered.id,
        text="",
        attachments=[attachment],
        language=language,
        delivery_status="pending" if synchronous else None,
    )
    session.add(reply)
    await session.flush()
    if not synchronous:
        await outbox.queue(session, reply, sender)
    return reply
