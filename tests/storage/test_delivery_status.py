"""Delivery statuses only move forward, whatever order the provider's callbacks arrive in."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import citizens, messages, outbox


async def test_a_late_sent_does_not_undo_delivered(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        identity = await citizens.create_citizen_with_identity(
            session, "sms", "+573001234567", language="es", display_name=None
        )
        await messages.add_message(
            session, citizen_id=identity.citizen_id, direction="out", author="bot", channel="sms",
            address="+573001234567", provider_message_id="SM1", text="hola", delivery_status="queued",
        )  # fmt: skip
    seen = []
    for status in ("delivered", "sent", "read", "delivered", "failed"):
        async with sessions() as session, session.begin():
            message = await outbox.record_delivery_status(session, ("sms", "whatsapp"), "SM1", status)
            assert message is not None
            seen.append(message.delivery_status)
    assert seen == ["delivered", "delivered", "read", "read", "failed"]
    async with sessions() as session:
        assert await outbox.record_delivery_status(session, ("sms",), "SM-unknown", "sent") is None
