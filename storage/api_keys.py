"""Open311 API keys: issued by name, found by their hash, listed and revoked.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ApiKey, utcnow


async def add_api_key(session: AsyncSession, name: str, key_hash: str, scope: str = "file") -> ApiKey:
    key = ApiKey(name=name, key_hash=key_hash, scope=scope)
    session.add(key)
    await session.flush()
    return key


def _active_named(name: str) -> Select[ApiKey]:
    return select(ApiKey).where(ApiKey.name == name, ApiKey.revoked_at.is_(None))


async def active_key_named(session: AsyncSession, name: str) -> ApiKey | None:
    return await session.scalar(_active_named(name))


async def api_key_by_hash(session: AsyncSession, key_hash: str) -> ApiKey | None:
    return await session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))


async def api_keys(session: AsyncSession) -> Sequence[ApiKey]:
    return (await session.scalars(select(ApiKey).order_by(ApiKey.name, ApiKey.id))).all()


async def revoke_api_keys(session: AsyncSession, name: str) -> int:
    """Revoke every active key with this name; how many were."""
    keys = (await session.scalars(_active_named(name))).all()
    for key in keys:
        key.revoked_at = utcnow()
    return len(keys)
