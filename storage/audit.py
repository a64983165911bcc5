"""The audit trail: who did what to which record, and when.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent


async def audit(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    from_value: str | None = None,
    to_value: str | None = None,
    staff_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        from_value=from_value,
        to_value=to_value,
        staff_id=staff_id,
        detail=detail,
    )
    session.add(event)
    await session.flush()
    return event


async def audit_page(
    session: AsyncSession, *, page: int = 1, per_page: int = 100
) -> tuple[Sequence[AuditEvent], int]:
    total = await session.scalar(select(func.count()).select_from(AuditEvent))
    rows = await session.scalars(
        select(AuditEvent).order_by(AuditEvent.id.desc()).offset((page - 1) * per_page).limit(per_page)
    )
    return rows.all(), int(total or 0)


# What is new since the inbox last looked: its live updates poll this (and the messages').


async def last_audit_id(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.max(AuditEvent.id))) or 0)


async def audit_after(session: AsyncSession, audit_id: int, limit: int = 500) -> Sequence[Any]:
    return (
        await session.execute(
            select(AuditEvent.id, AuditEvent.target_type, AuditEvent.target_id)
            .where(AuditEvent.id > audit_id)
            .order_by(AuditEvent.id)
            .limit(limit)
        )
    ).all()
