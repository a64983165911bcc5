"""Cases: their codes, filing, lookup, the citizen's open ones, consent to publish, and their history.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    utcnow,
)
from storage.scope import Scope, case_in_scope

# Case codes are read aloud and typed on phones: no 0/O, 1/I/L, and no U (avoids accidental words).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


CODE_DIGITS = "23456789"


def new_case_code() -> str:
    """A code like "K7M-4QP": six symbols, at least one digit and one letter, so it never reads as a word."""
    while True:
        symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if any(c in CODE_DIGITS for c in symbols) and any(c.isalpha() for c in symbols):
            return f"{symbols[:3]}-{symbols[3:]}"


async def add_case(session: AsyncSession, **fields: Any) -> Case:
    """Insert a case under a fresh code; a clash with an existing code just draws another."""
    while True:
        code = new_case_code()
        if await session.scalar(select(Case.id).where(Case.code == code)) is None:
            break
    case = Case(code=code, **fields)
    session.add(case)
    await session.flush()
    return case


async def case_by_code(
    session: AsyncSession, code: str, *, lock: bool = False, scope: Scope = None
) -> Case | None:
    """The case with this code; None, as for a code that does not exist, when it is outside the staff
    member's departments (`scope`). `lock` holds it for the transaction (a status change, a reassignment)."""
    query = select(Case).where(Case.code == code, *case_in_scope(scope))
    return await session.scalar(query.with_for_update() if lock else query)


async def cases_by_codes(session: AsyncSession, codes: Sequence[str]) -> Sequence[Case]:
    result = await session.scalars(
        select(Case).where(Case.code.in_(codes)).order_by(Case.created_at.desc(), Case.id.desc())
    )
    return result.all()


async def open_cases(session: AsyncSession, citizen_id: int, limit: int = 5) -> Sequence[Case]:
    result = await session.scalars(
        select(Case)
        .where(Case.citizen_id == citizen_id, Case.status.in_(OPEN_STATUSES))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit)
    )
    return result.all()


async def set_open_case_priority(session: AsyncSession, citizen_id: int, priority: int) -> int:
    """Give the citizen's open cases this priority; how many changed."""
    result = await session.execute(
        update(Case)
        .where(Case.citizen_id == citizen_id, Case.status.in_(OPEN_STATUSES), Case.priority != priority)
        .values(priority=priority)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def set_publish_consent(
    session: AsyncSession, codes: Sequence[str], consent: bool, *, citizen_id: int
) -> None:
    """The citizen's answer to publishing these cases' descriptions (only their own cases)."""
    await session.execute(
        update(Case)
        .where(Case.code.in_(codes), Case.citizen_id == citizen_id)
        .values(publish_consent=consent, updated_at=Case.updated_at)  # the case itself did not move
    )


async def withdraw_publish_consent(session: AsyncSession, citizen_id: int) -> None:
    """A citizen takes back every yes; a description staff had published is withdrawn as well."""
    mine, unmoved = Case.citizen_id == citizen_id, Case.updated_at
    await session.execute(
        update(Case)
        .where(mine, Case.publish_consent.is_(True))
        .values(publish_consent=False, updated_at=unmoved)
    )
    await session.execute(
        update(Case)
        .where(mine, Case.description_public.is_(True))
        .values(description_public=None, updated_at=unmoved)
    )


async def add_case_event(
    session: AsyncSession,
    case: Case,
    kind: str,
    *,
    actor: str,
    from_value: str | None = None,
    to_value: str | None = None,
    note: str | None = None,
    staff_id: int | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        kind=kind,
        actor=actor,
        from_value=from_value,
        to_value=to_value,
        note=note,
        staff_id=staff_id,
        created_at=at or utcnow(),
    )
    session.add(event)
    await session.flush()
    return event


async def case_events(session: AsyncSession, case_id: int) -> Sequence[CaseEvent]:
    result = await session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    )
    return result.all()
