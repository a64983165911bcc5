"""What a connector is given and what it gives: the hand-off of each inbound message to the conversation
core, and the sender each pushing channel offers the outbox worker, with how it reports failure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot.messages import InboundMessage, OutboundMessage

if TYPE_CHECKING:
    from bot.history import Outcome

# A connector hands each message it parsed to this and answers the provider once it returns (the turn
# is committed by then). It is passed in when the connector's routes are added, as Rasa's channels get
# `on_new_message`, so connectors never reach for the pipeline in the application's state.
HandOff = Callable[[InboundMessage], Awaitable["Outcome"]]


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
