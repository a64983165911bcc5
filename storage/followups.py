"""Follow-ups' SQL: scheduled once per closing of a case, claimed one at a time, expired, looked up.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Case, CaseEvent, FollowUp, FollowUpStatus
from storage.preferential import citizen_preferential


async def schedule(
    session: AsyncSession, case: Case, closing: CaseEvent, *, kind: str, due_at: datetime
) -> FollowUp | None:
    """A follow-up for this closing of the case; None when the closing already has one, or when one of the
    case's follow-ups is still waiting to be asked (a close event repeated, or undone and done again,
    asks once). The caller holds the case locked, so two closings never race here."""
    waiting = await session.scalar(
        select(FollowUp.id).where(
            (FollowUp.closing_event_id == closing.id)
            | ((FollowUp.case_id == case.id) & (FollowUp.status == FollowUpStatus.SCHEDULED))
        )
    )
    if waiting is not None:
        return None
    followup = FollowUp(
        case_id=case.id,
        citizen_id=case.citizen_id,
        closing_event_id=closing.id,
        kind=kind,
        status=FollowUpStatus.SCHEDULED,
        due_at=due_at,
        asked=0,
    )
    session.add(followup)
    await session.flush()
    return followup


async def next_due(
    session: AsyncSession, now: datetime, *, after_id: int = 0, preferential: bool | None = None
) -> FollowUp | None:
    """The next scheduled follow-up due by `now` (id above `after_id`), locked for this transaction; one
    another worker holds is skipped (PostgreSQL), so no follow-up is ever sent twice. `preferential` True
    or False: only those of citizens with preferential attention, or only the others (they go first)."""
    which = citizen_preferential(FollowUp.citizen_id)
    return await session.scalar(
        select(FollowUp)
        .where(
            FollowUp.status == FollowUpStatus.SCHEDULED,
            FollowUp.due_at <= now,
            FollowUp.id > after_id,
            *([] if preferential is None else [which if preferential else ~which]),
        )
        .order_by(FollowUp.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


async def expire(session: AsyncSession, now: datetime) -> int:
    """Asked and never answered within the answer window: expired. How many."""
    result = await session.execute(
        update(FollowUp)
        .where(FollowUp.status == FollowUpStatus.SENT, FollowUp.answer_until < now)
        .values(status=FollowUpStatus.EXPIRED)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def followup_for_update(session: AsyncSession, followup_id: int) -> FollowUp | None:
    return await session.scalar(select(FollowUp).where(FollowUp.id == followup_id).with_for_update())


async def case_for_update(session: AsyncSession, case_id: int) -> Case | None:
    return await session.scalar(select(Case).where(Case.id == case_id).with_for_update())


async def of_case(session: AsyncSession, case_id: int) -> Sequence[FollowUp]:
    """The case's follow-ups, first first (the inbox's case page, tests)."""
    return (
        await session.scalars(select(FollowUp).where(FollowUp.case_id == case_id).order_by(FollowUp.id))
    ).all()


async def closing_event(session: AsyncSession, event_id: int) -> CaseEvent | None:
    return await session.get(CaseEvent, event_id)
