"""The outbox's SQL, in one place: rows queued with their message, claimed a citizen's run at a time,
marked sent, failed, retried or released, and the providers' delivery statuses.

Each function takes the session explicitly and never commits. A commit that queued rows rings the
callbacks registered with `when_queued` (the outbox worker's wake-up), whoever queued them: the pipeline,
the case workflow, the inbox, or any later proactive message.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, Update, bindparam, case, exists, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from storage import broadcasts, wakeups
from storage.citizens import find_identity
from storage.models import ChannelIdentity, Direction, Message, OutboxItem, OutboxStatus, utcnow
from storage.preferential import citizen_preferential

# Rows still to be sent: a citizen's next reply waits until every earlier one has left one of these.
UNSENT = (OutboxStatus.PENDING, OutboxStatus.SENDING)
_QUEUED = "ventanilla.outbox_queued"  # set in `session.info` by `queue`, read after the commit


def row_for(message: Message, sender: str | None = None) -> OutboxItem:
    """The outbox row for a stored outbound message (which must have its id), not yet added."""
    return OutboxItem(
        message_id=message.id,
        channel=message.channel,
        address=message.address,
        sender=sender,
        idempotency_key=f"msg-{message.id}-{secrets.token_hex(8)}",
    )


def queue_all(session: AsyncSession, messages: Sequence[Message], sender: str | None = None) -> None:
    """Queue stored outbound messages for the worker; it is woken once this transaction commits."""
    if messages:
        session.add_all(row_for(message, sender) for message in messages)
        wakeups.flag(session, _QUEUED)


async def queue(session: AsyncSession, message: Message, sender: str | None = None) -> OutboxItem:
    item = row_for(message, sender)
    session.add(item)
    wakeups.flag(session, _QUEUED)
    await session.flush()
    return item


def when_queued(
    sessions: async_sessionmaker[AsyncSession], callback: Callable[[], None]
) -> Callable[[], None]:
    """Call `callback` after every commit, through sessions from `sessions`, that queued rows: the one
    wake-up of the outbox worker. Sessions of other factories (another app in the same process) do not
    ring it."""
    return wakeups.after_commit(sessions, _QUEUED, callback)  # what it returns stops it


@dataclass(frozen=True)
class Claimed:
    """A row taken for sending, with what the sender needs, read in the claiming transaction."""

    item: OutboxItem
    message: Message
    last_inbound_at: datetime | None
    opted_out: bool


def _unsent_with_messages() -> Select[OutboxItem, Message]:
    return (
        select(OutboxItem, Message)
        .join(Message, Message.id == OutboxItem.message_id)
        .where(OutboxItem.status.in_(UNSENT))
    )


async def claim(
    session: AsyncSession, channels: Sequence[str], *, now: datetime, batch: int, lease: timedelta
) -> list[Claimed]:
    """Take due rows, never two of one citizen's replies by two workers: each takes a citizen's run.

    A row is claimable when it is the first unsent one of its (channel, address) — its "head" — and due.
    With the head locked, the due rows behind it are taken too, so one worker sends a citizen's replies
    one after the other while the others skip that citizen: no reply can overtake an earlier one, not
    even across workers or after a failed try. Claimed rows are `sending` until `now + lease`.
    """
    earlier = aliased(OutboxItem)
    heads = (
        await session.execute(
            _unsent_with_messages()
            .where(
                OutboxItem.channel.in_(tuple(channels)),
                OutboxItem.next_attempt_at <= now,
                ~exists().where(
                    earlier.channel == OutboxItem.channel,
                    earlier.address == OutboxItem.address,
                    earlier.status.in_(UNSENT),
                    earlier.id < OutboxItem.id,
                ),
            )
            # Preferential citizens' rows first (issue 19): a full batch never leaves theirs behind.
            .order_by(
                case((citizen_preferential(Message.citizen_id), 0), else_=1),
                OutboxItem.next_attempt_at,
                OutboxItem.id,
            )
            .limit(batch)
            # Several workers share the table: each head goes to exactly one of them.
            .with_for_update(skip_locked=True, of=OutboxItem)
        )
    ).all()
    if not heads:
        return []
    items: list[tuple[OutboxItem, Message]] = [(item, message) for item, message in heads]
    items += await _runs_behind(session, [item for item, _ in heads], now)
    identities = await _identities(session, {(item.channel, item.address) for item, _ in items})
    claimed = []
    for item, message in items:
        item.status = OutboxStatus.SENDING
        item.attempts += 1
        item.next_attempt_at = now + lease
        identity = identities.get((item.channel, item.address))
        last_inbound = identity.last_inbound_at if identity else None
        claimed.append(Claimed(item, message, last_inbound, bool(identity and identity.opted_out)))
    return claimed


async def _runs_behind(
    session: AsyncSession, heads: list[OutboxItem], now: datetime
) -> list[tuple[OutboxItem, Message]]:
    """For each head, the due unsent rows queued after it for its address, up to the first not due."""
    rows = (
        await session.execute(
            _unsent_with_messages()
            .where(
                tuple_(OutboxItem.channel, OutboxItem.address).in_({(h.channel, h.address) for h in heads})
            )
            .order_by(OutboxItem.id)
            .with_for_update(of=OutboxItem)
        )
    ).all()
    head_of = {(h.channel, h.address): h.id for h in heads}
    stopped: set[tuple[str, str]] = set()
    behind = []
    for item, message in rows:
        key = (item.channel, item.address)
        if item.id <= head_of[key] or key in stopped:
            continue
        if item.next_attempt_at > now:
            stopped.add(key)  # held back behind a failed try: it waits for the head's next attempt
            continue
        behind.append((item, message))
    return behind


async def _identities(
    session: AsyncSession, addresses: set[tuple[str, str]]
) -> dict[tuple[str, str], ChannelIdentity]:
    found = await session.scalars(
        select(ChannelIdentity).where(tuple_(ChannelIdentity.channel, ChannelIdentity.address).in_(addresses))
    )
    return {(i.channel, i.address): i for i in found}


def mark_sent_statements() -> tuple[Update, Update]:
    """The two UPDATEs that record a sent message: its outbox row, and the message's delivery status.

    The session holds none of these rows, so there is nothing in it to synchronise."""
    row = (
        update(OutboxItem)
        .where(OutboxItem.id == bindparam("item_id"))
        .values(
            status=OutboxStatus.SENT,
            sent_at=bindparam("now"),
            last_error=None,
            # The last reply to a citizen who erased their data leaves nothing behind once sent.
            provider_message_id=case((OutboxItem.forget_after_send, None), else_=bindparam("sid")),
            address=case((OutboxItem.forget_after_send, ""), else_=OutboxItem.address),
        )
        .execution_options(synchronize_session=False)
    )
    message = (
        update(Message)
        .where(Message.id == bindparam("message_id"))
        .values(
            provider_message_id=case((Message.address == "", None), else_=bindparam("sid")),
            delivery_status=bindparam("status"),
        )
        .execution_options(synchronize_session=False)
    )
    return row, message


# Built once, as every message a pushed channel sends runs both (bench/statements.py).
_MARK_ROW_SENT, _MARK_MESSAGE_SENT = mark_sent_statements()


async def mark_sent(
    session: AsyncSession, item_id: int, message_id: int, provider_message_id: str | None, status: str
) -> None:
    await session.execute(_MARK_ROW_SENT, {"item_id": item_id, "now": utcnow(), "sid": provider_message_id})
    await session.execute(
        _MARK_MESSAGE_SENT, {"message_id": message_id, "sid": provider_message_id, "status": status}
    )


async def retry_at(session: AsyncSession, item_id: int, reason: str, when: datetime) -> OutboxItem:
    """The try failed for a reason that may pass: pending again, due at `when`."""
    item = await session.get(OutboxItem, item_id)
    assert item is not None
    item.last_error, item.status, item.next_attempt_at = reason[:2000], OutboxStatus.PENDING, when
    return item


async def give_up(session: AsyncSession, item_id: int, reason: str) -> OutboxItem:
    """No more tries: the row is failed, and so is its message's delivery."""
    item = await session.get(OutboxItem, item_id)
    assert item is not None
    item.last_error, item.status = reason[:2000], OutboxStatus.FAILED
    if item.forget_after_send:  # a provider's reason may quote the number
        item.address, item.last_error = "", "not sent"
    await session.execute(
        update(Message).where(Message.id == item.message_id).values(delivery_status="failed")
    )
    return item


