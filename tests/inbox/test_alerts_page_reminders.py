"""A due-date reminder's broadcast is listed on the alerts page like an alert: its kind, its text, what
each copy became."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reminder_job import queue_reminders
from bot.settings import Settings
from storage.models import ChannelIdentity, Subscription
from tests.inbox.conftest import Client, Staff, web_chat


async def test_a_reminder_is_listed_with_its_kind_text_and_counts(
    client: Client, supervisor: Staff, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await web_chat(client, "web-predial-3c4d5e6f7a", "hola")
    async with sessions() as session, session.begin():
        identity = await session.scalar(
            select(ChannelIdentity).where(ChannelIdentity.address == "web-predial-3c4d5e6f7a")
        )
        assert identity is not None
        session.add(
            Subscription(
                citizen_id=identity.citizen_id, topic="recordar:impuesto-predial", channel="rest", shown="…"
            )
        )
    await queue_reminders(sessions, settings, datetime(2027, 4, 27, 15, 0, tzinfo=UTC))
    listed = await supervisor.page("/inbox/alerts")
    assert '<span class="badge">Recordatorio</span>' in listed  # its kind, named
    assert "⏰ Recordatorio: vence el pago del predial con 10% de descuento el 30 de abril." in listed
    assert 'data-status="queued">1 en cola' in listed
