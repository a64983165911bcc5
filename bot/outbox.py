"""The outbox worker: pushes queued replies to providers, retrying with backoff, never sending a row twice."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.messages import Button, OutboundMessage
from connectors.base import DeliveryError, Sender
from storage import queries
from storage.models import Message, OutboxItem, OutboxStatus, utcnow

log = logging.getLogger(__name__)
OPTED_OUT = "the citizen opted out of this channel"


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
    ) -> None:
        self.sessions = sessions
        self.senders = senders
        self.policy = policy or RetryPolicy()
        self.batch = batch
        self.idle_poll = idle_poll
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """New rows were committed: look now instead of at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                done = await self.run_once()
            except Exception:  # the worker must outlive a database hiccup; the rows stay queued
                log.exception("outbox pass failed")
                done = 0
            if done == 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.idle_poll)

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
        now = utcnow()
        async with self.sessions() as session, session.begin():
            rows = (
                await session.execute(
                    select(OutboxItem, Message)
                    .join(Message, Message.id == OutboxItem.message_id)
                    .where(
                        OutboxItem.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
                        OutboxItem.channel.in_(tuple(self.senders)),
                        OutboxItem.next_attempt_at <= now,
                    )
                    .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
                    .limit(self.batch)
                    # Several workers share the table: each row goes to exactly one of them.
                    .with_for_update(skip_locked=True, of=OutboxItem)
                )
            ).all()
            claims = []
            for item, message in rows:
                item.status = OutboxStatus.SENDING
                item.attempts += 1
                item.next_attempt_at = now + timedelta(seconds=self.policy.lease)
                identity = await queries.find_identity(session, item.channel, item.address)
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
            item = await session.get(OutboxItem, claim.item_id)
            message = await session.get(Message, claim.message_id)
            assert item is not None and message is not None
            item.status, item.sent_at, item.last_error = OutboxStatus.SENT, utcnow(), None
            item.provider_message_id = delivery.provider_message_id
            message.provider_message_id = delivery.provider_message_id
            message.delivery_status = delivery.status
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
