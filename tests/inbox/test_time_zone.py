"""Staff see times and days in the city's time zone (config.yml: America/Bogota, UTC-5); the database
keeps UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from bot.settings_base import SettingsError
from bot.settings_loading import load_settings
from storage import reports
from tests.inbox.conftest import Staff
from tests.inbox.test_cases import listed, seed

# 03:30 UTC on 11 March is 22:30 on 10 March in Bogotá: a case filed late in the evening.
LATE_EVENING = datetime(2026, 3, 11, 3, 30, tzinfo=UTC)
BOGOTA = ZoneInfo("America/Bogota")


def test_the_city_time_zone_must_be_a_real_one() -> None:
    with pytest.raises(SettingsError, match="time_zone"):
        load_settings(None, None, **{"city.time_zone": "America/Gotham"})
    assert load_settings(None, None, **{"city.time_zone": "Europe/Madrid"}).city.zone == ZoneInfo(
        "Europe/Madrid"
    )


async def test_the_case_list_shows_local_times_and_filters_by_local_days(
    agent: Staff, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    assert settings.city.time_zone == "America/Bogota"
    (code,) = await seed(sessions, {"created_at": LATE_EVENING, "updated_at": LATE_EVENING})
    page = await agent.page(f"/inbox/cases/{code}")
    assert ">10/03/2026 22:30 -05</time>" in page  # the machine-readable datetime attribute stays UTC
    assert listed(await agent.page("/inbox/cases?from=2026-03-10&to=2026-03-10")) == [code]
    assert listed(await agent.page("/inbox/cases?from=2026-03-11")) == []


async def test_cases_are_counted_on_the_day_the_city_filed_them(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed(
        sessions,
        {"created_at": LATE_EVENING},  # 10 March in Bogotá
        {"created_at": datetime(2026, 3, 11, 5, 30, tzinfo=UTC)},  # 00:30 on 11 March in Bogotá
        {"created_at": datetime(2026, 3, 13, 4, 59, tzinfo=UTC)},  # 23:59 on 12 March: the last day
        {"created_at": datetime(2026, 3, 13, 5, 0, tzinfo=UTC)},  # midnight of 13 March: after it
    )
    async with sessions() as session:
        local = await reports.cases_per_day(session, date(2026, 3, 10), 3, BOGOTA)
        utc = await reports.cases_per_day(session, date(2026, 3, 10), 3, UTC)
    assert local == {date(2026, 3, 10): 1, date(2026, 3, 11): 1, date(2026, 3, 12): 1}
    assert utc == {date(2026, 3, 11): 2}
