"""Signed posts with odd fields: stored once and answered, never "database unavailable" (issue 12, finding 7).

A NUL in WhatsApp's ProfileName, or a body of 5,000 digits, made PostgreSQL refuse the row: the webhook
answered 503, Twilio retried, and every retry failed the same way.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ChannelIdentity, Message
from tests.connectors.twilio.conftest import Post, load

Sessions = async_sessionmaker[AsyncSession]


async def test_a_nul_in_the_profile_name_is_dropped_and_the_message_kept(
    post: Post, sessions: Sessions
) -> None:
    form = load("inbound", "whatsapp_text_profile") | {"ProfileName": "Mari\x00ana \x07López" + "x" * 400}
    for _ in range(2):  # Twilio's retry of the same message: recognised, not stored twice
        response = await post("/webhooks/twilio", form)
        assert response.status == 200, await response.text()
    async with sessions() as session:
        names = (await session.scalars(select(ChannelIdentity.display_name))).all()
        stored = (await session.scalars(select(Message).where(Message.direction == "in"))).all()
    assert len(stored) == 1 and names and names[0] is not None
    assert names[0].startswith("Mariana López") and len(names[0]) <= 200


async def test_a_body_of_five_thousand_digits_is_answered(post: Post, sessions: Sessions) -> None:
    form = load("inbound", "sms_spanish_text") | {"Body": "9" * 5000}
    response = await post("/webhooks/twilio", form)
    assert response.status == 200, await response.text()
    async with sessions() as session:
        stored = (await session.scalars(select(Message).where(Message.direction == "in"))).all()
    assert len(stored) == 1
