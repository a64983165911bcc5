"""The voice-note queue's SQL: a note queued with its message, claimed by one worker at a time (leased, so
a crashed worker's note is heard again), its transcript kept until handed on, and finished.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import wakeups
from storage.models import Message, VoiceNote, VoiceStatus, utcnow

_QUEUED = "ventanilla.voice_queued"  # set in `session.info` by `queue`, read after the commit


async def queue(session: AsyncSession, message: Message, recipient: str | None) -> None:
    """Hear this message's voice note; inserted with the message, in its turn's transaction. `recipient`:
    our own address it was sent to, where the replies leave from."""
    await session.flush()  # the message's id
    session.add(VoiceNote(message_id=message.id, recipient=recipient))
    wakeups.flag(session, _QUEUED)


def when_queued(
    sessions: async_sessionmaker[AsyncSession], callback: Callable[[], None]
) -> Callable[[], None]:
    """Call `callback` after every commit through `sessions` that queued a note: the worker's wake-up."""
    return wakeups.after_commit(sessions, _QUEUED, callback)  # what it returns stops it


@dataclass(frozen=True)
class Claimed:
    """A note taken for hearing, with what its new message needs, read in the claiming transaction."""

    note_id: int
    tries: int
    transcript: str | None  # heard before a crash: not heard again
    outcome: str | None
    language: str | None
    message_id: int
    recipient: str | None
    channel: str
    address: str
    provider_message_id: str | None
    attachments: list[dict[str, Any]] | None  # None once erased or past retention


async def claim(session: AsyncSession, *, now: datetime, lease: timedelta, batch: int) -> list[Claimed]:
    """Due notes, each to exactly one worker (others skip the locked rows), leased until `now + lease`."""
    rows = (
        await session.execute(
            select(VoiceNote, Message)
            .join(Message, Message.id == VoiceNote.message_id)
            .where(VoiceNote.status == VoiceStatus.PENDING, VoiceNote.next_attempt_at <= now)
            .order_by(VoiceNote.next_attempt_at, VoiceNote.id)
            .limit(batch)
            .with_for_update(skip_locked=True, of=VoiceNote)
        )
    ).all()
    claimed = []
    for note, message in rows:
        note.tries += 1
        note.next_attempt_at = now + lease
        claimed.append(
            Claimed(
                note.id,
                note.tries,
                note.transcript,
                note.outcome,
                note.language,
                message.id,
                note.recipient,
                message.channel,
                message.address,
                message.provider_message_id,
                message.attachments,
            )
        )
    return claimed


async def keep_heard(
    session: AsyncSession,
    note_id: int,
    *,
    outcome: str,
    transcript: str,
    language: str | None,
    confidence: float,
    seconds: float,
) -> None:
    """What was heard, kept so a crash before the hand-off does not mean hearing it again."""
    await session.execute(
        update(VoiceNote)
        .where(VoiceNote.id == note_id)
        .values(
            outcome=outcome, transcript=transcript, language=language, confidence=confidence, seconds=seconds
        )
    )


async def finish(session: AsyncSession, note_id: int, outcome: str | None = None) -> None:
    """Done: the transcript is the new message's text now (retained and erased as such), not kept here."""
    values: dict[str, Any] = {"status": VoiceStatus.DONE, "transcript": None, "done_at": utcnow()}
    if outcome is not None:
        values["outcome"] = outcome
    await session.execute(update(VoiceNote).where(VoiceNote.id == note_id).values(**values))


async def still_there(session: AsyncSession, message_id: int) -> bool:
    """Whether the note's message still carries it (not erased nor blanked by retention meanwhile)."""
    attachments = await session.scalar(select(Message.attachments).where(Message.id == message_id))
    return bool(attachments)
