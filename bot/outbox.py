"""The outbox worker: pushes queued replies to providers, retrying with backoff, never sending a row twice."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, exists, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from bot import metrics
from bot.messages import Button, OutboundMessage
from connectors.base import DeliveryError, Sender
from storage import queries
from storage.models import ChannelIdentity, Message, OutboxItem, OutboxStatus, utcnow

log = logging.getLogger(__name__)
OPTED_OUT = "the citizen opted out of this channel"
# Rows still to be sent: a citizen's next reply waits until every earlier one has left one of these.
UNSENT = (OutboxStatus.PENDING, OutboxStatus.SENDING)


def _unsent_with_messages() -> Select[OutboxItem, Message]:
    """Outbox rows not yet sent, each with the message it carries."""
    return (
        select(OutboxItem, Message)
        .join(Message, Message.id == OutboxItem.message_id)
        .where(OutboxItem.status.in_(UNSENT))
    )


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_delay: float = 1.0  # seconds before the second try; doubles each time
    max_delay: float = 300.0
    # A claimed row is someone's for this long; if that worker dies mid-send, another may take it.
    lease: float = 60.0

    def delay(self, attempts: int) -> float:
        """Exponential backoff with full jitter, so a recovering provider is not hit by a thundering herd."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** max(0, attempts - 1))
        return random.uniform(ceiling / 2, ceiling)


@dataclass(frozen=True)
class Claim:
    """One row taken for sending, with everything the sender needs, read in the claiming transaction."""

    item_id: int
    message_id: int
    attempts: int
    idempotency_key: str
    message: OutboundMessage
    last_inbound_at: datetime | None
    opted_out: bool


