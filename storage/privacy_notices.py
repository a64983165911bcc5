"""Which privacy notice each citizen was shown. Each function takes the session and never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PrivacyNotice


async def was_shown(session: AsyncSession, citizen_id: int, version: str) -> bool:
    found = await session.scalar(
        select(PrivacyNotice.id).where(
            PrivacyNotice.citizen_id == citizen_id, PrivacyNotice.version == version
        )
    )
    return found is not None


def shown(session: AsyncSession, citizen_id: int, version: str, channel: str) -> None:
    session.add(PrivacyNotice(citizen_id=citizen_id, version=version, channel=channel))
