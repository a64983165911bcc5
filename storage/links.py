"""Codes that join a citizen's chats on two channels, and every attempt to use one.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.cases import CODE_ALPHABET
from storage.models import (
    LinkAttempt,
    LinkCode,
    utcnow,
)

# A link code: 8 characters of the case-code alphabet (no 0/O, 1/I/L, U), shown as "XXXX-XXXX": about 39
# bits, against 20 for the 6 digits it replaced (docs/security.md).
LINK_CODE_LENGTH = 8


def show_link_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


async def new_link_code(
    session: AsyncSession, citizen_id: int, ttl: timedelta, *, channel: str, address: str
) -> LinkCode:
    """A fresh code for the citizen, remembering the channel that asked (it confirms the join)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))
        if await session.scalar(select(LinkCode.id).where(LinkCode.code == code)) is None:
            break
    link = LinkCode(
        code=code, citizen_id=citizen_id, expires_at=utcnow() + ttl, channel=channel, address=address
    )
    session.add(link)
    await session.flush()
    return link


async def live_link_code(session: AsyncSession, code: str) -> LinkCode | None:
    """The unexpired, unused code (typed in any case, with or without its dash), locked; None otherwise."""
    return await session.scalar(
        select(LinkCode)
        .where(LinkCode.code == code, LinkCode.used_at.is_(None), LinkCode.expires_at > utcnow())
        .with_for_update()
    )


async def link_code_by_id(session: AsyncSession, link_id: int) -> LinkCode | None:
    return await session.scalar(select(LinkCode).where(LinkCode.id == link_id).with_for_update())


def record_link_attempt(session: AsyncSession, channel: str, address: str, *, succeeded: bool) -> None:
    session.add(LinkAttempt(channel=channel, address=address, succeeded=succeeded))


async def failed_link_attempts(
    session: AsyncSession, since: datetime, channel: str | None = None, address: str | None = None
) -> int:
    """Wrong codes typed since `since`: by one identity when given, else by anyone."""
    query = select(func.count(LinkAttempt.id)).where(
        LinkAttempt.succeeded.is_(False), LinkAttempt.created_at >= since
    )
    if channel is not None and address is not None:
        query = query.where(LinkAttempt.channel == channel, LinkAttempt.address == address)
    return await session.scalar(query) or 0
