"""A citizen who talks to the pipeline: `await citizen.says("hay un bache")`, then look at the replies."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.history import Outcome
from bot.messages import Attachment, InboundMessage, Location, OutboundMessage, SharedContact
from bot.pipeline import Pipeline

_ids = itertools.count(1)


@dataclass
class Citizen:
    pipeline: Pipeline
    address: str
    channel: str = "rest"
    replies: list[OutboundMessage] = field(default_factory=list)
    last_outcome: Outcome | None = None

    async def send(self, inbound: InboundMessage) -> list[OutboundMessage]:
        self.last_outcome = await self.pipeline.handle(inbound)
        self.replies = list(self.last_outcome.replies)
        return self.replies

    async def says(
        self,
        text: str,
        *,
        message_id: str | None = None,
        location: Location | None = None,
        photo: str | None = None,
    ) -> list[OutboundMessage]:
        attachments = (Attachment(url=photo, content_type="image/jpeg"),) if photo else ()
        return await self.send(
            InboundMessage(
                channel=self.channel,
                address=self.address,
                provider_message_id=message_id or f"m{next(_ids)}",
                text=text,
                location=location,
                attachments=attachments,
            )
        )

    async def send_contact(self, contact: SharedContact) -> list[OutboundMessage]:
        return await self.send(InboundMessage(self.channel, self.address, f"m{next(_ids)}", contact=contact))

    async def presses(self, title: str) -> list[OutboundMessage]:
        """Choose the button with this title among the last replies (sends its payload)."""
        for reply in self.replies:
            for button in reply.buttons:
                if button.title == title:
                    return await self.says(button.payload)
        raise AssertionError(f"no button {title!r} in {self.texts}")

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.replies]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def buttons(self) -> list[str]:
        return [b.title for r in self.replies for b in r.buttons]
