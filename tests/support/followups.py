"""Helpers for the follow-up tests: a citizen with a case, a staff member, the case resolved."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.case_status import Staff, change_status
from bot.cases import NewCase, file_case
from bot.settings import Settings
from storage.citizens import find_identity, get_citizen
from storage.models import Case, Conversation, FollowUp, StaffUser, utcnow
from tests.support.conversation import Citizen

PLACE = "calle 45 con carrera 27"


async def staff_member(sessions: async_sessionmaker[AsyncSession], username: str = "lucia") -> Staff:
    async with sessions() as session, session.begin():
        found = await session.scalar(select(StaffUser).where(StaffUser.username == username))
        if found is None:
            found = StaffUser(username=username, password_hash="-", role="agent")
            session.add(found)
            await session.flush()
        return Staff(found.id, found.username)


async def case_of(citizen: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> str:
    """A pothole case filed for the citizen (who has written once), its code."""
    async with sessions() as session, session.begin():
        identity = await find_identity(session, citizen.channel, citizen.address)
        assert identity is not None, "the citizen must have written first"
        person = await get_citizen(session, identity.citizen_id)
        new = NewCase(service="pothole", description="hay un hueco enorme", address=PLACE)
        case = await file_case(
            session, settings, citizen=person, new=new, channel=citizen.channel, language="es"
        )
        return case.code


async def set_status(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    code: str,
    to: str,
    note: str | None = None,
) -> None:
    staff = await staff_member(sessions)
    async with sessions() as session, session.begin():
        case = await session.scalar(select(Case).where(Case.code == code).with_for_update())
        assert case is not None
        await change_status(session, settings, case, to, staff=staff, note=note)


async def followups(sessions: async_sessionmaker[AsyncSession]) -> list[FollowUp]:
    async with sessions() as session:
        return list((await session.scalars(select(FollowUp).order_by(FollowUp.id))).all())


async def the_case(sessions: async_sessionmaker[AsyncSession], code: str) -> Case:
    async with sessions() as session:
        case = await session.scalar(select(Case).where(Case.code == code))
        assert case is not None
        return case


async def state_of(sessions: async_sessionmaker[AsyncSession], citizen_id: int) -> dict[str, object]:
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation).where(Conversation.citizen_id == citizen_id))
        assert conversation is not None
        return dict(conversation.state)


def days_later(days: float, start: datetime | None = None) -> datetime:
    return (start or utcnow()) + timedelta(days=days)
