"""What every pushing channel's sender offers the outbox worker, and how it reports failure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.messages import OutboundMessage


@dataclass(frozen=True)
class Delivery:
    """The provider accepted the message: its id (for status callbacks) and the status it gave."""

    provider_message_id: str
    status: str = "sent"


class DeliveryError(Exception):
    """The provider did not take the message. `retryable`: 5xx, timeout, refused connection, 429."""

    def __init__(self, reason: str, *, retryable: bool, opted_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.opted_out = opted_out  # the citizen unsubscribed on this channel (e.g. Twilio error 21610)


class Sender(Protocol):
    """Pushes one outbound message to a provider; never blocks the event loop."""

    channels: frozenset[str]

    async def send(
        self, message: OutboundMessage, *, idempotency_key: str, last_inbound_at: datetime | None
    ) -> Delivery: ...

    async def close(self) -> None: ...
