"""Queries for Open311: API keys, citizens found by e-mail, and service requests (cases) for the public."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OPEN_STATUSES, ApiKey, Case, CaseStatus, Citizen, utcnow

STATUS_VALUES = tuple(s.value for s in CaseStatus)


async def add_api_key(session: AsyncSession, name: str, key_hash: str, scope: str = "file") -> ApiKey:
    key = ApiKey(name=name, key_hash=key_hash, scope=scope)
    session.add(key)
    await session.flush()
    return key


async def active_key_named(session: AsyncSession, name: str) -> ApiKey | None:
    return await session.scalar(select(ApiKey).where(ApiKey.name == name, ApiKey.revoked_at.is_(None)))


async def api_key_by_hash(session: AsyncSession, key_hash: str) -> ApiKey | None:
    return await session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))


async def api_keys(session: AsyncSession) -> Sequence[ApiKey]:
    return (await session.scalars(select(ApiKey).order_by(ApiKey.name, ApiKey.id))).all()


async def revoke_api_keys(session: AsyncSession, name: str) -> int:
    """Revoke every active key with this name; how many were."""
    keys = (
        await session.scalars(select(ApiKey).where(ApiKey.name == name, ApiKey.revoked_at.is_(None)))
    ).all()
    for key in keys:
        key.revoked_at = utcnow()
    return len(keys)


async def citizen_by_email(session: AsyncSession, email: str) -> Citizen | None:
    return await session.scalar(select(Citizen).where(Citizen.email == email).order_by(Citizen.id))


async def add_citizen(
    session: AsyncSession,
    *,
    language: str,
    display_name: str | None,
    phone_e164: str | None,
    email: str | None,
) -> Citizen:
    citizen = Citizen(language=language, display_name=display_name, phone_e164=phone_e164, email=email)
    session.add(citizen)
    await session.flush()
    return citizen


async def cases_by_codes(session: AsyncSession, codes: Sequence[str]) -> Sequence[Case]:
    result = await session.scalars(
        select(Case).where(Case.code.in_(codes)).order_by(Case.created_at.desc(), Case.id.desc())
    )
    return result.all()


async def find_cases(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    service_codes: Sequence[str] = (),
    is_open: bool | None = None,
    limit: int,
    offset: int = 0,
) -> Sequence[Case]:
    """Cases filed between `start` and `end`, newest first; `is_open` None means any status."""
    query = select(Case).where(Case.created_at >= start, Case.created_at <= end)
    if service_codes:
        query = query.where(Case.service_code.in_(service_codes))
    if is_open is True:
        query = query.where(Case.status.in_(OPEN_STATUSES))
    elif is_open is False:
        query = query.where(Case.status.not_in(OPEN_STATUSES))
    query = query.order_by(Case.created_at.desc(), Case.id.desc()).limit(limit).offset(offset)
    return (await session.scalars(query)).all()


async def private_terms(session: AsyncSession, citizen_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """What identifies each citizen (name, e-mail, phone), so public text can be scrubbed of it."""
    if not citizen_ids:
        return {}
    rows = await session.execute(
        select(Citizen.id, Citizen.display_name, Citizen.email, Citizen.phone_e164).where(
            Citizen.id.in_(citizen_ids)
        )
    )
    return {row[0]: tuple(term for term in row[1:] if term) for row in rows}
