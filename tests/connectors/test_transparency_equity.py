"""/transparencia publishes how fast each area and channel is served (issue 19), hiding small groups."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from connectors.public.transparency import render
from connectors.public.transparency_figures import count
from connectors.public.transparency_view import View
from storage.models import utcnow
from tests.support.equity_seed import seed_equity, seed_gap


def table(page: str, name: str) -> dict[str, list[str]]:
    found = re.search(rf'data-table="{name}">(.*?)</table>', page, re.S)
    assert found is not None, name
    rows = re.findall(r'<tr data-row="([^"]*)">(.*?)</tr>', found[1], re.S)
    return {key: re.findall(r'<td class="n">([^<]*)</td>', cells) for key, cells in rows}


async def test_areas_and_channels_with_small_groups_hidden(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    now = utcnow()
    await seed_equity(sessions, now)
    await seed_gap(sessions, now)
    async with sessions() as session:
        page = render(View(await count(session, settings, 12, now), settings, "es"), 12)
    areas = table(page, "served_area")
    assert areas["centro"] == ["9", "10,0 h", "10,0 h", "88 %"]
    assert areas["norte"] == ["8", "pocos datos", "pocos datos", "25 %"]  # 3 answered, 3 resolved: too few
    assert areas[""] == areas["sur"] == ["&lt;5", "pocos datos", "pocos datos", "pocos datos"]
    channels = table(page, "served_channel")
    assert list(channels) == ["telegram", "whatsapp", "sms", "email", "rest"]
    assert channels["telegram"] == ["10", "10,0 h", "10,0 h", "50 %"]
    assert channels["whatsapp"] == ["&lt;5", "pocos datos", "pocos datos", "pocos datos"]
