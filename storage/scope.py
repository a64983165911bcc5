"""What a staff member limited to some departments sees, in SQL and in Python: one rule.

a case: of one of their departments;
a conversation: its department (that of the citizen's latest open case, as the queue shows it) is one
  of theirs, or it has none: a citizen with no open case is in the general queue, which everyone serves;
a citizen: their conversation is seen, or one of their cases is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    OPEN_STATUSES,
    Case,
    Conversation,
)

# The departments a staff member is limited to; None: every department. Every query that shows cases,
# conversations or citizens takes one.
Scope = frozenset[str] | None


def scope_of(departments: Sequence[str] | None) -> Scope:
    """An account's `departments` as a scope: an empty list, like none, is every department."""
    return frozenset(departments) if departments else None


def case_in_scope(scope: Scope) -> list[ColumnElement[bool]]:
    return [] if scope is None else [Case.department.in_(scope)]


def conversation_in_scope(scope: Scope, department: Any) -> list[ColumnElement[bool]]:
    """`department`: a conversation's department as SQL (department_of_conversation), or what was one's
    (a first response's): none means the general queue."""
    return [] if scope is None else [or_(department.is_(None), department.in_(scope))]


def in_scope(scope: Scope, department: str | None) -> bool:
    """The same rule for a conversation's department already read."""
    return scope is None or department is None or department in scope


async def sees_citizen(session: AsyncSession, citizen_id: int, scope: Scope) -> bool:
    if scope is None or in_scope(scope, await citizen_department(session, citizen_id)):
        return True
    return bool(
        await session.scalar(select(exists().where(Case.citizen_id == citizen_id, *case_in_scope(scope))))
    )


def citizen_in_scope(scope: Scope, citizen_id: Any) -> list[ColumnElement[bool]]:
    """`sees_citizen` as SQL, for rows that name a citizen (`citizen_id`: that column)."""
    if scope is None:
        return []
    department = (
        select(Case.department)
        .where(Case.citizen_id == citizen_id, Case.status.in_(OPEN_STATUSES))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    one_of_theirs = exists().where(Case.citizen_id == citizen_id, *case_in_scope(scope))
    return [or_(department.is_(None), department.in_(scope), one_of_theirs)]


def department_of_conversation() -> Any:
    """The department of the citizen's latest open case, as a correlated subquery."""
    return (
        select(Case.department)
        .where(Case.citizen_id == Conversation.citizen_id, Case.status.in_(OPEN_STATUSES))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(1)
        .correlate(Conversation)
        .scalar_subquery()
    )


async def citizen_department(session: AsyncSession, citizen_id: int) -> str | None:
    return await session.scalar(
        select(Case.department)
        .where(Case.citizen_id == citizen_id, Case.status.in_(OPEN_STATUSES))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(1)
    )
