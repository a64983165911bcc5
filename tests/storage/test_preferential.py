"""Preferential attention's record (issue 19): kept with each grant and withdrawal, moved by a merge,
gone with an erasure, and written for citizens who had it before the record existed."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.erasure import erase_citizen
from bot.settings import Settings
from inbox import citizens as inbox_citizens
from inbox.auth import StaffMember
from storage import preferential
from storage.citizens import add_citizen
from storage.migrate import upgrade
from storage.models import Case, Citizen, PreferentialRecord
from storage.staff import add_staff


async def _citizen(session: AsyncSession, name: str) -> Citizen:
    return await add_citizen(session, language="es", display_name=name)


async def _records(sessions: async_sessionmaker[AsyncSession], citizen_id: int) -> list[tuple[str, str]]:
    async with sessions() as session:
        return [(r.action, r.words or "") for r in reversed(await preferential.records(session, citizen_id))]


async def test_each_grant_and_withdrawal_is_recorded_and_moves_open_cases(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        rosa = await _citizen(session, "Rosa")
        session.add(
            Case(code="AB12CD", citizen_id=rosa.id, service_code="pothole", description="x", department="d",
                 channel="sms")
        )  # fmt: skip
        await session.flush()
        assert await preferential.grant(session, rosa, kind="elderly", words="tengo 82", channel="sms") == 1
        assert await preferential.withdraw(session, rosa, channel="sms", words="ya no") == 1
        assert await preferential.withdraw(session, rosa, channel="sms") == 0  # nothing left to withdraw
        with pytest.raises(ValueError):
            await preferential.grant(session, rosa, kind="rich", words=None, channel="sms")
    assert await _records(sessions, rosa.id) == [("granted", "tengo 82"), ("withdrawn", "ya no")]
    async with sessions() as session:
        assert await session.scalar(select(Case.priority)) == 0


async def test_a_merge_keeps_both_records_under_the_one_citizen(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        staff = await add_staff(
            session, username="luz", password_hash="x", role="supervisor", department=None
        )
        luz = StaffMember(staff.id, "luz", "supervisor", None, None, "csrf")
        one, two = await _citizen(session, "Rosa"), await _citizen(session, "Rosa M.")
        await preferential.grant(session, two, kind="disability", words="silla de ruedas", channel="telegram")
    async with sessions() as session, session.begin():
        await inbox_citizens.merge(session, source_id=two.id, target_id=one.id, staff=luz)
    assert await _records(sessions, one.id) == [("granted", "silla de ruedas")]
    async with sessions() as session:
        kept = await session.get(Citizen, one.id)
        assert kept is not None and kept.preferential == "disability"


async def test_an_erasure_takes_the_record_and_its_words(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    async with sessions() as session, session.begin():
        rosa = await _citizen(session, "Rosa")
        await preferential.grant(
            session, rosa, kind="illness", words="mi esposo está postrado", channel="sms"
        )
    async with sessions() as session, session.begin():
        await erase_citizen(session, settings, rosa.id, by="citizen")
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(PreferentialRecord)) == 0


def test_citizens_preferential_before_the_record_get_one(tmp_path: Path) -> None:
    """Migration 0017 writes a "granted" record, with staff's reason, for those marked before it."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0016")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as db:
        db.execute(
            sa.text(
                "INSERT INTO citizens (language, preferential, preferential_reason, created_at) VALUES "
                "('es', 'elderly', 'Vino en persona, 90 años', CURRENT_TIMESTAMP), "
                "('es', NULL, NULL, CURRENT_TIMESTAMP)"
            )
        )
    upgrade(url)
    with engine.begin() as db:
        rows = db.execute(sa.text("SELECT action, kind, words, channel FROM preferential_records")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("granted", "elderly", "Vino en persona, 90 años", "inbox")]
