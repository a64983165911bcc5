"""After retention blanked a citizen's old messages, the inbox shows each one as removed, in its place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import retention
from bot.settings import Settings
from storage.models import utcnow
from storage.stores import open_store
from tests.inbox.conftest import Client, Staff
from tests.inbox.test_citizens import citizen_id
from tests.support.conversation import Citizen as Person
from tests.support.retention_town import MONTH, age

RETIRED = "(texto retirado por el plazo de conservación)"


async def test_old_messages_show_as_removed_by_the_retention_period(
    client: Client,
    agent: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    old, recent = citizen("+573104445566", "sms"), citizen("+573107778899", "sms")
    await old.says("oiga el alumbrado de mi cuadra no prende desde el lunes")
    await recent.says("buenas, el alumbrado del parque tampoco prende")
    await age(sessions, await citizen_id(sessions, "sms", "+573104445566"), 25 * MONTH)
    async with open_store(settings) as store:
        _, done = await retention.run(sessions, settings, store, utcnow() + timedelta(minutes=1))
    assert done is not None and done.message_citizens == 1

    page = await agent.page(f"/inbox/citizens/{await citizen_id(sessions, 'sms', '+573104445566')}")
    assert "no prende desde el lunes" not in page
    assert page.count(RETIRED) >= 2  # the citizen's message and the bot's reply, each in its place
    other = await agent.page(f"/inbox/citizens/{await citizen_id(sessions, 'sms', '+573107778899')}")
    assert "el alumbrado del parque tampoco prende" in other and RETIRED not in other
