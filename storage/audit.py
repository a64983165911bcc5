"""The audit trail: who did what to which record, and when.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AuditEvent,
)


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
