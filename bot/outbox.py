"""The outbox worker: pushes queued replies to providers, retrying with backoff, never sending a row twice."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import metrics
from bot.messages import OutboundMessage
from bot.outbound import as_outbound
from connectors.base import DeliveryError, Sender
from storage import citizens as citizen_rows
from storage import outbox
from storage.engine import AsyncSession, async_sessionmaker
from storage.models import utcnow

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
        """Take due rows a citizen's run at a time (`storage.outbox.claim`), as what the senders need."""
        async with self.sessions() as session, session.begin():
            claimed = await outbox.claim(
                session,
                tuple(self.senders),
                now=utcnow(),
                batch=self.batch,
                lease=timedelta(seconds=self.policy.lease),
            )
            return [
                Claim(
                    item_id=c.item.id,
                    message_id=c.message.id,
                    attempts=c.item.attempts,
                    idempotency_key=c.item.idempotency_key,
                    message=as_outbound(c.message, sender=c.item.sender, to=c.item.address),
                    last_inbound_at=c.last_inbound_at,
                    opted_out=c.opted_out,
                )
                for c in claimed
            ]

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
            await outbox.mark_sent(
                session, claim.item_id, claim.message_id, delivery.provider_message_id, delivery.status
            )
        metrics.OUTBOX_SENT.labels(claim.message.channel).inc()
        return True

    async def _release(self, claims: list[Claim], *, after: int) -> None:
        """Give claimed rows back untried, due no sooner than the row `after` that failed before them."""
        if not claims:
            return
        async with self.sessions() as session, session.begin():
            await outbox.release(
                session, [c.item_id for c in claims], after=after, opted_out_reason=OPTED_OUT
            )

    async def _fail(self, claim: Claim, reason: str, *, retryable: bool, opted_out: bool = False) -> None:
        channel = claim.message.channel
        async with self.sessions() as session, session.begin():
            if retryable and claim.attempts < self.policy.max_attempts:
                when = utcnow() + timedelta(seconds=self.policy.delay(claim.attempts))
                await outbox.retry_at(session, claim.item_id, reason, when)
                metrics.OUTBOX_RETRIES.labels(channel).inc()
                log.warning("send to %s failed (try %d), retrying: %s", channel, claim.attempts, reason)
                return
            await outbox.give_up(session, claim.item_id, reason)
            if opted_out:
                await citizen_rows.set_opted_out(session, channel, claim.message.address, True)
        metrics.OUTBOX_FAILED.labels(channel).inc()
        log.error("gave up sending outbox row %d to %s: %s", claim.item_id, channel, reason)