async def release(
    session: AsyncSession, item_ids: Sequence[int], *, after: int, opted_out_reason: str
) -> None:
    """Give claimed rows back untried, due no sooner than the row `after` that failed before them; if the
    citizen has opted out meanwhile, they fail instead."""
    failed = await session.get(OutboxItem, after)
    assert failed is not None
    identity = await find_identity(session, failed.channel, failed.address)
    due = failed.next_attempt_at if failed.status == OutboxStatus.PENDING else utcnow()
    for item_id in item_ids:
        item = await session.get(OutboxItem, item_id)
        assert item is not None
        item.attempts -= 1
        if identity is not None and identity.opted_out:
            await give_up(session, item_id, opted_out_reason)
        else:
            item.status, item.next_attempt_at = OutboxStatus.PENDING, due


async def record_delivery_status(
    session: AsyncSession, channels: Sequence[str], provider_message_id: str, status: str
) -> Message | None:
    """Set the provider's delivery status on the outbound message it names; None if we never sent it."""
    message = await session.scalar(
        select(Message).where(
            Message.channel.in_(channels),
            Message.provider_message_id == provider_message_id,
            Message.direction == Direction.OUT,
        )
    )
    if message is not None and _may_follow(message.delivery_status, status):
        message.delivery_status = status
        if status in ARRIVED:  # a survey's or an alert's copy arrived (issue 16)
            await broadcasts.mark_delivered(session, message.id, utcnow())
    return message


ARRIVED = ("delivered", "read")
# Providers' callbacks can arrive out of order: a late "sent" must not undo "delivered" or "read".
_PROGRESS = {"queued": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4}


def _may_follow(current: str | None, new: str) -> bool:
    if current is None or new not in _PROGRESS or current not in _PROGRESS:
        return True  # failures always land; nothing known yet: take it
    return _PROGRESS[new] >= _PROGRESS[current]