class OutboxWorker:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        senders: dict[str, Sender],
        *,
        policy: RetryPolicy | None = None,
        batch: int = 20,
        idle_poll: float = 1.0,
        gather: float = 0.05,
    ) -> None:
        self.sessions = sessions
        self.senders = senders
        self.policy = policy or RetryPolicy()
        self.batch = batch
        self.idle_poll = idle_poll
        # After a wake-up, wait this long for more replies so that one claim takes several: under load a
        # claim per reply costs more database work than the sends themselves (docs/performance.md).
        self.gather = gather
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        """New rows were committed: look now instead of at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the pass in progress, then return from `run`: a pass cut short by cancelling could
        leave a reply sent but not marked (sent again after the lease) or a transaction open."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            self._wake.clear()  # before claiming: a wake-up during the pass is kept for the next one
            try:
                done = await self.run_once()
            except Exception:  # the worker must outlive a database hiccup; the rows stay queued
                log.exception("outbox pass failed")
                done = 0
            if done >= self.batch or self._stopping:
                continue  # a full batch: more rows may be due already
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.idle_poll)
            if self._wake.is_set() and self.gather > 0 and not self._stopping:
                await asyncio.sleep(self.gather)

    async def run_once(self) -> int:
        """Claim a batch of due rows and send them; returns how many were attempted."""
        claims = await self.claim()
        # One citizen's replies go in order, one after the other; different citizens in parallel.
        queues: dict[tuple[str, str], list[Claim]] = {}
        for claim in claims:
            queues.setdefault((claim.message.channel, claim.message.address), []).append(claim)
        await asyncio.gather(*(self.deliver_in_order(queue) for queue in queues.values()))
        return len(claims)

    async def deliver_in_order(self, queue: list[Claim]) -> None:
        for position, claim in enumerate(queue):
            if not await self.deliver(claim):
                # Hold back what follows so it never overtakes the reply that failed.
                await self._release(queue[position + 1 :], after=claim.item_id)
                return

    async def claim(self) -> list[Claim]:
        """Take due rows, never two of one citizen's replies by two workers: each takes a citizen's run.

        A row is claimable when it is the first unsent one of its (channel, address) — its "head" — and
        due. With the head locked, this worker also takes the due rows behind it, so one worker sends a
        citizen's replies one after the other while the others skip that citizen: no reply can overtake
        an earlier one, not even across workers or after a failed try.
        """
        now = utcnow()
        async with self.sessions() as session, session.begin():
            earlier = aliased(OutboxItem)
            heads = (
                await session.execute(
                    _unsent_with_messages()
                    .where(
                        OutboxItem.channel.in_(tuple(self.senders)),
                        OutboxItem.next_attempt_at <= now,
                        ~exists().where(
                            earlier.channel == OutboxItem.channel,
                            earlier.address == OutboxItem.address,
                            earlier.status.in_(UNSENT),
                            earlier.id < OutboxItem.id,
                        ),
                    )
                    .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
                    .limit(self.batch)
                    # Several workers share the table: each head goes to exactly one of them.
                    .with_for_update(skip_locked=True, of=OutboxItem)
                )
            ).all()
            if not heads:
                return []
            items = [(item, message) for item, message in heads]
            items += await self._runs_behind(session, [item for item, _ in heads], now)
            identities = {
                (i.channel, i.address): i
                for i in await session.scalars(
                    select(ChannelIdentity).where(
                        tuple_(ChannelIdentity.channel, ChannelIdentity.address).in_(
                            {(item.channel, item.address) for item, _ in items}
                        )
                    )
                )
            }
            claims = []
            for item, message in items:
                item.status = OutboxStatus.SENDING
                item.attempts += 1
                item.next_attempt_at = now + timedelta(seconds=self.policy.lease)
                identity = identities.get((item.channel, item.address))
                claims.append(
                    Claim(
                        item_id=item.id,
                        message_id=message.id,
                        attempts=item.attempts,
                        idempotency_key=item.idempotency_key,
                        message=OutboundMessage(
                            channel=item.channel,
                            address=item.address,
                            text=message.text,
                            buttons=tuple(Button(b["title"], b["payload"]) for b in message.buttons or ()),
                            language=message.language or "es",
                            sender=item.sender,
                        ),
                        last_inbound_at=identity.last_inbound_at if identity else None,
                        opted_out=bool(identity and identity.opted_out),
                    )
                )
        return claims

    async def _runs_behind(
        self, session: AsyncSession, heads: list[OutboxItem], now: datetime
    ) -> list[tuple[OutboxItem, Message]]:
        """For each head, the due unsent rows queued after it for its address, up to the first not due."""
        rows = (
            await session.execute(
                _unsent_with_messages()
                .where(
                    tuple_(OutboxItem.channel, OutboxItem.address).in_(
                        {(h.channel, h.address) for h in heads}
                    )
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

    async def deliver(self, claim: Claim) -> bool:
        """Send one claimed row and record the outcome; True when the provider took it."""
        if claim.opted_out:
            await self._fail(claim, OPTED_OUT, retryable=False)
            return False
        sender = self.senders[claim.message.channel]
        try:
            delivery = await sender.send(
                claim.message, idempotency_key=claim.idempotency_key, last_inbound_at=claim.last_inbound_at
            )
        except DeliveryError as exc:
            await self._fail(claim, exc.reason, retryable=exc.retryable, opted_out=exc.opted_out)
            return False
        except Exception as exc:  # an unforeseen sender bug: retry like a transient fault, but say so
            log.exception("sender for %s raised unexpectedly", claim.message.channel)
            await self._fail(claim, f"{type(exc).__name__}: {exc}", retryable=True)
            return False
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == claim.item_id)
                .values(
                    status=OutboxStatus.SENT,
                    sent_at=utcnow(),
                    last_error=None,
                    provider_message_id=delivery.provider_message_id,
                )
            )
            await session.execute(
                update(Message)
                .where(Message.id == claim.message_id)
                .values(provider_message_id=delivery.provider_message_id, delivery_status=delivery.status)
            )
        metrics.OUTBOX_SENT.labels(claim.message.channel).inc()
        return True

    async def _release(self, claims: list[Claim], *, after: int) -> None:
        """Give claimed rows back untried, due no sooner than the row `after` that failed before them."""
        if not claims:
            return
        async with self.sessions() as session, session.begin():
            failed = await session.get(OutboxItem, after)
            assert failed is not None
            identity = await queries.find_identity(session, failed.channel, failed.address)
            retry_at = failed.next_attempt_at if failed.status == OutboxStatus.PENDING else utcnow()
            for claim in claims:
                item = await session.get(OutboxItem, claim.item_id)
                assert item is not None
                item.attempts -= 1
                if identity is not None and identity.opted_out:
                    item.status, item.last_error = OutboxStatus.FAILED, OPTED_OUT
                    message = await session.get(Message, claim.message_id)
                    if message is not None:
                        message.delivery_status = "failed"
                else:
                    item.status, item.next_attempt_at = OutboxStatus.PENDING, retry_at

    async def _fail(self, claim: Claim, reason: str, *, retryable: bool, opted_out: bool = False) -> None:
        async with self.sessions() as session, session.begin():
            item = await session.get(OutboxItem, claim.item_id)
            message = await session.get(Message, claim.message_id)
            assert item is not None and message is not None
            item.last_error = reason[:2000]
            if retryable and claim.attempts < self.policy.max_attempts:
                item.status = OutboxStatus.PENDING
                item.next_attempt_at = utcnow() + timedelta(seconds=self.policy.delay(claim.attempts))
                metrics.OUTBOX_RETRIES.labels(claim.message.channel).inc()
                log.warning("send to %s failed (try %d), retrying: %s", item.channel, claim.attempts, reason)
                return
            item.status = OutboxStatus.FAILED
            message.delivery_status = "failed"
            if opted_out:
                await queries.set_opted_out(session, item.channel, item.address, True)
            metrics.OUTBOX_FAILED.labels(claim.message.channel).inc()
            log.error("gave up sending outbox row %d to %s: %s", item.id, item.channel, reason)
