"""Queries for staff accounts and their inbox sessions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent, StaffSession, StaffUser


async def staff_by_username(session: AsyncSession, username: str, *, lock: bool = False) -> StaffUser | None:
    """`lock`: the row is read under SELECT … FOR UPDATE, its values as of the lock."""
    query = select(StaffUser).where(StaffUser.username == username)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def staff_by_id(session: AsyncSession, staff_id: int, *, lock: bool = False) -> StaffUser | None:
    return await session.get(StaffUser, staff_id, with_for_update=lock, populate_existing=lock)


async def add_staff(
    session: AsyncSession,
    *,
    username: str,
    password_hash: str,
    role: str,
    department: str | None,
    departments: list[str] | None = None,
) -> StaffUser:
    staff = StaffUser(
        username=username,
        password_hash=password_hash,
        role=role,
        department=department,
        departments=departments,
    )
    session.add(staff)
    await session.flush()
    return staff


async def active_staff(session: AsyncSession) -> Sequence[StaffUser]:
    return (
        await session.scalars(select(StaffUser).where(StaffUser.active).order_by(StaffUser.username))
    ).all()


async def staff_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(select(StaffUser.id, StaffUser.username).where(StaffUser.id.in_(ids)))
    return {row.id: row.username for row in rows}


async def add_staff_session(
    session: AsyncSession, *, staff_id: int, token_hash: str, csrf_token: str, expires_at: datetime
) -> StaffSession:
    row = StaffSession(staff_id=staff_id, token_hash=token_hash, csrf_token=csrf_token, expires_at=expires_at)
    session.add(row)
    await session.flush()
    return row


async def staff_session(session: AsyncSession, token_hash: str) -> tuple[StaffSession, StaffUser] | None:
    row = (
        await session.execute(
            select(StaffSession, StaffUser)
            .join(StaffUser, StaffUser.id == StaffSession.staff_id)
            .where(StaffSession.token_hash == token_hash)
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


async def end_staff_session(session: AsyncSession, token_hash: str) -> None:
    await session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash))


async def purge_staff_sessions(session: AsyncSession, *, now: datetime, idle: timedelta) -> None:
    await session.execute(
        delete(StaffSession).where(
            or_(StaffSession.expires_at <= now, StaffSession.last_seen_at <= now - idle)
        )
    )


async def all_staff(session: AsyncSession) -> Sequence[StaffUser]:
    return (await session.scalars(select(StaffUser).order_by(StaffUser.username))).all()


async def end_sessions_of(session: AsyncSession, staff_id: int) -> int:
    """End every session of the account; how many there were."""
    ended = await session.execute(delete(StaffSession).where(StaffSession.staff_id == staff_id))
    return int(getattr(ended, "rowcount", 0) or 0)


async def active_admin_ids(session: AsyncSession) -> list[int]:
    """The active admins, their rows locked until the transaction ends: two admins demoting each other at
    once are taken one after the other, and the second sees the first's change."""
    query = (
        select(StaffUser.id)
        .where(StaffUser.active, StaffUser.role == "admin")
        .order_by(StaffUser.id)
        .with_for_update()
    )
    return list((await session.scalars(query)).all())


@dataclass(frozen=True)
class Activity:
    """What an account's open sessions say: how many, and the latest request one of them made."""

    sessions: int
    last_seen: datetime | None


async def session_activity(session: AsyncSession, staff_ids: set[int]) -> dict[int, Activity]:
    rows = await session.execute(
        select(StaffSession.staff_id, func.count(), func.max(StaffSession.last_seen_at))
        .where(StaffSession.staff_id.in_(staff_ids))
        .group_by(StaffSession.staff_id)
    )
    return {staff_id: Activity(int(count), last_seen) for staff_id, count, last_seen in rows.all()}


async def last_logins(session: AsyncSession, staff_ids: set[int]) -> dict[int, datetime]:
    """When each account last logged in, as the audit trail recorded it (no second copy to keep)."""
    rows = await session.execute(
        select(AuditEvent.target_id, func.max(AuditEvent.created_at))
        .where(
            AuditEvent.target_type == "staff",
            AuditEvent.target_id.in_([str(i) for i in staff_ids]),
            AuditEvent.action == "staff.login",
        )
        .group_by(AuditEvent.target_id)
    )
    return {int(target): at for target, at in rows.all()}
