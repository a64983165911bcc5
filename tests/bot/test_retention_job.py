"""Retention once a day inside `serve`: several workers claim the day at once and exactly one wins; the
run waits for the night in the city's time zone unless it never ran or missed its nights; a failed run
gives the day back and is tried again at the next hour."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.retention import Done, Plan
from bot.retention_job import GAP, NAME, DailyRetention, due
from bot.settings import Settings
from storage import job_runs
from storage.engine import AsyncEngine, create_engine, session_factory
from storage.media import MediaStore
from storage.models import AuditEvent, JobRun
from storage.stores import open_store

# 03:30 in Bogotá (UTC-5), the city of config.yml.
NIGHT = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[MediaStore]:
    async with open_store(settings) as opened:
        yield opened


async def claim(engine: AsyncEngine, now: datetime) -> bool:
    async with session_factory(engine)() as session, session.begin():
        return await job_runs.claim(session, NAME, now, GAP)


async def claims_at_once(settings: Settings, workers: int, now: datetime) -> list[bool]:
    """Each worker with its own engine (its own connections, as separate processes have)."""
    engines = [create_engine(settings.database.url) for _ in range(workers)]
    try:
        return list(await asyncio.gather(*(claim(e, now) for e in engines)))
    finally:
        for engine in engines:
            await engine.dispose()


async def test_workers_claiming_the_day_at_once_leave_exactly_one_winner(settings: Settings) -> None:
    # The first day the row does not exist yet: every worker inserts it at once, too.
    for day in range(3):
        won = await claims_at_once(settings, 4, NIGHT + timedelta(days=day))
        assert sorted(won) == [False, False, False, True], day
    # An hour later the day is taken: nobody wins.
    assert await claims_at_once(settings, 3, NIGHT + timedelta(days=2, hours=1)) == [False] * 3


def test_the_run_waits_for_the_night_in_the_city(settings: Settings) -> None:
    assert due(settings, NIGHT, None)  # never ran: at once, whatever the hour
    afternoon = NIGHT + timedelta(hours=12)  # 15:30 in Bogotá
    assert not due(settings, afternoon, NIGHT)  # ran 12 hours ago
    assert not due(settings, NIGHT + timedelta(hours=36), NIGHT)  # 15:30 the next day: not night
    assert due(settings, NIGHT + timedelta(hours=23, minutes=30), NIGHT)  # 03:00 the next night
    assert not due(settings, NIGHT + timedelta(hours=22), NIGHT)  # 01:30: too early, and not yet night
    assert not due(settings, afternoon + timedelta(hours=34), afternoon)  # 01:30, 34 h after: wait
    assert due(settings, afternoon + timedelta(hours=36), afternoon)  # 03:30: night
    # The nights were missed (the service was down): overdue at 47 h, run whatever the hour.
    assert not due(settings, afternoon + timedelta(hours=46), afternoon)  # 13:30
    assert due(settings, afternoon + timedelta(hours=48), afternoon)  # 15:30


async def test_a_worker_runs_it_once_a_night_and_records_the_counts(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], store: MediaStore
) -> None:
    daily = DailyRetention(settings, sessions, store)
    assert isinstance(await daily.once(NIGHT), Done)
    assert await daily.once(NIGHT + timedelta(hours=1)) is None  # done for today
    assert await daily.once(NIGHT + timedelta(hours=12)) is None  # and the afternoon is not night
    assert isinstance(await daily.once(NIGHT + timedelta(days=1)), Done)
    async with sessions() as session:
        row = await session.get(JobRun, NAME)
        runs = (await session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.run"))).all()
    assert row is not None and row.last_run_at == NIGHT + timedelta(days=1)
    assert row.detail is not None and row.detail["counts"]["webchats_removed"] == 0
    assert len(runs) == 2


async def test_a_failed_run_gives_the_day_back_and_is_tried_at_the_next_hour(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], store: MediaStore
) -> None:
    async def broken(*_: object) -> tuple[Plan, Done | None]:
        raise RuntimeError("the database went away mid-run")

    with pytest.raises(RuntimeError):
        await DailyRetention(settings, sessions, store, work=broken).once(NIGHT)
    async with sessions() as session:
        assert await job_runs.last_run(session, NAME) is None
    daily = DailyRetention(settings, sessions, store)
    assert isinstance(await daily.once(NIGHT + timedelta(hours=1)), Done)
    async with sessions() as session:
        assert await job_runs.last_run(session, NAME) == NIGHT + timedelta(hours=1)
