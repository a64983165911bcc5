"""One-time links to a citizen's data export: made, voided by a newer one, counted per day, claimed once.

Only the SHA-256 of a link's token is stored: a copy of the database opens no export.
Each function takes the session explicitly and never commits."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DataExport


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def add(session: AsyncSession, export: DataExport) -> None:
    session.add(export)
    await session.flush()


async def void_unused(session: AsyncSession, citizen_id: int, now: datetime) -> int:
    """Earlier links of this citizen that are still usable expire now (one live link at a time)."""
    result = await session.execute(
        update(DataExport)
        .where(DataExport.citizen_id == citizen_id, DataExport.used_at.is_(None), DataExport.expires_at > now)
        .values(expires_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def made_since(session: AsyncSession, citizen_id: int, since: datetime) -> int:
    """How many links this citizen was given since `since` (the start of the city's day)."""
    found = await session.scalar(
        select(func.count())
        .select_from(DataExport)
        .where(DataExport.citizen_id == citizen_id, DataExport.created_at >= since)
    )
    return int(found or 0)


async def by_token(session: AsyncSession, token: str) -> DataExport | None:
    """The link with this token, used or not, expired or not (the page says which)."""
    return await session.scalar(select(DataExport).where(DataExport.token_hash == token_hash(token)))


async def claim(session: AsyncSession, token: str, now: datetime) -> DataExport | None:
    """Mark the link used if it is still usable, in one UPDATE: of two clients racing for one link,
    exactly one gets it (PostgreSQL re-checks the row after the other's commit; SQLite has one writer)."""
    hashed = token_hash(token)
    result = await session.execute(
        update(DataExport)
        .where(DataExport.token_hash == hashed, DataExport.used_at.is_(None), DataExport.expires_at > now)
        .values(used_at=now)
    )
    if not getattr(result, "rowcount", 0):
        return None
    return await session.scalar(select(DataExport).where(DataExport.token_hash == hashed))


async def release(session: AsyncSession, export_id: int, used_at: datetime) -> None:
    """Give a claimed link back when its zip could not be made (the media store was down): the citizen
    did not get their data, so the link still works until it expires."""
    await session.execute(
        update(DataExport)
        .where(DataExport.id == export_id, DataExport.used_at == used_at)
        .values(used_at=None)
    )
